# Who may do what, and nothing more:
# | identity          | may                                                    | on                          |
# |-------------------|--------------------------------------------------------|-----------------------------|
# | runtime account   | read and write tables (roles/bigquery.dataEditor)      | this dataset only           |
# |                   | run query jobs (roles/bigquery.jobUser)                | the project (jobs are       |
# |                   |                                                        | project-level, no narrower  |
# |                   |                                                        | scope exists)               |
# |                   | read the Slack token (roles/secretmanager.secretAccessor) | that one secret          |
# |                   | read the PII salt (roles/secretmanager.secretAccessor) | that one secret             |
# | scheduler account | invoke (roles/run.invoker)                             | these functions' services   |
# | build account     | read the source archive (roles/storage.objectViewer)   | the source bucket           |
# |                   | push the image, write build logs                       | the project                 |
# | var.invokers      | invoke (roles/run.invoker)                             | these functions' services   |
# | var.ingest_invokers | invoke (roles/run.invoker)                           | the ingest function only    |
# Nobody else may invoke a function: no binding anywhere names allUsers or allAuthenticatedUsers.

resource "google_service_account" "runtime" {
  account_id   = "${local.prefix}-run"
  display_name = "ai-finops functions"
  description  = "Runs the ai-finops jobs: reads and writes the ${var.dataset_id} dataset, runs BigQuery jobs, reads the Slack token."
}

resource "google_service_account" "scheduler" {
  account_id   = "${local.prefix}-scheduler"
  display_name = "ai-finops scheduler"
  description  = "Identity of the ai-finops Cloud Scheduler jobs: may only invoke the ai-finops functions."
}

resource "google_service_account" "build" {
  account_id   = "${local.prefix}-build"
  display_name = "ai-finops function builds"
  description  = "Builds the ai-finops functions from the source archive."
}

resource "google_bigquery_dataset_iam_member" "runtime_edits_ledger" {
  dataset_id = google_bigquery_dataset.ledger.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = "serviceAccount:${google_service_account.runtime.email}"
}

resource "google_project_iam_member" "runtime_runs_queries" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = "serviceAccount:${google_service_account.runtime.email}"
}

resource "google_secret_manager_secret_iam_member" "runtime_reads_slack_token" {
  secret_id = google_secret_manager_secret.slack_bot_token.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.runtime.email}"
}

resource "google_cloud_run_v2_service_iam_member" "scheduler_invokes" {
  for_each = local.jobs

  location = var.region
  name     = google_cloudfunctions2_function.job[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.scheduler.email}"
}

resource "google_cloud_run_v2_service_iam_member" "invokers" {
  for_each = { for pair in setproduct(keys(local.jobs), var.invokers) : "${pair[0]} ${pair[1]}" => { job = pair[0], member = pair[1] } }

  location = var.region
  name     = google_cloudfunctions2_function.job[each.value.job].service_config[0].service
  role     = "roles/run.invoker"
  member   = each.value.member
}

resource "google_storage_bucket_iam_member" "build_reads_source" {
  bucket = google_storage_bucket.source.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.build.email}"
}

resource "google_project_iam_member" "build" {
  for_each = toset(["roles/artifactregistry.writer", "roles/logging.logWriter"])

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.build.email}"
}

resource "google_secret_manager_secret_iam_member" "runtime_reads_pii_salt" {
  secret_id = google_secret_manager_secret.pii_salt.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.runtime.email}"
}

# The ingest function is invoked by the principals that push call records (a gateway's service account), and by
# nobody else: not the scheduler, not var.invokers.
resource "google_cloud_run_v2_service_iam_member" "ingest_invokers" {
  for_each = toset(var.ingest_invokers)

  location = var.region
  name     = google_cloudfunctions2_function.ingest.service_config[0].service
  role     = "roles/run.invoker"
  member   = each.value
}

# One Cloud Function (gen2) per job of jobs.json, all built from this repository's source: Cloud Build installs
# the dependencies, compiles the TypeScript (package.json's gcp-build) and starts dist/functions/index.js, whose
# entry point for each job is its function name (rollup, anomalyScan, monthEnd, ...).

# The source: an allow-list of what the functions are built from (the code, the SQL, the package and compiler
# files, the job list and the feature config if there is one), never the whole folder: a data file left at the
# repository root (an export of calls, an invoice) must not ship to a bucket and an image. The archive's hash names
# the object, so a code change uploads a new object and redeploys the functions, and an unchanged tree changes nothing.
locals {
  repository = "${path.module}/.."
  source_files = setunion(
    fileset(local.repository, "functions/**/*.{ts,md}"),
    fileset(local.repository, "sql/**/*.{sql,json,md}"),
    fileset(local.repository, "{package.json,package-lock.json,tsconfig.json,tsconfig.build.json,finops.config.yaml}"),
    ["terraform/jobs.json"],
  )
}

data "archive_file" "source" {
  type        = "zip"
  output_path = "${path.module}/.build/ai-finops-source.zip"

  dynamic "source" {
    for_each = local.source_files
    content {
      filename = source.value
      content  = file("${local.repository}/${source.value}")
    }
  }
}

resource "google_storage_bucket" "source" {
  name                        = "${var.project_id}-${local.prefix}-source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  labels                      = local.labels

  depends_on = [google_project_service.enabled]
}

resource "google_storage_bucket_object" "source" {
  name   = "source-${data.archive_file.source.output_md5}.zip"
  bucket = google_storage_bucket.source.name
  source = data.archive_file.source.output_path
}

resource "google_cloudfunctions2_function" "job" {
  for_each = local.jobs

  name        = "${local.prefix}-${each.key}"
  location    = var.region
  description = each.value.description
  labels      = merge(local.labels, { job = each.key })

  build_config {
    runtime         = "nodejs20"
    entry_point     = each.value.function
    service_account = google_service_account.build.id

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    service_account_email = google_service_account.runtime.email
    ingress_settings      = var.ingress_settings
    available_memory      = var.function_memory
    timeout_seconds       = var.function_timeout_seconds
    # One instance serving one request at a time: a job never overlaps itself, even while the scheduler retries.
    min_instance_count               = 0
    max_instance_count               = 1
    max_instance_request_concurrency = 1
    all_traffic_on_latest_revision   = true

    environment_variables = local.function_environment

    # The Slack token, read from Secret Manager when an instance starts: never a plain variable, never in state.
    secret_environment_variables {
      key        = "SLACK_BOT_TOKEN"
      project_id = var.project_id
      secret     = google_secret_manager_secret.slack_bot_token.secret_id
      version    = "latest"
    }
  }

  depends_on = [
    google_project_service.enabled,
    google_bigquery_table.table,
    google_secret_manager_secret_iam_member.runtime_reads_slack_token,
    google_project_iam_member.build,
    google_storage_bucket_iam_member.build_reads_source,
  ]
}

# The ingest function: gateways and apps POST batches of call records to it (no schedule). Built from the same
# source; its own scale, since it serves traffic, not one scheduled run: each instance takes one batch at a time
# (a batch is CPU-bound and validated in one in-memory DuckDB), and up to var.ingest_max_instances run side by
# side. Only var.ingest_invokers may call it (iam.tf).
resource "google_cloudfunctions2_function" "ingest" {
  name        = "${local.prefix}-ingest"
  location    = var.region
  description = "Validates, redacts, prices and lands batches of model call records (POST a JSON array or NDJSON)."
  labels      = merge(local.labels, { job = "ingest" })

  build_config {
    runtime         = "nodejs20"
    entry_point     = "ingest"
    service_account = google_service_account.build.id

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.runtime.email
    ingress_settings                 = var.ingress_settings
    available_memory                 = var.function_memory
    timeout_seconds                  = 60
    min_instance_count               = 0
    max_instance_count               = var.ingest_max_instances
    max_instance_request_concurrency = 1
    all_traffic_on_latest_revision   = true

    environment_variables = local.function_environment

    # The key of customer_id pseudonyms, read from Secret Manager when an instance starts: never in state.
    secret_environment_variables {
      key        = "FINOPS_PII_SALT"
      project_id = var.project_id
      secret     = google_secret_manager_secret.pii_salt.secret_id
      version    = "latest"
    }
  }

  depends_on = [
    google_project_service.enabled,
    google_bigquery_table.table,
    google_secret_manager_secret_iam_member.runtime_reads_pii_salt,
    google_project_iam_member.build,
    google_storage_bucket_iam_member.build_reads_source,
  ]
}

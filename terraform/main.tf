# ai-finops on Google Cloud: a BigQuery ledger, one Cloud Function (gen2) per scheduled job, one Cloud Scheduler
# job calling each with an OIDC token, two service accounts with the least they need, and the Slack token in
# Secret Manager. The jobs, their functions and schedules are declared once in jobs.json, which the CLI reads too
# (`ai-finops schedules` compares what is deployed against it).

provider "google" {
  project = var.project_id
  region  = var.region
}

locals {
  declared = jsondecode(file("${path.module}/jobs.json"))
  prefix   = local.declared.name_prefix
  # job name (as the CLI spells it) => { function, schedule, description }
  jobs      = local.declared.jobs
  time_zone = coalesce(var.time_zone, local.declared.time_zone)

  labels = merge(var.labels, { app = "ai-finops" })

  bigquery_location = coalesce(var.bigquery_location, var.region)

  # The environment of every function (CONTRACT.md). SLACK_BOT_TOKEN is not here: it is mounted from Secret
  # Manager (secrets.tf), so it never appears in the function's configuration or in Terraform state.
  function_environment = merge(
    {
      FINOPS_ENGINE      = "bigquery"
      FINOPS_BQ_PROJECT  = var.project_id
      FINOPS_BQ_DATASET  = google_bigquery_dataset.ledger.dataset_id
      FINOPS_BQ_LOCATION = local.bigquery_location
      FINOPS_REGION      = var.region
    },
    var.slack_channel == "" ? {} : { SLACK_CHANNEL = var.slack_channel },
  )
}

# The APIs the deployment uses. Left enabled on destroy: other things in the project may use them.
resource "google_project_service" "enabled" {
  for_each = toset([
    "artifactregistry.googleapis.com",
    "bigquery.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "cloudscheduler.googleapis.com",
    "iam.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
  ])
  service            = each.value
  disable_on_destroy = false
}

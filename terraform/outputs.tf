output "project_id" {
  description = "The project (FINOPS_BQ_PROJECT)."
  value       = var.project_id
}

output "region" {
  description = "The region of the functions and scheduler jobs (FINOPS_REGION)."
  value       = var.region
}

output "dataset_id" {
  description = "The ledger's dataset (FINOPS_BQ_DATASET)."
  value       = google_bigquery_dataset.ledger.dataset_id
}

output "bigquery_location" {
  description = "The ledger's location (FINOPS_BQ_LOCATION)."
  value       = google_bigquery_dataset.ledger.location
}

output "functions" {
  description = "Each job's function: its name and the URL the scheduler calls (authenticated callers only)."
  value       = { for job, fn in google_cloudfunctions2_function.job : job => { name = fn.name, uri = fn.service_config[0].uri } }
}

output "scheduler_jobs" {
  description = "Each job's Cloud Scheduler job: its id, schedule and time zone."
  value       = { for job, sj in google_cloud_scheduler_job.job : job => { id = sj.name, schedule = sj.schedule, time_zone = sj.time_zone } }
}

output "runtime_service_account" {
  description = "The account the functions run as."
  value       = google_service_account.runtime.email
}

output "scheduler_service_account" {
  description = "The account whose OIDC token the scheduler jobs send."
  value       = google_service_account.scheduler.email
}

output "slack_token_secret" {
  description = "The Secret Manager secret holding the Slack bot token (its name, not the token)."
  value       = google_secret_manager_secret.slack_bot_token.secret_id
}

output "add_slack_token_command" {
  description = "The one command that stores the Slack bot token as a secret version, outside Terraform state."
  value       = "printf '%s' \"$SLACK_BOT_TOKEN\" | gcloud secrets versions add ${google_secret_manager_secret.slack_bot_token.secret_id} --project=${var.project_id} --data-file=-"
}

output "cli_environment" {
  description = "The environment for running the ai-finops CLI against this deployment (trigger, schedules, run on BigQuery)."
  value       = "export FINOPS_ENGINE=bigquery FINOPS_BQ_PROJECT=${var.project_id} FINOPS_BQ_DATASET=${google_bigquery_dataset.ledger.dataset_id} FINOPS_BQ_LOCATION=${google_bigquery_dataset.ledger.location} FINOPS_REGION=${var.region}"
}

output "looker_studio_url" {
  description = "Opens Looker Studio with a new report over the dashboard's views (the Linking API), project and dataset filled in."
  value       = local.looker_studio_url
}

output "ingest_url" {
  description = "The ingest function's URL: POST batches of call records to it with an identity token of one of var.ingest_invokers."
  value       = google_cloudfunctions2_function.ingest.service_config[0].uri
}

output "add_pii_salt_command" {
  description = "The one command that stores a random PII salt (FINOPS_PII_SALT) as a secret version, outside Terraform state."
  value       = "openssl rand -hex 32 | gcloud secrets versions add ${google_secret_manager_secret.pii_salt.secret_id} --project=${var.project_id} --data-file=-"
}

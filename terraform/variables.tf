variable "project_id" {
  type        = string
  description = "The Google Cloud project to deploy into (its id, not its name or number)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a project id: 6 to 30 lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "region" {
  type        = string
  description = "The region of the functions and the scheduler jobs, e.g. europe-west1. The ledger lives here too unless bigquery_location says otherwise."

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a Google Cloud region such as europe-west1 or us-central1."
  }
}

variable "bigquery_location" {
  type        = string
  description = "Where the BigQuery dataset lives: a region (europe-west1) or a multi-region (EU, US). Null: the region. Cannot change once the dataset exists."
  default     = null

  validation {
    condition     = var.bigquery_location == null || can(regex("^(EU|US|[a-z]+-[a-z]+[0-9]+)$", var.bigquery_location))
    error_message = "bigquery_location must be EU, US or a region such as europe-west1."
  }
}

variable "dataset_id" {
  type        = string
  description = "The BigQuery dataset of the ledger (FINOPS_BQ_DATASET)."
  default     = "ai_finops"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,1024}$", var.dataset_id))
    error_message = "dataset_id may hold only letters, digits and underscores."
  }
}

variable "partition_expiration_days" {
  type        = number
  description = "Days a partition of the raw tables (llm_calls, outcomes, quarantine, loads) is kept; null keeps them forever. Rollups, forecasts, findings and advice are always kept."
  default     = null

  validation {
    # The detectors look back 120 days and month-on-month and year-on-year views need 13 months of raw calls.
    condition     = var.partition_expiration_days == null || try(var.partition_expiration_days >= 400 && floor(var.partition_expiration_days) == var.partition_expiration_days, false)
    error_message = "partition_expiration_days must be a whole number of days, at least 400 (13 months of history), or null."
  }
}

variable "schedule_overrides" {
  type        = map(string)
  description = "Cron schedules that replace jobs.json's for some jobs, by job name (e.g. { rollup = \"30 1 * * *\" }). `ai-finops schedules` reports an overridden job as differing from the declaration, so an override stays visible; to change a schedule for good, edit jobs.json."
  default     = {}

  validation {
    condition     = alltrue([for job in keys(var.schedule_overrides) : contains(keys(local.jobs), job)])
    error_message = "schedule_overrides may name only the jobs of jobs.json: rollup, forecast, detect, anomaly-scan, digest, month-end."
  }
  validation {
    condition     = alltrue([for cron in values(var.schedule_overrides) : can(regex("^\\S+( \\S+){4}$", cron))])
    error_message = "Each schedule must be five cron fields, e.g. \"0 2 * * *\"."
  }
}

variable "time_zone" {
  type        = string
  description = "The tz database zone the schedules are read in; null: jobs.json's (Etc/UTC, as CONTRACT.md's schedules are). The jobs always count days in UTC."
  default     = null

  validation {
    condition     = var.time_zone == null || can(regex("^(UTC|Etc/[A-Za-z0-9+-]+|[A-Z][A-Za-z_]+(/[A-Za-z0-9_+-]+)+)$", var.time_zone))
    error_message = "time_zone must be a tz database name such as Etc/UTC or Europe/Paris."
  }
}

variable "slack_channel" {
  type        = string
  description = "The default Slack channel (SLACK_CHANNEL): a channel id such as C0123ABCD, or a name such as #ai-spend. Empty: the config file's slack.default_channel. The token is not a variable: see secrets.tf."
  default     = ""

  validation {
    condition     = var.slack_channel == "" || can(regex("^(#?[a-z0-9][a-z0-9_-]{0,79}|[CG][A-Z0-9]{8,})$", var.slack_channel))
    error_message = "slack_channel must be a channel id (C0123ABCD) or a lowercase channel name (#ai-spend)."
  }
}

variable "invokers" {
  type        = list(string)
  description = "Principals (user:, group: or serviceAccount:) who may call the functions directly, e.g. to POST {\"asOf\": \"2026-11-01\"} and re-run a past day. The scheduler's own account needs no entry."
  default     = []

  validation {
    condition     = alltrue([for member in var.invokers : can(regex("^(user|group|serviceAccount):[^@\\s]+@[^@\\s]+$", member))])
    error_message = "invokers must be user:, group: or serviceAccount: members with an email; allUsers, allAuthenticatedUsers and domain: are refused, so no function is ever public."
  }
}

variable "ingress_settings" {
  type        = string
  description = "Who can reach the functions over the network: ALLOW_ALL (the default; IAM still admits only the scheduler and the invokers), or ALLOW_INTERNAL_ONLY (Cloud Scheduler in the same project still reaches them; a person must call from the project's VPC)."
  default     = "ALLOW_ALL"

  validation {
    condition     = contains(["ALLOW_ALL", "ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB"], var.ingress_settings)
    error_message = "ingress_settings must be ALLOW_ALL, ALLOW_INTERNAL_ONLY or ALLOW_INTERNAL_AND_GCLB."
  }
}

variable "function_timeout_seconds" {
  type        = number
  description = "How long one job run may take. The scheduler waits 30 seconds longer before it counts the attempt failed and retries."
  default     = 540

  validation {
    # Cloud Scheduler's attempt deadline for HTTP targets is at most 30 minutes (1800 s), and it is timeout + 30.
    # At least 360: Slack delivery may take up to ~330 s (functions/slack/delivery-settings.ts) after the job's work.
    condition     = var.function_timeout_seconds >= 360 && var.function_timeout_seconds <= 1770
    error_message = "function_timeout_seconds must be between 360 and 1770."
  }
}

variable "function_memory" {
  type        = string
  description = "Memory of each function instance, e.g. 512Mi or 1Gi (the forecast simulates sample paths in memory)."
  default     = "1Gi"

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi)$", var.function_memory))
    error_message = "function_memory must be a size such as 512Mi or 1Gi."
  }
}

variable "scheduler_retry_count" {
  type        = number
  description = "How many times Cloud Scheduler retries a failed run (any answer but 2xx, or a timeout), with backoff from 1 to 10 minutes. Every job is idempotent, so a retry is safe."
  default     = 3

  validation {
    condition     = var.scheduler_retry_count >= 0 && var.scheduler_retry_count <= 5 && floor(var.scheduler_retry_count) == var.scheduler_retry_count
    error_message = "scheduler_retry_count must be a whole number from 0 to 5."
  }
}

variable "labels" {
  type        = map(string)
  description = "Labels added to every resource that takes them (app = ai-finops is always set), e.g. { team = \"platform\" }."
  default     = {}

  validation {
    condition     = alltrue([for key, value in var.labels : can(regex("^[a-z][a-z0-9_-]{0,62}$", key)) && can(regex("^[a-z0-9_-]{0,63}$", value))])
    error_message = "Label keys and values must be lowercase letters, digits, underscores and dashes (keys start with a letter), at most 63 characters."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse to destroy the ledger's tables (and their data) with terraform destroy. Turn off only to tear down a test deployment."
  default     = true
}

variable "ingest_invokers" {
  type        = list(string)
  description = "Principals (serviceAccount:, user: or group:) that may POST call records to the ingest function, e.g. your gateway's service account. Empty: nobody can call it yet."
  default     = []

  validation {
    condition     = alltrue([for member in var.ingest_invokers : can(regex("^(user|group|serviceAccount):[^@\\s]+@[^@\\s]+$", member))])
    error_message = "ingest_invokers must be user:, group: or serviceAccount: members with an email; allUsers, allAuthenticatedUsers and domain: are refused, so the ingest function is never public."
  }
}

variable "ingest_max_instances" {
  type        = number
  description = "How many instances of the ingest function may run at once, each validating one batch at a time (about 500 records in a fraction of a second)."
  default     = 10

  validation {
    condition     = var.ingest_max_instances >= 1 && var.ingest_max_instances <= 100 && floor(var.ingest_max_instances) == var.ingest_max_instances
    error_message = "ingest_max_instances must be a whole number from 1 to 100."
  }
}

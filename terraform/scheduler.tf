# One Cloud Scheduler job per function, on jobs.json's schedule. Each calls its function with POST {} (the job runs
# as of that day, UTC) and an OIDC token of the scheduler's service account, the only identity besides the
# invokers that may call the functions (iam.tf). Any answer but 2xx, or a timeout, is retried with backoff: every job is
# idempotent, so a retry redoes the same work and leaves the same state.

resource "google_cloud_scheduler_job" "job" {
  for_each = local.jobs

  name        = "${local.prefix}-${each.key}"
  region      = var.region
  description = each.value.description
  schedule    = lookup(var.schedule_overrides, each.key, each.value.schedule)
  time_zone   = local.time_zone
  paused      = false

  # Longer than the function may run, so the scheduler never gives up on a run that is still going and starts
  # another beside it.
  attempt_deadline = "${var.function_timeout_seconds + 30}s"

  retry_config {
    retry_count          = var.scheduler_retry_count
    min_backoff_duration = "60s"
    max_backoff_duration = "600s"
    max_doublings        = 3
  }

  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.job[each.key].service_config[0].uri
    body        = base64encode("{}")
    headers = {
      "Content-Type" = "application/json"
    }

    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = google_cloudfunctions2_function.job[each.key].service_config[0].uri
    }
  }

  depends_on = [google_cloud_run_v2_service_iam_member.scheduler_invokes]
}

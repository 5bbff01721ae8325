# The Slack bot token. Terraform makes the secret and lets the runtime account read it (iam.tf); it never holds the
# token itself, so the token is in no variable, no output and no state file. Add it (and rotate it) with:
#
#   printf '%s' "$SLACK_BOT_TOKEN" | gcloud secrets versions add ai-finops-slack-bot-token --project=PROJECT_ID --data-file=-
#
# (`terraform output add_slack_token_command` prints it with the real names.) The functions mount the latest
# version as SLACK_BOT_TOKEN when an instance starts.

resource "google_secret_manager_secret" "slack_bot_token" {
  secret_id = "${local.prefix}-slack-bot-token"
  labels    = local.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

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

# The key of customer_id pseudonyms (FINOPS_PII_SALT, functions/pii/pseudonymize.ts): a random secret of 16 or more
# characters that only the ingest function reads. Like the Slack token, Terraform makes the secret but never holds
# its value. Add it once, after the apply that creates the secret and before the apply that creates the ingest
# function (terraform/README.md, deploy steps 1-2): a function whose secret has no version cannot start. Changing
# it later gives every customer a new pseudonym. The value is trimmed, so the newline does no harm:
#
#   openssl rand -hex 32 | gcloud secrets versions add ai-finops-pii-salt --project=PROJECT_ID --data-file=-
#
# (`terraform output add_pii_salt_command` prints it with the real names.)
resource "google_secret_manager_secret" "pii_salt" {
  secret_id = "${local.prefix}-pii-salt"
  labels    = local.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

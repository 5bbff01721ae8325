# Pinned: a provider's next major version may rename arguments; upgrade on purpose, with a plan reviewed.
terraform {
  # 1.9: variable validations may refer to locals (the job names in jobs.json).
  required_version = ">= 1.9.0, < 2.0.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.14"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.7"
    }
  }
}

# The ledger: one dataset, and every table from sql/schema/, the same files the code creates DuckDB tables from
# (functions/schema/tables.ts). tables.json says how each is partitioned and clustered, and whether a query must
# filter on the partition column: llm_calls is partitioned by day on ts, clustered by feature and model, and
# refuses unfiltered scans, so a query without a date range fails instead of billing the whole ledger.

locals {
  schema_dir = "${path.module}/../sql/schema"
  tables     = jsondecode(file("${local.schema_dir}/tables.json"))

  # Partitions of the raw records may expire (partition_expiration_days); derived tables are kept.
  expiring_tables         = ["llm_calls", "outcomes", "quarantine", "loads"]
  partition_expiration_ms = var.partition_expiration_days == null ? null : var.partition_expiration_days * 86400000
}

resource "google_bigquery_dataset" "ledger" {
  dataset_id  = var.dataset_id
  location    = local.bigquery_location
  description = "ai-finops: the ledger of model calls, outcomes, rollups, forecasts, findings and advice."
  labels      = local.labels

  # Access is granted member by member in iam.tf, never by replacing the dataset's access list here.
  delete_contents_on_destroy = !var.deletion_protection

  depends_on = [google_project_service.enabled]
}

resource "google_bigquery_table" "table" {
  for_each = local.tables

  dataset_id  = google_bigquery_dataset.ledger.dataset_id
  table_id    = each.key
  description = each.value.description
  schema      = file("${local.schema_dir}/${each.key}.json")
  labels      = local.labels

  # An empty list would differ from the API's "no clustering" on every plan: leave it unset instead.
  clustering               = length(each.value.clustering) > 0 ? each.value.clustering : null
  require_partition_filter = each.value.requirePartitionFilter
  deletion_protection      = var.deletion_protection

  dynamic "time_partitioning" {
    for_each = each.value.partition == null ? [] : [each.value.partition]
    content {
      type          = time_partitioning.value.type
      field         = time_partitioning.value.field
      expiration_ms = contains(local.expiring_tables, each.key) ? local.partition_expiration_ms : null
    }
  }
}

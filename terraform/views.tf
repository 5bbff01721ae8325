# The dashboard's views, for Looker Studio: one BigQuery view per file of sql/views/ (the same queries the HTML
# dashboard's tests run on DuckDB). Terraform cannot expand the SQL macros, so each view is rendered for BigQuery by
# functions/dashboard/views.ts into views/NAME.sql, committed beside this file and checked by
# test/terraform/views.test.ts to match its source (`npx vitest run test/terraform/views.test.ts -u` rewrites them).
# A rendered view names its tables `${project}.${dataset}.table`, filled in here, and reads "today" as
# current_date(): each view reads the thirteen months up to today, a bounded range of partitions.

locals {
  view_dir = "${path.module}/views"
  # Sorted, so that each view keeps its data source alias (ds0, ds1, ...) in the Looker Studio link.
  views = sort([for file in fileset(local.view_dir, "*.sql") : trimsuffix(file, ".sql")])

  # The Looker Studio Linking API: a new report with every view connected as a BigQuery data source, one alias
  # each (https://developers.google.com/looker-studio/integrate/linking-api). The user opens it, checks the data
  # sources and saves the report to their own account.
  looker_studio_url = join("&", concat(
    ["https://lookerstudio.google.com/reporting/create?r.reportName=${urlencode("AI spend: cost per outcome")}"],
    flatten([for index, view in local.views : [
      "ds.ds${index}.connector=bigQuery",
      "ds.ds${index}.type=TABLE",
      "ds.ds${index}.projectId=${var.project_id}",
      "ds.ds${index}.datasetId=${google_bigquery_dataset.ledger.dataset_id}",
      "ds.ds${index}.tableId=${view}",
      "ds.ds${index}.datasourceName=${view}",
    ]]),
  ))
}

resource "google_bigquery_table" "view" {
  for_each = toset(local.views)

  dataset_id  = google_bigquery_dataset.ledger.dataset_id
  table_id    = each.key
  description = "ai-finops dashboard view, from sql/views/${each.key}.sql."
  labels      = local.labels

  # A view holds no data: replacing or removing one loses nothing.
  deletion_protection = false

  view {
    query          = templatefile("${local.view_dir}/${each.key}.sql", { project = var.project_id, dataset = google_bigquery_dataset.ledger.dataset_id })
    use_legacy_sql = false
  }

  # BigQuery checks a view's query when it is created: the tables it reads must exist.
  depends_on = [google_bigquery_table.table]
}

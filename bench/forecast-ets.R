# The R reference for bench/forecast.ts: R's forecast::ets (default automatic selection) on the same series,
# origins and metrics, so ai-finops's figures can be set beside the standard the issue is judged by.
#
#   node dist/bench/forecast.js --export /tmp/forecast-series.csv
#   Rscript bench/forecast-ets.R /tmp/forecast-series.csv bench/forecast-ets-reference.json
#
# Needs R with the forecast package (Debian: apt-get install r-cran-forecast). Not part of the build or the tests.
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
data <- read.csv(args[1], stringsAsFactors = FALSE)
rows <- list()
for (name in unique(data$name)) {
  s <- data[data$name == name, ]
  y <- s$value
  period <- s$period[1]; horizon <- s$horizon[1]; origins <- s$origins[1]; step <- s$step[1]
  n <- length(y)
  for (k in (origins - 1):0) {
    origin <- n - horizon - k * step
    if (origin < max(8, period + 2)) next
    train <- y[1:origin]
    actual <- y[(origin + 1):(origin + horizon)]
    m <- if (length(train) > period) period else 1
    scale <- mean(abs(diff(train, lag = m)))
    if (!(scale > 0)) next
    fit <- tryCatch(ets(ts(train, frequency = period)), error = function(e) ets(ts(train, frequency = 1)))
    fc <- forecast(fit, h = horizon, level = c(80, 95))
    f <- as.numeric(fc$mean)
    rows[[length(rows) + 1]] <- data.frame(
      series = name, group = s$group[1], h = 1:horizon, horizon = horizon,
      scaled = as.numeric(abs(actual - f) / scale),
      smape = ifelse(abs(actual) + abs(f) == 0, 0, 200 * abs(actual - f) / (abs(actual) + abs(f))),
      in80 = actual >= as.numeric(fc$lower[, 1]) & actual <= as.numeric(fc$upper[, 1]),
      in95 = actual >= as.numeric(fc$lower[, 2]) & actual <= as.numeric(fc$upper[, 2]),
      method = fit$method
    )
  }
}
all <- do.call(rbind, rows)
summarise <- function(d) {
  per_series <- tapply(d$scaled, d$series, mean)
  sprintf('{"series": %d, "mase": %.6f, "smape": %.6f, "coverage80": %.6f, "coverage95": %.6f}',
          length(per_series), mean(per_series), mean(d$smape), mean(d$in80), mean(d$in95))
}
groups <- c()
for (g in unique(all$group)) {
  d <- all[all$group == g, ]
  horizon <- d$horizon[1]
  edges <- round((0:4) * horizon / 4)
  b <- c()
  for (q in 1:4) {
    from <- edges[q] + 1; to <- edges[q + 1]
    b <- c(b, sprintf('"h %d-%d": %s', from, to, summarise(d[d$h >= from & d$h <= to, ])))
  }
  groups <- c(groups, sprintf('"%s": {"all": %s, "buckets": {%s}}', g, summarise(d), paste(b, collapse = ", ")))
}
version <- paste0("R ", R.version$major, ".", R.version$minor, ", forecast ", packageVersion("forecast"))
writeLines(sprintf('{"version": "%s", "groups": {%s}}', version, paste(groups, collapse = ", ")), args[2])
cat("methods chosen:\n"); print(sort(table(all$method[all$h == 1]), decreasing = TRUE))

# Reads a Densito output folder back in R the way README.md ("Statistics in R and Prism")
# tells a reader to, and checks that summary.csv's p-values come back to 1e-12:
#   from units.csv: per target, lm(log2_ratio ~ block + condition), control the reference;
#   from each prism/<target>.csv: the matched table reshaped to one row per cell, log2 of
#   the ratios, the same model with the table's rows as blocks.
# Usage: Rscript read_back.R OUTPUT_FOLDER PRISM_INDEX
#   PRISM_INDEX: a CSV file,target,measure,site naming each prism table's target (the test
#   writes it; a reader knows the target from the file name).
# Prints one line per p-value compared; exits 1 when one differs by more than 1e-12.

tolerance <- 1e-12
args <- commandArgs(trailingOnly = TRUE)
folder <- args[1]
text <- function(path) {
  read.csv(path, colClasses = "character", check.names = FALSE, na.strings = NULL,
           encoding = "UTF-8")
}

summary_rows <- text(file.path(folder, "summary.csv"))
units <- text(file.path(folder, "units.csv"))
units$log2_ratio <- as.numeric(units$log2_ratio)
index <- text(args[2])

# The p-value of each non-control condition from lm() on one target's units.
model_p <- function(data, conditions) {
  data$condition <- factor(data$condition, levels = conditions)
  data$condition <- droplevels(data$condition)
  formula <- if (length(unique(data$block)) > 1) y ~ block + condition else y ~ condition
  coefficients <- summary(lm(formula, data = data))$coefficients
  p <- setNames(rep(NA_real_, length(conditions)), conditions)
  for (condition in conditions[-1]) {
    name <- paste0("condition", condition)
    if (name %in% rownames(coefficients)) p[condition] <- coefficients[name, "Pr(>|t|)"]
  }
  p
}

failures <- 0
compared <- 0
check <- function(source, rows, p) {
  for (i in seq_len(nrow(rows))) {
    if (rows$p[i] == "") next
    expected <- as.numeric(rows$p[i])
    got <- p[[rows$condition[i]]]
    difference <- abs(got - expected)
    ok <- !is.na(difference) && difference <= tolerance
    cat(sprintf("%s %s / %s: summary.csv p %.17g, R %.17g, |difference| %.3g\n",
                if (ok) "ok" else "FAIL", source, rows$condition[i], expected, got, difference))
    compared <<- compared + 1
    if (!ok) failures <<- failures + 1
  }
}

series <- unique(summary_rows[, c("target", "measure", "site")])
for (s in seq_len(nrow(series))) {
  key <- series[s, ]
  rows <- summary_rows[summary_rows$target == key$target & summary_rows$measure == key$measure &
                       summary_rows$site == key$site, ]
  conditions <- rows$condition # control first
  mine <- units[units$target == key$target & units$measure == key$measure &
                units$site == key$site, ]
  if (nrow(mine) == 0) next
  label <- paste(key$target, key$measure, key$site)
  check(paste("units.csv", label), rows,
        model_p(data.frame(block = mine$block, condition = mine$condition, y = mine$log2_ratio),
                conditions))

  table_row <- index[index$target == key$target & index$measure == key$measure &
                     index$site == key$site, ]
  if (nrow(table_row) == 0) next
  wide <- text(file.path(folder, table_row$file[1]))
  long <- do.call(rbind, lapply(names(wide)[-1], function(condition) {
    data.frame(block = wide$block, condition = condition, y = log2(as.numeric(wide[[condition]])))
  }))
  long <- long[!is.na(long$y), ]
  check(table_row$file[1], rows, model_p(long, conditions))
}

cat(sprintf("R: %d p-values compared, %d differ by more than %g\n", compared, failures, tolerance))
if (compared == 0 || failures > 0) quit(status = 1)

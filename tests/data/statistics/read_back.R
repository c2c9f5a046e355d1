# Reads a Densito output folder back in R the way README.md ("Statistics in R and Prism")
# tells a reader to, and checks that summary.csv's and contrasts.csv's p-values come back to
# 1e-12:
#   from units.csv: per target, lm(log2_ratio ~ block + condition), control the reference:
#   each condition's p, Holm over them (p.adjust) as summary.csv's p_holm, and each row of
#   contrasts.csv (treatment vs treatment, the interaction) as a contrast of the same fit,
#   its fold change, p and Holm over the target's contrasts;
#   from each prism/<target>.csv: the matched table reshaped to one row per cell, log2 of
#   the ratios, the same model with the table's rows as blocks.
# summary.csv's normaliser rows (measure normaliser:...) have no units and are not compared.
# Usage: Rscript read_back.R OUTPUT_FOLDER PRISM_INDEX [DESIGN]
#   PRISM_INDEX: a CSV file,target,measure,site naming each prism table's target (the test
#   writes it; a reader knows the target from the file name).
#   DESIGN: a CSV contrast,first_only,second_only,both naming the conditions of each
#   interaction contrast's cells (a reader knows the design); without it an interaction row
#   counts as a failure.
# Prints one line per value compared; exits 1 when one differs by more than 1e-12.

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

contrasts_rows <- text(file.path(folder, "contrasts.csv"))
design <- if (length(args) >= 3) text(args[3]) else NULL

# lm() on one target's units (block, condition, y), control the reference.
model_fit <- function(data, conditions) {
  data$condition <- factor(data$condition, levels = conditions)
  data$condition <- droplevels(data$condition)
  formula <- if (length(unique(data$block)) > 1) y ~ block + condition else y ~ condition
  lm(formula, data = data)
}

# The p-value of each non-control condition from lm() on one target's units.
model_p <- function(data, conditions) {
  coefficients <- summary(model_fit(data, conditions))$coefficients
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

# One value against its CSV text, to 1e-12 (relative for a fold change).
compare <- function(label, expected_text, got, relative = FALSE) {
  expected <- as.numeric(expected_text)
  difference <- abs(got - expected)
  ok <- !is.na(difference) && difference <= tolerance * (if (relative) abs(expected) else 1)
  cat(sprintf("%s %s: Densito %.17g, R %.17g, |difference| %.3g\n",
              if (ok) "ok" else "FAIL", label, expected, got, difference))
  compared <<- compared + 1
  if (!ok) failures <<- failures + 1
}

# The weights of a contrasts.csv row over the conditions ("B vs A": B - A; an interaction:
# both - second only - first only + control, the control being the reference); NULL when
# the design does not name an interaction's cells.
contrast_weights <- function(name) {
  if (startsWith(name, "interaction: ")) {
    if (is.null(design)) return(NULL)
    cells <- design[design$contrast == name, ]
    if (nrow(cells) == 0) return(NULL)
    return(setNames(c(1, -1, -1), c(cells$both[1], cells$second_only[1], cells$first_only[1])))
  }
  parts <- strsplit(name, " vs ", fixed = TRUE)[[1]]
  setNames(c(1, -1), parts)
}

# A contrast of the fit: its log2 estimate and two-sided p on the residual df.
contrast_of <- function(fit, weights) {
  beta <- coef(fit)
  w <- setNames(rep(0, length(beta)), names(beta))
  for (condition in names(weights)) {
    name <- paste0("condition", condition)
    if (name %in% names(w)) w[name] <- w[name] + weights[[condition]]
  }
  estimate <- sum(w * beta)
  se <- sqrt(as.numeric(t(w) %*% vcov(fit) %*% w))
  c(estimate = estimate, p = 2 * pt(-abs(estimate / se), fit$df.residual))
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
  data <- data.frame(block = mine$block, condition = mine$condition, y = mine$log2_ratio)
  p <- model_p(data, conditions)
  check(paste("units.csv", label), rows, p)
  tested <- rows$p != ""
  if (any(tested)) {
    holm <- p.adjust(p[rows$condition[tested]], "holm")
    for (k in seq_along(holm)) {
      compare(sprintf("units.csv %s / %s p_holm", label, rows$condition[tested][k]),
              rows$p_holm[tested][k], holm[[k]])
    }
  }
  # contrasts.csv names a target by target and site: its phospho series when it has a site
  # or no expression series, else the expression series.
  others <- summary_rows$target == key$target & summary_rows$site == key$site &
            summary_rows$measure != key$measure & !startsWith(summary_rows$measure, "normaliser:")
  if (key$measure == "phospho" || !any(others)) {
    mine_contrasts <- contrasts_rows[contrasts_rows$target == key$target &
                                     contrasts_rows$site == key$site &
                                     contrasts_rows$p != "", ]
    if (nrow(mine_contrasts) > 0) {
      fit <- model_fit(data, conditions)
      contrast_p <- numeric(0)
      for (k in seq_len(nrow(mine_contrasts))) {
        row <- mine_contrasts[k, ]
        weights <- contrast_weights(row$contrast)
        if (is.null(weights)) {
          cat(sprintf("FAIL contrasts.csv %s / %s: no design names its cells\n", label,
                      row$contrast))
          failures <- failures + 1
          next
        }
        result <- contrast_of(fit, weights)
        contrast_p <- c(contrast_p, result[["p"]])
        compare(sprintf("contrasts.csv %s / %s fold_change", label, row$contrast),
                row$fold_change, 2^result[["estimate"]], relative = TRUE)
        compare(sprintf("contrasts.csv %s / %s p", label, row$contrast), row$p, result[["p"]])
      }
      if (length(contrast_p) == nrow(mine_contrasts)) {
        holm <- p.adjust(contrast_p, "holm")
        for (k in seq_along(holm)) {
          compare(sprintf("contrasts.csv %s / %s p_holm", label, mine_contrasts$contrast[k]),
                  mine_contrasts$p_holm[k], holm[[k]])
        }
      }
    }
  }

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

cat(sprintf("R: %d values compared, %d differ by more than %g\n", compared, failures, tolerance))
if (compared == 0 || failures > 0) quit(status = 1)

# Goldens for the linear-model statistics (tests/core/analysis_model_goldens_test.cpp).
# R fits each fixture the way Densito documents it, independently of Densito's code:
#   technical lanes -> biological units: mean log2 ratio per membrane, replicate, condition;
#   lm(log2 ratio ~ block + condition), block = membrane (or membrane:replicate when the
#   replicate label pairs units across conditions within a membrane);
#   each condition vs the control, each later treated condition vs each earlier one, and for
#   a 2 x 2 the interaction (both - second only - first only + control);
#   t = estimate / SE on the residual df, two-sided p, 95% CI, Holm (p.adjust) per family.
# A fixture with a `loading` column (the loading control's band volume of each lane) also
# gets family "normaliser": the same model of log2(loading) instead of log2(ratio), each
# condition vs the control (Densito's normaliser check rows in summary.csv).
# Run from this folder (Debian: apt-get install r-base-core):
#   Rscript make_goldens.R > goldens.csv
# The tests do not need R; they read goldens.csv.

fixtures <- list(
  list(name = "blocked_unbalanced", control = "control", paired = FALSE, factorial = NULL),
  list(name = "paired_within_membrane", control = "control", paired = TRUE, factorial = NULL),
  list(name = "shared_control", control = "control", paired = FALSE, factorial = NULL),
  list(name = "normaliser", control = "control", paired = FALSE, factorial = NULL),
  list(name = "factorial", control = "Control", paired = FALSE,
       factorial = c(first_only = "Insulin", second_only = "L-isoleucine",
                     both = "L-isoleucine + Insulin", name = "interaction: insulin x isoleucine"))
)

g <- function(x) if (is.na(x)) "" else sprintf("%.17g", x)

cat("fixture,family,name,estimate,se,df,t,p,ci95_low,ci95_high,p_holm,sd_log2\n")
for (fixture in fixtures) {
  lanes <- read.csv(paste0("fixture_", fixture$name, ".csv"), stringsAsFactors = FALSE,
                    colClasses = c(replicate = "character"))
  conditions <- unique(c(fixture$control, lanes$condition)) # layout order, control first
  treated <- conditions[conditions != fixture$control]
  # The model of log2(response) on the units; its contrast() and the units' log2 fold changes.
  fit_units <- function(response) {
    lanes$y <- log2(response)
    units <- aggregate(y ~ membrane + replicate + condition, data = lanes, FUN = mean)
    units$condition <- factor(units$condition, levels = conditions)
    units$block <- if (fixture$paired) interaction(units$membrane, units$replicate, drop = TRUE)
                   else factor(units$membrane)
    fit <- lm(y ~ block + condition, data = units)
    beta <- coef(fit)
    V <- vcov(fit)
    df <- fit$df.residual
    contrast <- function(weights) {
      w <- setNames(rep(0, length(beta)), names(beta))
      for (name in names(weights)) {
        if (name != fixture$control) w[paste0("condition", name)] <- weights[[name]]
      }
      estimate <- sum(w * beta)
      se <- sqrt(as.numeric(t(w) %*% V %*% w))
      t <- estimate / se
      half <- qt(0.975, df) * se
      c(estimate = estimate, se = se, t = t, p = 2 * pt(-abs(t), df),
        low = estimate - half, high = estimate + half)
    }
    # Descriptive SD of the units' log2 fold changes (unit - its membrane's control mean).
    reference <- tapply(units$y[units$condition == fixture$control],
                        units$membrane[units$condition == fixture$control], mean)
    units$log2fc <- units$y - reference[units$membrane]
    list(units = units, contrast = contrast, df = df)
  }
  # Each treated condition vs the control, as family `family`.
  vs_control <- function(model, family) {
    lapply(treated, function(name) {
      values <- model$units$log2fc[model$units$condition == name]
      list(family = family, name = name, r = model$contrast(setNames(1, name)), df = model$df,
           sd = if (length(values) > 1) sd(values) else NA)
    })
  }

  ratio_model <- fit_units(lanes$ratio)
  contrast <- ratio_model$contrast
  df <- ratio_model$df
  rows <- vs_control(ratio_model, "summary")
  for (i in seq_along(treated)) {
    for (j in seq_along(treated)) {
      if (j > i) {
        weights <- setNames(c(1, -1), c(treated[j], treated[i]))
        rows[[length(rows) + 1]] <- list(family = "contrast",
                                         name = paste(treated[j], "vs", treated[i]),
                                         r = contrast(weights), df = df, sd = NA)
      }
    }
  }
  if (!is.null(fixture$factorial)) {
    f <- fixture$factorial
    weights <- setNames(c(1, -1, -1), c(f[["both"]], f[["second_only"]], f[["first_only"]]))
    rows[[length(rows) + 1]] <- list(family = "contrast", name = f[["name"]],
                                     r = contrast(weights), df = df, sd = NA)
  }
  if ("loading" %in% names(lanes)) {
    rows <- c(rows, vs_control(fit_units(lanes$loading), "normaliser"))
  }
  families <- sapply(rows, function(row) row$family)
  holm <- numeric(length(rows))
  for (family in unique(families)) {
    p <- sapply(rows[families == family], function(row) row$r[["p"]])
    holm[families == family] <- p.adjust(p, "holm")
  }
  for (k in seq_along(rows)) {
    row <- rows[[k]]
    cat(fixture$name, row$family, paste0("\"", row$name, "\""), g(row$r[["estimate"]]),
        g(row$r[["se"]]), row$df, g(row$r[["t"]]), g(row$r[["p"]]), g(row$r[["low"]]),
        g(row$r[["high"]]), g(holm[k]), g(row$sd), sep = ",")
    cat("\n")
  }
}

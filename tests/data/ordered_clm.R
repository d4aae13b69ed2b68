# Reference values for tests/test_econometrics_ordered.py: R ordinal::clm on
# tests/data/ordered_panel.csv (Newton-Raphson, tightened tolerances).
suppressMessages(library(ordinal))
d <- read.csv(commandArgs(TRUE)[1])
d$WORKER <- factor(d$WORKER, ordered = TRUE)
cat("{\n")
for (link in c("logit", "probit")) {
  m <- clm(WORKER ~ polity2 + logGDPpc, data = d, link = link,
           control = clm.control(gradTol = 1e-12, relTol = 1e-14, maxIter = 200))
  cat(sprintf('"%s/coef": [%s],\n', link,
              paste(sprintf("%.17g", c(coef(m)[c("polity2", "logGDPpc")], coef(m)[1:2])), collapse = ", ")))
  cat(sprintf('"%s/se": [%s],\n', link,
              paste(sprintf("%.17g", sqrt(diag(vcov(m)))[c("polity2", "logGDPpc", "0|1", "1|2")]), collapse = ", ")))
  cat(sprintf('"%s/loglik": %.17g,\n', link, as.numeric(logLik(m))))
  cat(sprintf('"%s/maxgrad": %.17g%s\n', link, max(abs(m$gradient)), if (link == "logit") "," else ""))
}
cat("}\n")

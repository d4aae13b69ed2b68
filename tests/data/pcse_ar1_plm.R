# plm::vcovBK (Beck-Katz, clustered by time, no small-sample factor) on data that the
# test has already Prais-Winsten transformed: y and c0..c(k-1) are transformed columns.
suppressMessages(library(plm))
d <- read.csv(commandArgs(TRUE)[1])
p <- pdata.frame(d, index = c("unit", "year"))
cols <- grep("^c[0-9]+$", names(d), value = TRUE)
f <- as.formula(paste("y ~ 0 +", paste(cols, collapse = " + ")))
m <- plm(f, p, model = "pooling")
cat(sprintf("%.17g\n", c(coef(m), sqrt(diag(vcovBK(m, type = "HC0", cluster = "time"))))))

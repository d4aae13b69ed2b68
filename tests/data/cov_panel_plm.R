suppressMessages(library(plm))
d <- read.csv(commandArgs(TRUE)[1])
p <- pdata.frame(d, index = c("unit", "year"))
f <- y ~ x1 + x2
models <- list(
  within = plm(f, p, model = "within", effect = "individual"),
  twoways = plm(f, p, model = "within", effect = "twoways"),
  pooling = plm(f, p, model = "pooling"))
emit <- function(key, v) {
  v <- as.matrix(v)
  cat(sprintf('"%s": [%s],\n', key, paste(sprintf("%.17g", sqrt(diag(v))), collapse = ", ")))
}
cat("{\n")
for (nm in names(models)) {
  m <- models[[nm]]
  cat(sprintf('"%s/coef": [%s],\n', nm, paste(sprintf("%.17g", coef(m)), collapse = ", ")))
  for (ty in c("HC0", "HC1", "sss")) {
    emit(paste(nm, "clustered-entity", ty, sep = "/"), vcovHC(m, method = "arellano", type = ty, cluster = "group"))
    emit(paste(nm, "clustered-time", ty, sep = "/"), vcovHC(m, method = "arellano", type = ty, cluster = "time"))
    emit(paste(nm, "robust", ty, sep = "/"), vcovHC(m, method = "white1", type = ty))
    emit(paste(nm, "driscoll-kraay", ty, sep = "/"), vcovSCC(m, type = ty))
    emit(paste(nm, "driscoll-kraay-bw2", ty, sep = "/"), vcovSCC(m, type = ty, maxlag = 2))
    emit(paste(nm, "clustered-twoway", ty, sep = "/"), vcovDC(m, type = ty))
    if (ty != "sss") emit(paste(nm, "pcse", ty, sep = "/"), vcovBK(m, type = ty, cluster = "time"))
  }
}
r <- plm(f, p, model = "random")
cat(sprintf('"random/coef": [%s],\n', paste(sprintf("%.17g", coef(r)), collapse = ", ")))
emit("random/unadjusted", vcov(r))
cat(sprintf('"random/sigma2": [%s]\n', paste(sprintf("%.17g", ercomp(r)$sigma2), collapse = ", ")))
cat("}\n")

suppressMessages(library(surveillance))
exp1 <- function(s, file, dates) {
  o <- observed(s); p <- population(s); n <- nrow(o); u <- colnames(o)
  yr <- year(s); ep <- epochInYear(s)
  df <- data.frame(unit=rep(u, each=n), period_index=rep(1:n, length(u)), year=rep(yr, length(u)),
                   period=rep(ep, length(u)), count=as.vector(o), population=as.vector(p))
  if (dates) df$date <- rep(format(epoch(s)), length(u))
  write.csv(df, file, row.names=FALSE, na="NA")
}
data(momo); exp1(momo, "data/momo.csv", TRUE)
data(measlesDE); exp1(measlesDE, "data/measlesDE.csv", FALSE)

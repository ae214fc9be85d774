suppressMessages(library(surveillance))
data("fluBYBW"); data("measlesDE"); data("momo")
wr <- function(sts, res, tag, extra=NULL, rng) {
  obs <- observed(res); ub <- upperbound(res); al <- alarms(res)
  units <- colnames(obs)
  df <- data.frame(unit=rep(units, each=nrow(obs)), period_index=rep(rng, length(units)),
     observed=as.vector(obs), upperbound=as.vector(ub), alarm=as.integer(as.vector(al)))
  if (!is.null(extra)) for (n in names(extra)) df[[n]] <- as.vector(extra[[n]])
  write.csv(df, paste0(tag, ".csv"), row.names=FALSE, na="NA")
}
run_ff <- function(sts, tag, ctrl) {
  rng <- ctrl$range
  res <- suppressWarnings(farringtonFlexible(sts, control=ctrl))
  c <- res@control
  wr(sts, res, tag, list(expected=c$expected, score=c$score, pvalue=c$pvalue, phi=c$phiVector, trend=c$trend, trend_coef=c$trendVector, mu0=c$mu0Vector), rng=rng)
}
args <- commandArgs(TRUE)
ds <- list(fluBYBW=list(sts=fluBYBW, r=313:416, b=5), measlesDE=list(sts=measlesDE, r=108:156, b=2), momo=list(sts=momo, r=679:782, b=5))
for (nm in args) {
  d <- ds[[nm]]
  base <- list(range=d$r, b=d$b, w=3)
  run_ff(d$sts, paste0("ff_default__", nm), base)
  run_ff(d$sts, paste0("ff_noufaily__", nm), c(base, list(noPeriods=10, pastWeeksNotIncluded=26, thresholdMethod="nbPlugin", pThresholdTrend=1)))
  run_ff(d$sts, paste0("ff_muan__", nm), c(base, list(noPeriods=10, pastWeeksNotIncluded=26, thresholdMethod="muan", pThresholdTrend=1)))
  res <- suppressWarnings(farrington(d$sts, control=list(range=d$r, b=d$b, w=3)))
  wr(d$sts, res, paste0("farrington__", nm), list(trend=res@control$trend), rng=d$r)
}

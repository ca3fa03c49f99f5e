package dev.depthprobe.jobs.bench;

/**
 * The measured figures of one {@link BenchCase}.
 *
 * @param times the timed runs of one batch each; the median is reported
 * @param sgemmBefore {@link SgemmReference}, measured just before the case (GFLOP/s)
 * @param sgemmAfter the same, just after it
 * @param peakRssMib VmHWM over the case (warm-up, timed runs and profiled pass)
 * @param peakSinceCaseStart false where the kernel did not let the peak be reset: then it is the
 *     process's peak since it started
 * @param timeShares where the profiled pass spent its time
 */
public record BenchResult(
    String caseName,
    int batch,
    int threads,
    int warmup,
    RunTimes times,
    double gflopsPerImage,
    double sgemmBefore,
    double sgemmAfter,
    double peakRssMib,
    boolean peakSinceCaseStart,
    TimeShares timeShares) {

  /** The sgemm reference of the case: the mean of the measurements before and after it. */
  public double sgemmGflopsPerS() {
    return (sgemmBefore + sgemmAfter) / 2;
  }

  public double secondsPerBatch() {
    return times.median();
  }

  public double imagesPerS() {
    return batch / secondsPerBatch();
  }

  public double secondsPerImage() {
    return secondsPerBatch() / batch;
  }

  public double achievedGflopsPerS() {
    return gflopsPerImage * imagesPerS();
  }

  public double ratioToSgemm() {
    return achievedGflopsPerS() / sgemmGflopsPerS();
  }
}

package dev.depthprobe.bench;

import java.util.OptionalDouble;

/**
 * The measured figures of one {@link BenchCase}.
 *
 * @param secondsPerBatch the median of the timed runs
 * @param sgemmGflopsPerS {@link SgemmReference}, measured just before the case
 * @param peakRssMib VmHWM over the case (warm-up, timed runs and profiled pass), or since the process
 *     started where the peak could not be reset
 * @param timeShares where the profiled pass spent its time
 */
public record BenchResult(
    String caseName,
    int batch,
    int threads,
    int warmup,
    RunTimes times,
    double gflopsPerImage,
    double sgemmGflopsPerS,
    double peakRssMib,
    boolean peakSinceCaseStart,
    TimeShares timeShares) {

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
    return achievedGflopsPerS() / sgemmGflopsPerS;
  }

  public OptionalDouble pytorchImagesPerS() {
    return PytorchPeer.imagesPerS(caseName, batch);
  }

  public OptionalDouble ratioToPytorch() {
    OptionalDouble peer = pytorchImagesPerS();
    return peer.isPresent() ? OptionalDouble.of(imagesPerS() / peer.getAsDouble()) : OptionalDouble.empty();
  }
}

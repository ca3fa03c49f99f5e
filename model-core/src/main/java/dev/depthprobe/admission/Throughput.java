package dev.depthprobe.admission;

/**
 * Seconds from work, with rates calibrated by {@code depthprobe bench calibrate}:
 * <pre>
 *   seconds = dense FLOPs / (t * dense rate) + attention FLOPs / (t * attention rate)
 *           + attention scores * score cost / t + image pixels * pixel cost
 * </pre>
 * where t is the forward pass's threads and the rates are GFLOP/s per thread. Dense FLOPs are the convolutions and
 * linear layers (sgemm-shaped, near the machine's matrix speed); attention FLOPs are the score and context products,
 * which run slower per FLOP (short head sizes), and each score also costs a softmax exp: their share grows with the
 * square of the pixels, which is why large images take more seconds per FLOP. The pixel cost is per pixel of the
 * original image: decoding, resizing and the bicubic post-processing, single-threaded.
 */
public record Throughput(double denseGflopsPerThread, double attentionGflopsPerThread, double nanosPerScore,
    double nanosPerImagePixel) {
  /**
   * Calibrated on 2026-12-06 (2 threads, tiny GLPN and GLPN-b4 at 0.3 to 2 MP) on a machine shared with other
   * builds, load average 6 to 11 on 2 cores: the rates are low by that load; see the README's calibration table.
   */
  public static final Throughput CALIBRATED = new Throughput(8.0, 4.0, 1.0, 60.0);

  public Throughput {
    if (!(denseGflopsPerThread > 0) || !(attentionGflopsPerThread > 0) || !(nanosPerScore >= 0) || !(nanosPerImagePixel >= 0)) {
      throw new IllegalArgumentException("throughput rates must be positive, got " + this);
    }
  }

  public double seconds(Work work, int threads) {
    int t = Math.max(1, threads);
    Flops flops = work.flops();
    return flops.dense() / (t * denseGflopsPerThread * 1e9) + flops.attention() / (t * attentionGflopsPerThread * 1e9)
        + work.attentionScores() * nanosPerScore * 1e-9 / t + work.imagePixels() * nanosPerImagePixel * 1e-9;
  }
}

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
   * GLPN-b4 on this project's 2-core machine (AMD EPYC, AVX2), 2 threads, idle: dense 42 GFLOP/s per thread from
   * {@code bench glpn} (1.87 s at 480x640, 2.75 s at 352x1216, README Performance; the estimate gives 2.16 and
   * 3.29 s); attention 21 GFLOP/s per thread, the most that agrees with issue 11's 12 MP run (42 TFLOP, 35 of them
   * attention, not done after 15 minutes); scores not priced apart (GLPN-b4's head size is 64 in every stage, so
   * they are in the attention rate); 60 ns per image pixel for decoding, resizing and the bicubic resize. The runs of
   * {@code bench calibrate} on 2026-12-06 were taken under a load of 17 to 33 and are not used here (README,
   * Resource admission); {@code bench calibrate} on an idle machine replaces these.
   */
  public static final Throughput CALIBRATED = new Throughput(42, 21, 0, 60);

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

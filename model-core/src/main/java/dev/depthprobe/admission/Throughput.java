package dev.depthprobe.admission;

/**
 * Seconds from work, with rates calibrated by {@code depthprobe bench calibrate}:
 * <pre>
 *   seconds = dense FLOPs / (t * dense rate) + attention FLOPs / (t * attention rate)
 *           + attention scores * score cost / t + image pixels * pixel cost + images * image cost
 * </pre>
 * where t is the forward pass's threads and the rates are GFLOP/s per thread. Dense FLOPs are the convolutions and
 * linear layers (sgemm-shaped, near the machine's matrix speed); attention FLOPs are the score and context products,
 * which run slower per FLOP (short head sizes), and each score also costs a softmax exp: their share grows with the
 * square of the pixels, which is why large images take more seconds per FLOP. The pixel cost is per pixel of the
 * original image: decoding, resizing and the bicubic post-processing, single-threaded; the image cost is what an
 * image takes whatever its size (a new shape's first pass: kernel set-up, workspaces).
 */
public record Throughput(double denseGflopsPerThread, double attentionGflopsPerThread, double nanosPerScore,
    double nanosPerImagePixel, double millisPerImage) {
  /**
   * Fitted by {@code depthprobe bench calibrate} on this project's 2-core machine (AMD EPYC, AVX-512), 2 threads,
   * idle, 2026-12-06: the bundled tiny GLPN and GLPN-b4 (glpn-kitti widths), each at 0.3, 1.2, 3.1, 6.2 and 12 MP, each
   * image the first of its size in its JVM (README, Resource admission): 89 GFLOP/s per thread dense, 45 for
   * attention's products, 5.7 ns per score (its exp, and score blocks that outgrow the caches), 364 ns per image
   * pixel (decoding, resizing, post-processing) and 955 ms per image (a new shape's first pass). The estimates are
   * within 0.68 to 1.30 of the ten measured seconds; the worst is GLPN-b4 at 12 MP (815 s estimated, 1192 measured),
   * where attention runs slower per FLOP still.
   */
  public static final Throughput CALIBRATED = new Throughput(89, 45, 5.7, 364, 955);

  public Throughput {
    if (!(denseGflopsPerThread > 0) || !(attentionGflopsPerThread > 0) || !(nanosPerScore >= 0) || !(nanosPerImagePixel >= 0)
        || !(millisPerImage >= 0)) {
      throw new IllegalArgumentException("throughput rates must be positive, got " + this);
    }
  }

  public double seconds(Work work, int threads) {
    int t = Math.max(1, threads);
    Flops flops = work.flops();
    return flops.dense() / (t * denseGflopsPerThread * 1e9) + flops.attention() / (t * attentionGflopsPerThread * 1e9)
        + work.attentionScores() * nanosPerScore * 1e-9 / t + work.imagePixels() * nanosPerImagePixel * 1e-9
        + work.images() * millisPerImage * 1e-3;
  }
}

package dev.depthprobe.admission;

import dev.depthprobe.glpn.GlpnConfig;
import dev.depthprobe.glpn.GlpnImageProcessor;

/**
 * GLPN's resources for a batch of b images of W x H pixels (P = W H, c channels of s bytes), processed at h x w
 * (Q = h w, each side rounded down to size_divisor), all sizes in bytes of float32 = 4:
 * <pre>
 *   heap    = b 3P                                       decoded RGB images, held for the batch
 *           + max( P c s + 3P,                           decoder raster and the RGB conversion
 *                  3 w H + 15Q + 12 b Q,                 horizontal resize pass, resized image, pixel values, batch
 *                  4Q + 4 b P )                          depth copied out, bicubic outputs at the original size
 *           + t 4 A                                      per-thread attention scores (A = 2^18 score elements)
 *   native  = 4 b [ 3Q + 3Q + Q                          pixel_values, its NHWC copy, predicted depth
 *                 + sum_i 2 T_i C_i                      each stage's embedding and normed output, kept
 *                 + sum_i 5 T_i D ]                      decoder: fused map and its x2 upsampling, kept
 *           + 4 b max_i max( 3 T_i C_i + 4 R_i C_i,      attention half: norm, query, context; sr conv, norm, key, value
 *                            T_i C_i + 2 T_i M_i,        Mix-FFN half: norm, dense1, depthwise conv + GELU
 *                            T_i (6.5 D + 2) )           selective feature fusion
 *           + t 4 (2 E_band + 2 K_0 d_0 + 2 A)           per-thread head bands (E_band = min(2^22, 4 T_0 D)), attention buffers
 * </pre>
 * with T_i, R_i, C_i, M_i as in {@link GlpnFlops}, D the decoder width, d_0 the first stage's head size, K_0 = R_0
 * its keys and t the threads. Workspaces keep their peak per thread, so a thread that once ran a large image keeps
 * that much native memory. The measured figures these are compared with are in the README (Resource admission).
 * Seconds: {@link Throughput#seconds} of the batch's {@link Work}: b times the FLOPs and attention scores of
 * {@link GlpnFlops}, and b P image pixels.
 */
public final class GlpnCostModel implements CostModel {
  private static final long FLOAT = 4;
  /** Attention score elements per block of queries (EfficientSelfAttention's SCORE_BLOCK_ELEMENTS). */
  private static final long SCORE_BLOCK = 1L << 18;
  /** Input feature elements of one band of the depth head (DepthEstimationHead's BAND_ELEMENTS). */
  private static final long HEAD_BAND = 1L << 22;

  private final GlpnConfig config;
  private final GlpnImageProcessor processor;
  private final Throughput throughput;

  public GlpnCostModel(GlpnConfig config, GlpnImageProcessor processor, Throughput throughput) {
    this.config = config;
    this.processor = processor;
    this.throughput = throughput;
  }

  @Override
  public ResourceEstimate estimate(ImageHeader header, int batchSize, int threads) {
    int[] hw = processor.processedSize(header.height(), header.width());
    return estimate(header, hw[0], hw[1], batchSize, threads);
  }

  /** As {@link #estimate(ImageHeader, int, int)}, for a model input of {@code height x width} (e.g. after a downscale). */
  public ResourceEstimate estimate(ImageHeader header, int height, int width, int batchSize, int threads) {
    long b = batchSize;
    int t = Math.max(1, threads);
    GlpnStages stages = GlpnStages.of(config, height, width);
    Work work = new Work(GlpnFlops.perImage(config, height, width), GlpnFlops.attentionScores(config, height, width),
        header.pixels()).times(b);
    return new ResourceEstimate(heapBytes(header, height, width, b, t), nativeBytes(stages, (long) height * width, b, t),
        work, throughput.seconds(work, t));
  }

  private static long heapBytes(ImageHeader header, int height, int width, long b, int t) {
    long p = header.pixels();
    long q = (long) height * width;
    long decode = header.rasterBytes() + 3 * p;
    long preprocess = 3L * width * header.height() + 15 * q + 12 * b * q;
    long post = 4 * q + 4 * b * p;
    return b * 3 * p + Math.max(decode, Math.max(preprocess, post)) + t * FLOAT * SCORE_BLOCK;
  }

  private long nativeBytes(GlpnStages stages, long q, long b, int t) {
    long d = config.decoderHiddenSize();
    long kept = 7 * q;
    long block = 0;
    for (int i = 0; i < stages.count(); i++) {
      long tokens = stages.tokens(i);
      long c = config.hiddenSizes()[i];
      long attention = 3 * tokens * c + 4 * stages.reducedTokens(i) * c;
      long mixFfn = tokens * c + 2 * tokens * config.mlpHiddenSize(i);
      long fusion = tokens * (13 * d + 4) / 2;
      kept += 2 * tokens * c + 5 * tokens * d;
      block = Math.max(block, Math.max(attention, Math.max(mixFfn, fusion)));
    }
    long headDim = config.hiddenSizes()[0] / config.numAttentionHeads()[0];
    long perThread = 2 * Math.min(HEAD_BAND, stages.headPixels() * d) + 2 * stages.reducedTokens(0) * headDim
        + 2 * SCORE_BLOCK;
    return FLOAT * (b * (kept + block) + t * perThread);
  }
}

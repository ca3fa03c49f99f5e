package dev.depthprobe.admission;

import dev.depthprobe.image.ImageHeader;
import dev.depthprobe.glpn.GlpnConfig;
import dev.depthprobe.glpn.GlpnImageProcessor;
import dev.depthprobe.glpn.GlpnWorkBlocks;

/**
 * GLPN's resources for a batch of b images of W x H pixels (P = W H, c channels of s bytes), processed at h x w
 * (Q = h w, each side rounded down to size_divisor), all sizes in bytes of float32 = 4:
 * <pre>
 *   live    = b 3P                                       decoded RGB images, held for the batch
 *           + max( P c s + 3P,                           decoder raster and the RGB conversion
 *                  4Q + 4 b P )                          depth copied out, bicubic outputs at the original size
 *           + t 4 A                                      per-thread attention scores (A = 2^18 score elements)
 *   heap    = 1.3 live                                   {@link HeapUse} (calibrated against the least heap)
 * (the resize writes pixel values into native memory in bands of 64 rows: a few rows of heap)
 *   native  = 4 b [ 3Q + 3Q + 2Q                         pixel_values, its NHWC copy, the head's and the output depth
 *                 + sum_i 2 T_i C_i                      each stage's embedding and normed output, kept
 *                 + sum_i 6 T_i D                        decoder: fused map, its copy and its x2 upsampling, kept
 *                 + 20 Q ]                               (calibrated) oneDNN's reorders and other image-sized scratch
 *           + 4 b max_i max( 3 T_i C_i + 4 R_i C_i,      attention half: norm, query, context; sr conv, norm, key, value
 *                            T_i C_i + 2 T_i M_i,        Mix-FFN half: norm, dense1, depthwise conv + GELU
 *                            T_i (6.5 D + 2) )           selective feature fusion
 *           + 4 min(t, n) 2 E / n                        head bands in flight: E = b T_head D input elements in
 *                                                        n = ceil(E / 2^22) bands (rounded up to whole rounds of t)
 *           + t 4 (2 R_0 d_0 + 2 A)                      per-thread attention buffers
 *           + J                                          the decoder's buffer: a multi-scan JPEG's coefficients
 * </pre>
 * with T_i, R_i, C_i, M_i as in {@link GlpnFlops}, D the decoder width, d_0 the first stage's head size and t the
 * threads. The calibrated terms come from {@code depthprobe bench calibrate} (README, Resource admission). Workspaces
 * keep their peak per thread, so a thread that once ran a large image keeps that much native memory.
 * Seconds: {@link Throughput#seconds} of the batch's {@link Work}: b times the FLOPs and attention scores of
 * {@link GlpnFlops}, and b P image pixels.
 */
public record GlpnCostModel(GlpnConfig config, GlpnImageProcessor processor, Throughput throughput)
    implements CostModel {
  private static final long FLOAT = 4;
  private static final long SCORE_BLOCK = GlpnWorkBlocks.SCORE_BLOCK_ELEMENTS;
  private static final long HEAD_BAND = GlpnWorkBlocks.HEAD_BAND_ELEMENTS;
  /** Calibrated: image-sized native scratch, floats per model pixel. */
  private static final long SCRATCH_PER_PIXEL = 20;

  @Override
  public ResourceEstimate estimate(ImageHeader header, int batchSize, int threads) {
    int[] hw = processor.processedSize(header.uprightHeight(), header.uprightWidth());
    return estimate(header, hw[0], hw[1], batchSize, threads);
  }

  /** As {@link #estimate(ImageHeader, int, int)}, for a model input of {@code height x width} (e.g. after a downscale). */
  public ResourceEstimate estimate(ImageHeader header, int height, int width, int batchSize, int threads) {
    long b = batchSize;
    int t = Math.max(1, threads);
    GlpnStages stages = GlpnStages.of(config, height, width);
    Work work = new Work(GlpnFlops.perImage(config, height, width), GlpnFlops.attentionScores(config, height, width),
        header.pixels()).times(b);
    // images decode one at a time: one decoder buffer (ImageHeader.decoderBufferBytes) at most
    return new ResourceEstimate(heapBytes(header, height, width, b, t),
        nativeBytes(stages, (long) height * width, b, t) + header.decoderBufferBytes(), work, throughput.seconds(work, t));
  }

  private static long heapBytes(ImageHeader header, int height, int width, long b, int t) {
    long p = header.pixels();
    long q = (long) height * width;
    long decode = header.rasterBytes() + 3 * p;
    long post = 4 * q + 4 * b * p;
    long live = b * 3 * p + Math.max(decode, post) + t * FLOAT * SCORE_BLOCK;
    return HeapUse.of(live);
  }

  private long nativeBytes(GlpnStages stages, long q, long b, int t) {
    long d = config.decoderHiddenSize();
    long kept = (8 + SCRATCH_PER_PIXEL) * q;
    long block = 0;
    for (int i = 0; i < stages.count(); i++) {
      long tokens = stages.tokens(i);
      long c = config.hiddenSizes()[i];
      long attention = 3 * tokens * c + 4 * stages.reducedTokens(i) * c;
      long mixFfn = tokens * c + 2 * tokens * config.mlpHiddenSize(i);
      long fusion = tokens * (13 * d + 4) / 2;
      kept += 2 * tokens * c + 6 * tokens * d;
      block = Math.max(block, Math.max(attention, Math.max(mixFfn, fusion)));
    }
    long headDim = config.hiddenSizes()[0] / config.numAttentionHeads()[0];
    long headElements = b * stages.headPixels() * d;
    long bands = (headElements + HEAD_BAND - 1) / HEAD_BAND;
    bands = (bands + t - 1) / t * t; // whole rounds of bands for the threads, as DepthEstimationHead shares them
    long head = Math.min(t, bands) * 2 * (headElements / bands); // each band's input and conv1 output
    long perThread = 2 * stages.reducedTokens(0) * headDim + 2 * SCORE_BLOCK;
    return FLOAT * (b * (kept + block) + head + t * perThread);
  }
}

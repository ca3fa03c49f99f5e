package dev.depthprobe.admission;

import dev.depthprobe.image.ImageHeader;
import dev.depthprobe.imagegpt.ImageGptConfig;

/**
 * ImageGPT's resources for a batch of b images of W x H pixels (P = W H, c channels of s bytes). Every image is
 * resized to the processor's h x w (32 x 32 for the released checkpoints, S = h w tokens), so the forward pass costs
 * the same for every image and only decoding and the resize grow with the picture. With E = n_embd, I = n_inner,
 * L the blocks run (all, or up to the probed layer) and float32 = 4 bytes:
 * <pre>
 *   live    = b 3P                                       decoded RGB images, held for the batch
 *           + max( P c s + 3P,                           decoder raster and the RGB conversion
 *                  3 w H + 3 S + 8 b S + 8 S )           horizontal resize pass, resized image, input ids, distances
 *           + t 4 A                                      per-thread attention scores (A = 2^18 score elements)
 *   heap    = 1.3 live                                   {@link HeapUse}, as calibrated for GLPN
 *   native  = 4 b S (E + 5E + I) + 4 b S E               hidden state; ImageGptState's norm, qkv, attention output
 *                                                        and MLP buffers; the pooled features at most once more
 *           + t 4 (4 S d + 2 A)                          per-thread attention buffers, d = E / n_head
 *           + J                                          the decoder's buffer: a multi-scan JPEG's coefficients
 *   FLOPs   = L (2 S E 3E + 2 S E E + 4 S^2 E + 4 S E I) per image (c_attn, c_proj, scores and context, MLP)
 * </pre>
 * Seconds: {@link Throughput#seconds} of the batch's {@link Work}: b times these FLOPs, L n_head S^2 / 2 causal
 * attention scores and P image pixels.
 */
public final class ImageGptCostModel implements CostModel {
  private static final long FLOAT = 4;
  private static final long SCORE_BLOCK = 1L << 18;

  private final ImageGptConfig config;
  private final int inputHeight;
  private final int inputWidth;
  private final int layers;
  private final Throughput throughput;

  /** For the processor's {@code inputHeight x inputWidth} and a forward pass through {@code layers} blocks. */
  public ImageGptCostModel(ImageGptConfig config, int inputHeight, int inputWidth, int layers, Throughput throughput) {
    if (inputHeight < 1 || inputWidth < 1 || layers < 0 || layers > config.nLayer()) {
      throw new IllegalArgumentException("ImageGPT input " + inputHeight + "x" + inputWidth + " and " + layers
          + " of " + config.nLayer() + " layers");
    }
    this.config = config;
    this.inputHeight = inputHeight;
    this.inputWidth = inputWidth;
    this.layers = layers;
    this.throughput = throughput;
  }

  /** One image's forward FLOPs through {@code layers} blocks of a {@code seq}-token sequence. */
  public static Flops flops(ImageGptConfig config, long seq, int layers) {
    long e = config.nEmbd();
    Flops block = Flops.linear(seq * e * 3 * e) // c_attn
        .plus(Flops.linear(seq * e * e)) // attn.c_proj
        .plus(Flops.attention(2 * seq * seq * e)) // q k^T over all positions, then scores v
        .plus(Flops.linear(2 * seq * e * config.nInner())); // c_fc, mlp.c_proj
    return block.times(layers);
  }

  @Override
  public ResourceEstimate estimate(ImageHeader header, int batchSize, int threads) {
    long b = batchSize;
    int t = Math.max(1, threads);
    long s = (long) inputHeight * inputWidth;
    long p = header.pixels();
    long e = config.nEmbd();
    long decode = header.rasterBytes() + 3 * p;
    long preprocess = 3L * inputWidth * header.uprightHeight() + 3 * s + 8 * b * s + 8 * s;
    long heap = HeapUse.of(b * 3 * p + Math.max(decode, preprocess) + t * FLOAT * SCORE_BLOCK);
    long headDim = e / config.nHead();
    long nativeBytes = FLOAT * (b * s * (7 * e + config.nInner()) + t * (4 * s * headDim + 2 * SCORE_BLOCK))
        + header.decoderBufferBytes(); // images decode one at a time
    Work work = new Work(flops(config, s, layers), (long) layers * config.nHead() * s * s / 2, p).times(b);
    return new ResourceEstimate(heap, nativeBytes, work, throughput.seconds(work, t));
  }
}

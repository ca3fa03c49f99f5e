package dev.depthprobe.jobs.bench;

import dev.depthprobe.imagegpt.ImageGptConfig;

/** {@link Flops} of one ImageGPTModel forward pass over {@code seq} ids through {@code layers} blocks. */
public final class ImageGptFlops {
  private ImageGptFlops() {}

  public static Flops perImage(ImageGptConfig config, long seq, int layers) {
    long e = config.nEmbd();
    Flops block = Flops.linear(seq * e * 3 * e) // c_attn
        .plus(Flops.linear(seq * e * e)) // attn.c_proj
        .plus(Flops.attention(2 * seq * seq * e)) // q k^T over all positions, then scores v
        .plus(Flops.linear(2 * seq * e * config.nInner())); // c_fc, mlp.c_proj
    return block.times(layers);
  }
}

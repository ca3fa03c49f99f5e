package dev.depthprobe.admission;

/**
 * What a batch makes the machine do, in the units {@link Throughput} prices: the forward pass's {@link Flops}, its
 * attention scores (each one exp in a softmax, counted as computed: every key for GLPN, half the square for
 * ImageGPT's causal blocks), the pixels of the original images (decoding, resizing, post-processing) and the images
 * themselves (what each costs whatever its size: the first pass at a new shape sets up its kernels and buffers).
 */
public record Work(Flops flops, long attentionScores, long imagePixels, long images) {
  /** One image's work. */
  public Work(Flops flops, long attentionScores, long imagePixels) {
    this(flops, attentionScores, imagePixels, 1);
  }

  public Work times(long n) {
    return new Work(flops.times(n), attentionScores * n, imagePixels * n, images * n);
  }
}

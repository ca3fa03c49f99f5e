package dev.depthprobe.admission;

/**
 * What a batch makes the machine do, in the units {@link Throughput} prices: the forward pass's {@link Flops}, its
 * attention scores (each one exp in a softmax, counted as computed: every key for GLPN, half the square for
 * ImageGPT's causal blocks) and the pixels of the original images (decoding, resizing, post-processing).
 */
public record Work(Flops flops, long attentionScores, long imagePixels) {
  public Work times(long n) {
    return new Work(flops.times(n), attentionScores * n, imagePixels * n);
  }
}

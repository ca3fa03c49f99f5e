package dev.depthprobe.admission;

/**
 * Floating-point operations of one image's forward pass, counted as BENCH.md counts them: two per multiply-add of
 * convolutions, linear layers and the batched matmuls of attention (scores and context over every key position, as
 * PyTorch computes them before masking). Normalisations, activations, biases and resampling are not counted.
 */
public record Flops(long conv, long linear, long attention) {
  public static final Flops ZERO = new Flops(0, 0, 0);

  public static Flops conv(long multiplyAdds) {
    return new Flops(2 * multiplyAdds, 0, 0);
  }

  public static Flops linear(long multiplyAdds) {
    return new Flops(0, 2 * multiplyAdds, 0);
  }

  public static Flops attention(long multiplyAdds) {
    return new Flops(0, 0, 2 * multiplyAdds);
  }

  public Flops plus(Flops other) {
    return new Flops(conv + other.conv, linear + other.linear, attention + other.attention);
  }

  public Flops times(long n) {
    return new Flops(conv * n, linear * n, attention * n);
  }

  /** Convolutions and linear layers: the dense matrix products. */
  public long dense() {
    return conv + linear;
  }

  public long total() {
    return conv + linear + attention;
  }

  public double gflop() {
    return total() / 1e9;
  }
}

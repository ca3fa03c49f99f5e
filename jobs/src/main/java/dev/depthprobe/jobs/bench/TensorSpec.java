package dev.depthprobe.jobs.bench;

import java.util.Arrays;

/**
 * One tensor of a checkpoint layout: its name, shape and how a freshly initialised transformers model
 * fills it ({@code _init_weights}: weights normal with std 0.02, biases 0, norm weights and running
 * variances 1).
 */
public record TensorSpec(String name, long[] shape, Init init) {

  /** How the values are drawn. */
  public enum Init { NORMAL, ZEROS, ONES }

  /** Standard deviation of {@link Init#NORMAL} values (transformers' {@code initializer_range}). */
  public static final double STD = 0.02;

  public static TensorSpec normal(String name, long... shape) {
    return new TensorSpec(name, shape, Init.NORMAL);
  }

  public static TensorSpec zeros(String name, long... shape) {
    return new TensorSpec(name, shape, Init.ZEROS);
  }

  public static TensorSpec ones(String name, long... shape) {
    return new TensorSpec(name, shape, Init.ONES);
  }

  public long size() {
    return Arrays.stream(shape).reduce(1, Math::multiplyExact);
  }
}

package dev.depthprobe.imagegpt;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a linear-probe feature is: the layers (0 = embeddings, as transformers numbers
 * {@code hidden_states}), the recipe, whether the SOS id is put before the pixels, and whether the
 * mean over the sequence includes that SOS position.
 */
public record FeatureSpec(int[] layers, FeatureRecipe recipe, boolean prependSos, boolean poolSos)
    implements Serializable {

  public FeatureSpec {
    if (layers == null || layers.length == 0) {
      throw new IllegalArgumentException("FeatureSpec needs at least one layer");
    }
    if (recipe == null) {
      throw new IllegalArgumentException("FeatureSpec needs a recipe");
    }
    if (poolSos && !prependSos) {
      throw new IllegalArgumentException("poolSos needs prependSos: there is no SOS position to pool");
    }
    layers = layers.clone();
  }

  /** transformers' pooled feature: {@code hidden_states[layer].mean(dim=1)} of the processor's ids. */
  public static FeatureSpec hidden(int... layers) {
    return new FeatureSpec(layers, FeatureRecipe.HIDDEN, false, false);
  }

  @Override
  public int[] layers() {
    return layers.clone();
  }

  /** The deepest layer asked for: the forward pass stops there. */
  public int deepestLayer() {
    return Arrays.stream(layers).max().orElseThrow();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureSpec other && Arrays.equals(layers, other.layers) && recipe == other.recipe
        && prependSos == other.prependSos && poolSos == other.poolSos;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(layers) + Objects.hash(recipe, prependSos, poolSos);
  }

  @Override
  public String toString() {
    return "FeatureSpec[layers=" + Arrays.toString(layers) + ", recipe=" + recipe + ", prependSos=" + prependSos
        + ", poolSos=" + poolSos + "]";
  }
}

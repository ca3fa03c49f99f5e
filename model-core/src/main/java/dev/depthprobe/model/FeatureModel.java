package dev.depthprobe.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.image.RgbImage;
import dev.depthprobe.imagegpt.FeatureSpec;
import java.util.List;

/**
 * The linear-probe feature task: a batch of images and a layer spec to pooled features.
 * Implementations are thread-safe.
 */
public interface FeatureModel extends ImageModel {
  /** Features [image][index in spec.layers()][hidden size] of one batch, in the order of {@code images}. */
  float[][][] extract(List<RgbImage> images, FeatureSpec spec);

  /** How one {@code model_type} becomes a feature model: a line of the {@link ModelRegistry}. */
  interface Family {
    FeatureModel build(JsonNode config, JsonNode preprocessorConfig, StateDict weights);
  }
}

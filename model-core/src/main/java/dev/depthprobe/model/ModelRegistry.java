package dev.depthprobe.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.checkpoint.CheckpointBuffers;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.glpn.GlpnFamily;
import dev.depthprobe.imagegpt.ImageGptFamily;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The models of each task by {@code config.json}'s {@code model_type}, as transformers' auto classes
 * map it ({@code AutoModelForDepthEstimation}, {@code AutoModel}). A new model is a package that
 * implements the task's interface and one line here.
 */
public final class ModelRegistry {
  private static final Map<String, DepthModel.Family> DEPTH = Map.of(
      "glpn", new GlpnFamily());
  private static final Map<String, FeatureModel.Family> FEATURES = Map.of(
      "imagegpt", new ImageGptFamily());

  private ModelRegistry() {}

  /** The depth family of {@code config.json}; a {@code model_type} without one is a {@link CheckpointException}. */
  public static DepthModel.Family depth(JsonNode config) {
    return family(DEPTH, config);
  }

  /** The feature family of {@code config.json}; a {@code model_type} without one is a {@link CheckpointException}. */
  public static FeatureModel.Family features(JsonNode config) {
    return family(FEATURES, config);
  }

  /** The depth model of a checkpoint folder, weights read once and their buffers released after the build. */
  public static DepthModel loadDepth(Checkpoint checkpoint) {
    return CheckpointBuffers.releasedAfter(() -> depth(checkpoint.config()).build(checkpoint.config(),
        checkpoint.preprocessorConfig(), checkpoint.weights()));
  }

  private static <F> F family(Map<String, F> families, JsonNode config) {
    String modelType = config.path("model_type").asText("");
    F family = families.get(modelType);
    if (family == null) {
      throw new CheckpointException("config.json: model_type is '" + modelType + "', expected "
          + families.keySet().stream().sorted().map(t -> "'" + t + "'").collect(Collectors.joining(" or ")));
    }
    return family;
  }
}

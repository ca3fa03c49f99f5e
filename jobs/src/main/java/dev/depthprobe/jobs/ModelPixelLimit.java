package dev.depthprobe.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.model.DepthModel;

/**
 * The checks of {@code --max-model-pixels} (depth, predict-depth), on the driver: at least 1 before anything
 * is read, then at least the smallest size the model's processor gives (GLPN: size_divisor squared) from the
 * checkpoint's {@code preprocessor_config.json}, before any weights are read.
 */
final class ModelPixelLimit {
  private ModelPixelLimit() {}

  /** A limit, where given, is at least 1. */
  static void requirePositive(Long maxModelPixels) {
    if (maxModelPixels != null && maxModelPixels < 1) {
      throw new UserException("--max-model-pixels must be at least 1, got " + maxModelPixels);
    }
  }

  /** A limit, where given, that no processed size fits is a one-line user error naming the minimum. */
  static void requireFits(Long maxModelPixels, DepthModel.Family family, JsonNode preprocessorConfig) {
    requirePositive(maxModelPixels);
    if (maxModelPixels == null) {
      return;
    }
    try {
      family.checkMaxModelPixels(preprocessorConfig, maxModelPixels);
    } catch (IllegalArgumentException e) {
      throw new UserException("--max-model-pixels: " + e.getMessage());
    }
  }
}

package dev.depthprobe.imagegpt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.model.FeatureModel;

/** {@code model_type: imagegpt}: transformers' ImageGPTImageProcessor and ImageGPTModel. */
public final class ImageGptFamily implements FeatureModel.Family {
  @Override
  public FeatureModel build(JsonNode config, JsonNode preprocessorConfig, StateDict weights) {
    return new FeatureExtractor(ImageGptImageProcessor.fromConfig(preprocessorConfig),
        ImageGptModel.fromStateDict(ImageGptConfig.fromJson(config), weights));
  }
}

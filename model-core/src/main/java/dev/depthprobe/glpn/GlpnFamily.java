package dev.depthprobe.glpn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.model.DepthModel;

/** {@code model_type: glpn}: transformers' GLPNImageProcessor and GLPNForDepthEstimation. */
public final class GlpnFamily implements DepthModel.Family {
  @Override
  public double check(JsonNode config, JsonNode preprocessorConfig) {
    double maxDepth = GlpnConfig.fromJson(config).maxDepth();
    GlpnImageProcessor.fromConfig(preprocessorConfig);
    return maxDepth;
  }

  @Override
  public void checkMaxModelPixels(JsonNode preprocessorConfig, long maxModelPixels) {
    GlpnImageProcessor.fromConfig(preprocessorConfig).withMaxModelPixels(maxModelPixels);
  }

  @Override
  public DepthModel build(JsonNode config, JsonNode preprocessorConfig, StateDict weights) {
    return new DepthEstimator(GlpnImageProcessor.fromConfig(preprocessorConfig),
        GlpnForDepthEstimation.fromStateDict(GlpnConfig.fromJson(config), weights));
  }
}

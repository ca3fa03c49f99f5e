package dev.depthprobe.jobs.probe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.imagegpt.FeatureRecipe;
import dev.depthprobe.imagegpt.FeatureSpec;
import dev.depthprobe.imagegpt.ImageGptConfig;
import dev.depthprobe.imagegpt.ImageGptImageProcessor;
import dev.depthprobe.jobs.UserException;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import picocli.CommandLine.Option;

/** What a linear-probe feature is, as {@code features} and {@code predict-features} take it (a picocli mixin). */
public final class FeatureSpecOptions {
  @Option(names = {"--layers", "--layer"}, required = true, split = ",", paramLabel = "all|L[,L...]")
  List<String> layers;

  @Option(names = "--recipe", defaultValue = "hidden", paramLabel = "hidden|ln")
  FeatureRecipe recipe;

  @Option(names = "--prepend-sos")
  boolean prependSos;

  @Option(names = "--pool-sos")
  boolean poolSos;

  /**
   * The spec, checked against a checkpoint's {@code config.json} and {@code preprocessor_config.json}
   * ({@code where} names the checkpoint in messages); throws {@link UserException} or, for a config
   * that is not ImageGPT's, {@code CheckpointException}.
   */
  public FeatureSpec spec(JsonNode configJson, JsonNode preprocessorConfig, String where) {
    ImageGptConfig config = ImageGptConfig.fromJson(configJson);
    int sequenceLength;
    try {
      sequenceLength = ImageGptImageProcessor.fromConfig(preprocessorConfig).sequenceLength();
    } catch (CheckpointException e) { // names the file and the key
      throw new UserException(where + ": " + e.getMessage());
    }
    int nLayer = config.nLayer();
    List<Integer> layers = layers(nLayer);
    if (new HashSet<>(layers).size() != layers.size()) {
      throw new UserException("--layers " + layers + ": a layer is named twice");
    }
    for (int layer : layers) {
      if (layer < 0 || layer > nLayer) {
        throw new UserException("--layers: layer " + layer + " is outside 0.." + nLayer + " (the model has "
            + nLayer + " blocks)");
      }
    }
    if (poolSos && !prependSos) {
      throw new UserException("--pool-sos needs --prepend-sos: there is no SOS position to pool");
    }
    return new FeatureSpec(layers.stream().mapToInt(Integer::intValue).toArray(), recipe, prependSos, poolSos);
  }

  /** The asked layers as numbers: {@code all} is every hidden_states index of a model of {@code nLayer} blocks. */
  private List<Integer> layers(int nLayer) {
    if (this.layers.size() == 1 && this.layers.get(0).strip().equalsIgnoreCase("all")) {
      return IntStream.rangeClosed(0, nLayer).boxed().toList();
    }
    try {
      return this.layers.stream().map(l -> Integer.parseInt(l.strip())).toList();
    } catch (NumberFormatException e) {
      throw new UserException("--layers must be all or a list of layers like 4,8,12, got " + this.layers);
    }
  }
}

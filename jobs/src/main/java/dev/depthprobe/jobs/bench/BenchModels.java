package dev.depthprobe.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depthprobe.checkpoint.CheckpointBuffers;
import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.glpn.GlpnConfig;
import dev.depthprobe.glpn.GlpnForDepthEstimation;
import dev.depthprobe.imagegpt.ImageGptConfig;
import dev.depthprobe.imagegpt.ImageGptModel;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmarked models with random weights, built in memory: GLPN in the glpn-kitti configuration
 * (MiT-b4 encoder) and ImageGPT-small, from the {@code config.json} fields of those checkpoints.
 */
public final class BenchModels {
  private static final Logger LOG = LoggerFactory.getLogger(BenchModels.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A model and the size of its weights. */
  public record RandomModel<M>(M model, long weightBytes) {}

  private BenchModels() {}

  /** {@code vinvino02/glpn-kitti}'s config.json (the fields the model reads). */
  public static ObjectNode glpnKittiConfigJson() {
    ObjectNode json = JSON.createObjectNode().put("model_type", "glpn").put("num_channels", 3)
        .put("num_encoder_blocks", 4).put("hidden_act", "gelu").put("decoder_hidden_size", 64)
        .put("max_depth", 80).put("head_in_index", -1);
    json.putArray("depths").add(3).add(8).add(27).add(3);
    json.putArray("hidden_sizes").add(64).add(128).add(320).add(512);
    json.putArray("num_attention_heads").add(1).add(2).add(5).add(8);
    json.putArray("sr_ratios").add(8).add(4).add(2).add(1);
    json.putArray("patch_sizes").add(7).add(3).add(3).add(3);
    json.putArray("strides").add(4).add(2).add(2).add(2);
    json.putArray("mlp_ratios").add(4).add(4).add(4).add(4);
    return json;
  }

  /** {@code openai/imagegpt-small}'s config.json (the fields the model reads). */
  public static ObjectNode imageGptSmallConfigJson() {
    return JSON.createObjectNode().put("model_type", "imagegpt").put("vocab_size", 513).put("n_positions", 1024)
        .put("n_embd", 512).put("n_layer", 24).put("n_head", 8).put("activation_function", "quick_gelu")
        .put("layer_norm_epsilon", 1e-5);
  }

  public static GlpnConfig glpnKitti() {
    return GlpnConfig.fromJson(glpnKittiConfigJson());
  }

  public static ImageGptConfig imageGptSmall() {
    return ImageGptConfig.fromJson(imageGptSmallConfigJson());
  }

  public static RandomModel<GlpnForDepthEstimation> randomGlpn(GlpnConfig config, long seed) {
    return build("GLPN", GlpnCheckpointLayout.of(config), seed,
        weights -> GlpnForDepthEstimation.fromStateDict(config, weights));
  }

  public static RandomModel<ImageGptModel> randomImageGpt(ImageGptConfig config, long seed) {
    return build("ImageGPT", ImageGptCheckpointLayout.of(config), seed,
        weights -> ImageGptModel.fromStateDict(config, weights));
  }

  /**
   * Builds the model from random tensors, checks it took every one of them and releases them, as a checkpoint's
   * loading does: the cases' peak memory then starts from the model alone.
   */
  private static <M> RandomModel<M> build(String name, List<TensorSpec> layout, long seed,
      Function<StateDict, M> loader) {
    long start = System.nanoTime();
    String source = "random " + name + " weights (seed " + seed + ")";
    M model = CheckpointBuffers.releasedAfter(() -> {
      StateDict weights = RandomStateDict.create(source, layout, seed);
      M built = loader.apply(weights);
      if (!weights.unused().isEmpty()) {
        throw new IllegalStateException(source + ": the model did not take " + weights.unused());
      }
      return built;
    });
    long bytes = RandomStateDict.bytes(layout);
    LOG.info("{}: {} tensors, {} MiB, built in {} ms", source, layout.size(), bytes >> 20,
        (System.nanoTime() - start) / 1_000_000);
    return new RandomModel<>(model, bytes);
  }
}

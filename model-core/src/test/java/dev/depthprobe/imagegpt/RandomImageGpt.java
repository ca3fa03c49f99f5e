package dev.depthprobe.imagegpt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depthprobe.checkpoint.SafetensorsWriter;
import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.checkpoint.Tensor;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Random ImageGPT weights for a given config, in the name layouts transformers saves. */
final class RandomImageGpt {
  /** Checkpoint names of ImageGPTModel, ImageGPTForCausalImageModeling and ImageGPTForImageClassification. */
  enum Layout { MODEL, CAUSAL_LM, CLASSIFIER }

  private static final ObjectMapper JSON = new ObjectMapper();

  final ImageGptConfig config;
  /** By ImageGPTModel name, e.g. {@code h.0.attn.c_attn.weight}. */
  final Map<String, float[]> weights = new LinkedHashMap<>();
  private final Map<String, long[]> shapes = new LinkedHashMap<>();
  private final Random random;

  RandomImageGpt(ImageGptConfig config, long seed) {
    this.config = config;
    this.random = new Random(seed);
    int e = config.nEmbd();
    add("wte.weight", 0.5, config.vocabSize(), e);
    add("wpe.weight", 0.5, config.nPositions(), e);
    for (int i = 0; i < config.nLayer(); i++) {
      String p = "h." + i + ".";
      addNorm(p + "ln_1.weight", e);
      add(p + "attn.c_attn.weight", 0.3, e, 3 * e);
      add(p + "attn.c_attn.bias", 0.1, 3 * e);
      add(p + "attn.c_proj.weight", 0.3, e, e);
      add(p + "attn.c_proj.bias", 0.1, e);
      addNorm(p + "ln_2.weight", e);
      add(p + "mlp.c_fc.weight", 0.3, e, config.nInner());
      add(p + "mlp.c_fc.bias", 0.1, config.nInner());
      add(p + "mlp.c_proj.weight", 0.3, config.nInner(), e);
      add(p + "mlp.c_proj.bias", 0.1, e);
    }
    addNorm("ln_f.weight", e);
  }

  /** The tensors under the layout's names, with the extra tensors that layout's checkpoints carry. */
  Map<String, Tensor> tensors(Layout layout) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    String prefix = layout == Layout.MODEL ? "" : "transformer.";
    weights.forEach((name, values) -> put(out, prefix + name, values, shapes.get(name)));
    int e = config.nEmbd();
    switch (layout) {
      case MODEL -> {
        // older hub checkpoints carry the attention mask buffers
        int p = config.nPositions();
        for (int i = 0; i < config.nLayer(); i++) {
          put(out, "h." + i + ".attn.bias", new float[p * p], new long[] {1, 1, p, p});
          put(out, "h." + i + ".attn.masked_bias", new float[] {-1e4f}, new long[] {});
        }
      }
      case CAUSAL_LM -> put(out, "lm_head.weight", gaussian((config.vocabSize() - 1) * e, 0.3),
          new long[] {config.vocabSize() - 1, e});
      case CLASSIFIER -> put(out, "score.weight", gaussian(5 * e, 0.3), new long[] {5, e});
    }
    return out;
  }

  StateDict stateDict(Layout layout) {
    return new StateDict("random-" + layout, tensors(layout));
  }

  /** A checkpoint folder: config.json, an empty preprocessor_config.json and model.safetensors. */
  void writeCheckpoint(Path dir, Layout layout) throws IOException {
    ObjectNode json = JSON.createObjectNode()
        .put("model_type", "imagegpt")
        .put("vocab_size", config.vocabSize())
        .put("n_positions", config.nPositions())
        .put("n_embd", config.nEmbd())
        .put("n_layer", config.nLayer())
        .put("n_head", config.nHead())
        .put("n_inner", config.nInner())
        .put("activation_function", config.activationFunction())
        .put("layer_norm_epsilon", config.layerNormEpsilon())
        .put("scale_attn_weights", config.scaleAttnWeights())
        .put("scale_attn_by_inverse_layer_idx", config.scaleAttnByInverseLayerIdx())
        .put("reorder_and_upcast_attn", config.reorderAndUpcastAttn());
    JSON.writeValue(dir.resolve("config.json").toFile(), json);
    Files.writeString(dir.resolve("preprocessor_config.json"), "{}");
    SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors(layout));
  }

  int[][] randomIds(int batch, int seq) {
    int[][] ids = new int[batch][seq];
    for (int n = 0; n < batch; n++) {
      for (int s = 0; s < seq; s++) {
        ids[n][s] = random.nextInt(config.vocabSize() - 1);
      }
    }
    return ids;
  }

  private void add(String name, double std, long... shape) {
    int size = 1;
    for (long d : shape) {
      size *= (int) d;
    }
    weights.put(name, gaussian(size, std));
    shapes.put(name, shape);
  }

  private void addNorm(String name, int size) {
    float[] values = gaussian(size, 0.2);
    for (int i = 0; i < size; i++) {
      values[i] += 1;
    }
    weights.put(name, values);
    shapes.put(name, new long[] {size});
  }

  private float[] gaussian(int size, double std) {
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) (random.nextGaussian() * std);
    }
    return values;
  }

  private static void put(Map<String, Tensor> out, String name, float[] values, long[] shape) {
    out.put(name, new Tensor(name, shape, FloatBuffer.wrap(values)));
  }
}

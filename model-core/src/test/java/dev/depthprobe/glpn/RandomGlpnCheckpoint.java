package dev.depthprobe.glpn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depthprobe.checkpoint.SafetensorsWriter;
import dev.depthprobe.checkpoint.Tensor;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Writes a GLPNForDepthEstimation checkpoint folder with random weights for any config: the tensor
 * names and shapes transformers' state_dict has, listed here independently of the model code.
 */
final class RandomGlpnCheckpoint {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Random random;
  private final Map<String, Tensor> tensors = new LinkedHashMap<>();

  private RandomGlpnCheckpoint(long seed) {
    this.random = new Random(seed);
  }

  /** The state dict of a GLPNForDepthEstimation with {@code config}, BatchNorm counters included. */
  static Map<String, Tensor> stateDict(GlpnConfig config, long seed) {
    RandomGlpnCheckpoint c = new RandomGlpnCheckpoint(seed);
    int n = config.numEncoderBlocks();
    for (int i = 0; i < n; i++) {
      int hidden = config.hiddenSizes()[i];
      int in = i == 0 ? config.numChannels() : config.hiddenSizes()[i - 1];
      int p = config.patchSizes()[i];
      String embed = "glpn.encoder.patch_embeddings." + i;
      c.conv(embed + ".proj", hidden, in, p);
      c.layerNorm(embed + ".layer_norm", hidden);
      for (int j = 0; j < config.depths()[i]; j++) {
        String layer = "glpn.encoder.block." + i + "." + j;
        c.layerNorm(layer + ".layer_norm_1", hidden);
        for (String proj : new String[] {"query", "key", "value"}) {
          c.linear(layer + ".attention.self." + proj, hidden, hidden);
        }
        int r = config.srRatios()[i];
        if (r > 1) {
          c.conv(layer + ".attention.self.sr", hidden, hidden, r);
          c.layerNorm(layer + ".attention.self.layer_norm", hidden);
        }
        c.linear(layer + ".attention.output.dense", hidden, hidden);
        c.layerNorm(layer + ".layer_norm_2", hidden);
        int mlp = (int) (hidden * config.mlpRatios()[i]);
        c.linear(layer + ".mlp.dense1", mlp, hidden);
        c.conv(layer + ".mlp.dwconv.dwconv", mlp, 1, 3);
        c.linear(layer + ".mlp.dense2", hidden, mlp);
      }
      c.layerNorm("glpn.encoder.layer_norm." + i, hidden);
    }
    int d = config.decoderHiddenSize();
    for (int s = 0; s < n; s++) {
      String stage = "decoder.stages." + s;
      int in = config.hiddenSizes()[n - 1 - s];
      if (in != d) {
        c.conv(stage + ".convolution", d, in, 1);
      }
      if (s > 0) {
        c.conv(stage + ".fusion.convolutional_layer1.0", d, 2 * d, 3);
        c.batchNorm(stage + ".fusion.convolutional_layer1.1", d);
        c.conv(stage + ".fusion.convolutional_layer2.0", d / 2, d, 3);
        c.batchNorm(stage + ".fusion.convolutional_layer2.1", d / 2);
        c.conv(stage + ".fusion.convolutional_layer3", 2, d / 2, 3);
      }
    }
    c.conv("head.head.0", d, d, 3);
    c.conv("head.head.2", 1, d, 3);
    return c.tensors;
  }

  /** Writes config.json (from {@code configJson}), preprocessor_config.json and model.safetensors into {@code dir}. */
  static Path write(Path dir, ObjectNode configJson, Map<String, Tensor> stateDict) throws IOException {
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve("config.json").toFile(), configJson);
    ObjectNode processor = JSON.createObjectNode()
        .put("image_processor_type", "GLPNImageProcessor")
        .put("do_resize", true)
        .put("do_rescale", true)
        .put("size_divisor", 32)
        .put("resample", 2);
    JSON.writeValue(dir.resolve("preprocessor_config.json").toFile(), processor);
    SafetensorsWriter.write(dir.resolve("model.safetensors"), stateDict);
    return dir;
  }

  private void linear(String prefix, int out, int in) {
    normal(prefix + ".weight", (float) (1 / Math.sqrt(in)), out, in);
    normal(prefix + ".bias", 0.1f, out);
  }

  private void conv(String prefix, int out, int in, int kernel) {
    normal(prefix + ".weight", (float) (1 / Math.sqrt(in * kernel * kernel)), out, in, kernel, kernel);
    normal(prefix + ".bias", 0.1f, out);
  }

  private void layerNorm(String prefix, int channels) {
    positive(prefix + ".weight", channels);
    normal(prefix + ".bias", 0.1f, channels);
  }

  private void batchNorm(String prefix, int channels) {
    positive(prefix + ".weight", channels);
    normal(prefix + ".bias", 0.1f, channels);
    normal(prefix + ".running_mean", 0.1f, channels);
    positive(prefix + ".running_var", channels);
    tensors.put(prefix + ".num_batches_tracked",
        new Tensor(prefix + ".num_batches_tracked", new long[0], FloatBuffer.wrap(new float[] {7})));
  }

  /** normal(0, std) values. */
  private void normal(String name, float std, long... shape) {
    float[] values = new float[size(shape)];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian() * std;
    }
    tensors.put(name, new Tensor(name, shape, FloatBuffer.wrap(values)));
  }

  /** Values in [0.8, 1.2), as scales and variances need. */
  private void positive(String name, long... shape) {
    float[] values = new float[size(shape)];
    for (int i = 0; i < values.length; i++) {
      values[i] = 0.8f + 0.4f * random.nextFloat();
    }
    tensors.put(name, new Tensor(name, shape, FloatBuffer.wrap(values)));
  }

  private static int size(long... shape) {
    int size = 1;
    for (long d : shape) {
      size *= (int) d;
    }
    return size;
  }
}

package dev.depthprobe.jobs.bench;

import dev.depthprobe.glpn.GlpnConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The tensors of a transformers {@code GLPNForDepthEstimation} checkpoint for a config, named and shaped
 * as its {@code state_dict()} (BatchNorm's integer {@code num_batches_tracked} counters left out: the
 * port ignores them). Loading a model from these tensors checks the layout: a missing tensor, a wrong
 * shape or a tensor the model does not take fails the load.
 */
public final class GlpnCheckpointLayout {
  private final List<TensorSpec> tensors = new ArrayList<>();

  private GlpnCheckpointLayout() {}

  public static List<TensorSpec> of(GlpnConfig config) {
    GlpnCheckpointLayout layout = new GlpnCheckpointLayout();
    layout.encoder("glpn.encoder", config);
    layout.decoder("decoder", config);
    int d = config.decoderHiddenSize();
    layout.conv("head.head.0", d, d, 3);
    layout.conv("head.head.2", 1, d, 3);
    return List.copyOf(layout.tensors);
  }

  private void encoder(String prefix, GlpnConfig config) {
    for (int i = 0; i < config.numEncoderBlocks(); i++) {
      int c = config.hiddenSizes()[i];
      String embeddings = prefix + ".patch_embeddings." + i;
      conv(embeddings + ".proj", c, config.patchEmbeddingChannels(i), config.patchSizes()[i]);
      layerNorm(embeddings + ".layer_norm", c);
      for (int j = 0; j < config.depths()[i]; j++) {
        String layer = prefix + ".block." + i + "." + j;
        int sr = config.srRatios()[i];
        int hidden = config.mlpHiddenSize(i);
        layerNorm(layer + ".layer_norm_1", c);
        linear(layer + ".attention.self.query", c, c);
        linear(layer + ".attention.self.key", c, c);
        linear(layer + ".attention.self.value", c, c);
        if (sr > 1) {
          conv(layer + ".attention.self.sr", c, c, sr);
          layerNorm(layer + ".attention.self.layer_norm", c);
        }
        linear(layer + ".attention.output.dense", c, c);
        layerNorm(layer + ".layer_norm_2", c);
        linear(layer + ".mlp.dense1", hidden, c);
        tensors.add(TensorSpec.normal(layer + ".mlp.dwconv.dwconv.weight", hidden, 1, 3, 3)); // depthwise
        tensors.add(TensorSpec.zeros(layer + ".mlp.dwconv.dwconv.bias", hidden));
        linear(layer + ".mlp.dense2", c, hidden);
      }
      layerNorm(prefix + ".layer_norm." + i, c);
    }
  }

  private void decoder(String prefix, GlpnConfig config) {
    int n = config.numEncoderBlocks();
    int d = config.decoderHiddenSize();
    for (int s = 0; s < n; s++) {
      String stage = prefix + ".stages." + s;
      int in = config.hiddenSizes()[n - 1 - s]; // deepest encoder stage first
      if (in != d) {
        conv(stage + ".convolution", d, in, 1);
      }
      if (s > 0) {
        String fusion = stage + ".fusion";
        conv(fusion + ".convolutional_layer1.0", d, 2 * d, 3);
        batchNorm(fusion + ".convolutional_layer1.1", d);
        conv(fusion + ".convolutional_layer2.0", d / 2, d, 3);
        batchNorm(fusion + ".convolutional_layer2.1", d / 2);
        conv(fusion + ".convolutional_layer3", 2, d / 2, 3);
      }
    }
  }

  private void conv(String prefix, int out, int in, int kernel) {
    tensors.add(TensorSpec.normal(prefix + ".weight", out, in, kernel, kernel));
    tensors.add(TensorSpec.zeros(prefix + ".bias", out));
  }

  private void linear(String prefix, int out, int in) {
    tensors.add(TensorSpec.normal(prefix + ".weight", out, in));
    tensors.add(TensorSpec.zeros(prefix + ".bias", out));
  }

  private void layerNorm(String prefix, int channels) {
    tensors.add(TensorSpec.ones(prefix + ".weight", channels));
    tensors.add(TensorSpec.zeros(prefix + ".bias", channels));
  }

  private void batchNorm(String prefix, int channels) {
    layerNorm(prefix, channels);
    tensors.add(TensorSpec.zeros(prefix + ".running_mean", channels));
    tensors.add(TensorSpec.ones(prefix + ".running_var", channels));
  }
}

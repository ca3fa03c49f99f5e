package dev.depthprobe.glpn;

import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.checkpoint.StateDict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * transformers GLPNForDepthEstimation on ND4J: the Mix Transformer encoder ({@code glpn.encoder.*}), the
 * decoder ({@code decoder.*}) and the depth head ({@code head.*}). Immutable once built, so threads may
 * share one instance; each thread's temporaries live in its own workspaces.
 */
public final class GlpnForDepthEstimation {
  private static final Logger LOG = LoggerFactory.getLogger(GlpnForDepthEstimation.class);
  private static final String BATCH_NORM_COUNTER = ".num_batches_tracked";

  private final GlpnConfig config;
  private final Encoder encoder;
  private final Decoder decoder;
  private final DepthEstimationHead head;

  private GlpnForDepthEstimation(GlpnConfig config, StateDict weights) {
    this.config = config;
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      this.encoder = new Encoder(weights, "glpn.encoder", config);
      this.decoder = new Decoder(weights, "decoder", config);
      this.head = new DepthEstimationHead(weights, "head.head", config.decoderHiddenSize(), config.maxDepth());
    }
  }

  public static GlpnForDepthEstimation load(Checkpoint checkpoint) {
    GlpnConfig config = GlpnConfig.fromJson(checkpoint.config());
    GlpnForDepthEstimation model = fromStateDict(config, checkpoint.weights());
    LOG.info("GLPN from {}: {}", checkpoint.dir(), config);
    return model;
  }

  /**
   * Builds the model, taking every tensor with the shape {@code config} implies; fails if one is missing
   * or misshapen, or if the checkpoint holds tensors the model does not use (BatchNorm's
   * num_batches_tracked counters aside).
   */
  public static GlpnForDepthEstimation fromStateDict(GlpnConfig config, StateDict weights) {
    GlpnForDepthEstimation model = new GlpnForDepthEstimation(config, weights);
    Set<String> unused = new TreeSet<>();
    for (String name : weights.unused()) {
      if (!name.endsWith(BATCH_NORM_COUNTER)) {
        unused.add(name);
      }
    }
    if (!unused.isEmpty()) {
      List<String> shown = unused.stream().limit(5).toList();
      throw new CheckpointException(weights.source() + ": " + unused.size() + " tensor(s) not used by "
          + "GLPNForDepthEstimation with this config.json: " + String.join(", ", shown)
          + (unused.size() > shown.size() ? ", ..." : ""));
    }
    return model;
  }

  public GlpnConfig config() {
    return config;
  }

  /** pixel_values (N, C, h, w) float32 -> predicted_depth (N, h, w) in metres, a new detached array. */
  public INDArray predictDepth(INDArray pixelValues) {
    INDArray pixels = checkInput(pixelValues);
    try (MemoryWorkspace ignored = ForwardWorkspaces.activations()) {
      List<INDArray> stages = decoder.forward(encoder.forward(pixels));
      return head.forward(stages.get(config.headStage()), isLastStage(config.headStage())).detach();
    }
  }

  /** The forward pass with every encoder hidden state and decoder stage output kept, for tests and debugging. */
  public GlpnOutputs forwardWithHiddenStates(INDArray pixelValues) {
    INDArray pixels = checkInput(pixelValues);
    try (MemoryWorkspace ignored = ForwardWorkspaces.activations()) {
      List<INDArray> hiddenStates = encoder.forward(pixels);
      List<INDArray> stages = decoder.forward(hiddenStates);
      INDArray depth = head.forward(stages.get(config.headStage()), isLastStage(config.headStage()));
      List<INDArray> decoderStages = new ArrayList<>();
      for (int s = 0; s < stages.size(); s++) {
        decoderStages.add((isLastStage(s) ? BilinearUpsample2x.forward(stages.get(s)) : stages.get(s)).detach());
      }
      return new GlpnOutputs(hiddenStates.stream().map(INDArray::detach).toList(), List.copyOf(decoderStages),
          depth.detach());
    }
  }

  private boolean isLastStage(int stage) {
    return stage == config.numEncoderBlocks() - 1;
  }

  private INDArray checkInput(INDArray pixelValues) {
    if (pixelValues.rank() != 4 || pixelValues.size(1) != config.numChannels()) {
      throw new IllegalArgumentException("pixel_values must be (N, " + config.numChannels() + ", H, W), got "
          + Arrays.toString(pixelValues.shape()));
    }
    requireFusableSize((int) pixelValues.size(2), (int) pixelValues.size(3));
    return pixelValues.dataType() == DataType.FLOAT ? pixelValues : pixelValues.castTo(DataType.FLOAT);
  }

  /** The decoder fuses each stage, upsampled x2, with the next shallower one: their sizes must agree. */
  private void requireFusableSize(int height, int width) {
    int[] h = new int[config.numEncoderBlocks()];
    int[] w = new int[config.numEncoderBlocks()];
    int inH = height;
    int inW = width;
    for (int i = 0; i < h.length; i++) {
      int p = config.patchSizes()[i];
      int s = config.strides()[i];
      h[i] = (inH + 2 * (p / 2) - p) / s + 1;
      w[i] = (inW + 2 * (p / 2) - p) / s + 1;
      inH = h[i];
      inW = w[i];
    }
    for (int i = 0; i + 1 < h.length; i++) {
      if (h[i] < 1 || w[i] < 1 || h[i] != 2 * h[i + 1] || w[i] != 2 * w[i + 1]) {
        int divisor = Arrays.stream(config.strides()).reduce(1, (a, b) -> a * b);
        throw new IllegalArgumentException("GLPN cannot run on " + height + "x" + width + " pixels: encoder stage "
            + i + " is " + h[i] + "x" + w[i] + " but stage " + (i + 1) + " upsampled is " + 2 * h[i + 1] + "x"
            + 2 * w[i + 1] + "; use a height and width divisible by " + divisor);
      }
    }
  }
}

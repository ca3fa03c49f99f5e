package dev.depthprobe.glpn;

import dev.depthprobe.nn.BilinearUpsample2x;
import dev.depthprobe.nn.ForwardWorkspaces;
import dev.depthprobe.nn.Tokens;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.checkpoint.CheckpointBuffers;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.checkpoint.NativeArrays;
import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.compute.JavaFloats;
import dev.depthprobe.compute.Nd4jThreads;
import dev.depthprobe.compute.Parallel;
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
  private final NativeArrays arrays;

  private GlpnForDepthEstimation(GlpnConfig config, StateDict weights) {
    this.config = config;
    this.arrays = weights.arrays();
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      this.encoder = new Encoder(weights, "glpn.encoder", config);
      this.decoder = new Decoder(weights, "decoder", config);
      this.head = new DepthEstimationHead(weights, "head.head", config.decoderHiddenSize(), config.maxDepth());
    }
  }

  /** Frees the weights' native memory; the model must not be used afterwards. */
  public void close() {
    arrays.close();
  }

  public static GlpnForDepthEstimation load(Checkpoint checkpoint) {
    GlpnConfig config = GlpnConfig.fromJson(checkpoint.config());
    GlpnForDepthEstimation model =
        CheckpointBuffers.releasedAfter(() -> fromStateDict(config, checkpoint.weights()));
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

  /**
   * pixel_values (N, C, h, w) float32 -> predicted_depth (N, h, w) in metres, a new detached array, on the
   * calling thread's ND4J thread count. With at least as many images as threads, the images are shared
   * out among the threads, each running whole forward passes single-threaded, so that no thread waits
   * for another inside a layer; otherwise the layers' loops use all the threads.
   */
  public INDArray predictDepth(INDArray pixelValues) {
    INDArray pixels = checkInput(pixelValues);
    int batch = (int) pixels.size(0);
    int[] size = depthSize((int) pixels.size(2), (int) pixels.size(3));
    INDArray depth;
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      depth = Nd4j.createUninitialized(DataType.FLOAT, batch, size[0], size[1]);
    }
    int threads = Nd4jThreads.currentThread();
    return Parallel.withThreads(threads, () -> {
      if (batch < threads) {
        predictDepthInto(pixels, depth);
      } else {
        Parallel.forRanges(batch, 1, (from, to) -> predictDepthInto(
            pixels.get(interval(from, to), all(), all(), all()), depth.get(interval(from, to), all(), all())));
      }
      return depth;
    });
  }

  /** The forward pass of {@code pixels} (n, C, h, w) on this thread, its depth copied into {@code depth} (n, h, w). */
  private void predictDepthInto(INDArray pixels, INDArray depth) {
    try (MemoryWorkspace ignored = ForwardWorkspaces.activations()) {
      List<Tokens> stages = decoder.forward(encoder.forward(Tokens.fromNchw(pixels)));
      INDArray predicted = head.forward(stages.get(config.headStage()), isLastStage(config.headStage()));
      JavaFloats.view(depth).put(0, JavaFloats.copyOut(predicted));
    }
  }

  /** The forward pass with every encoder hidden state and decoder stage output kept, for tests and debugging. */
  public GlpnOutputs forwardWithHiddenStates(INDArray pixelValues) {
    INDArray pixels = checkInput(pixelValues);
    return Parallel.withThreads(Nd4jThreads.currentThread(), () -> forwardWithHiddenStatesOnThisThread(pixels));
  }

  private GlpnOutputs forwardWithHiddenStatesOnThisThread(INDArray pixels) {
    try (MemoryWorkspace ignored = ForwardWorkspaces.activations()) {
      List<Tokens> hiddenStates = encoder.forward(Tokens.fromNchw(pixels));
      List<Tokens> stages = decoder.forward(hiddenStates);
      INDArray depth = head.forward(stages.get(config.headStage()), isLastStage(config.headStage()));
      List<INDArray> decoderStages = new ArrayList<>();
      for (int s = 0; s < stages.size(); s++) {
        Tokens stage = isLastStage(s) ? BilinearUpsample2x.forward(stages.get(s)) : stages.get(s);
        decoderStages.add(stage.toNchw().detach());
      }
      return new GlpnOutputs(hiddenStates.stream().map(h -> h.toNchw().detach()).toList(),
          List.copyOf(decoderStages), depth.detach());
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

  /**
   * {height, width} of predicted_depth: the head's decoder stage, which upsamples its encoder stage x2,
   * and x2 again by final_upsample when it is the last stage.
   */
  private int[] depthSize(int height, int width) {
    int stage = config.headStage();
    int[][] sizes = encoderStageSizes(height, width);
    int scale = isLastStage(stage) ? 4 : 2;
    int encoderStage = config.numEncoderBlocks() - 1 - stage;
    return new int[] {scale * sizes[0][encoderStage], scale * sizes[1][encoderStage]};
  }

  /** {heights, widths} of the encoder stages' outputs for a {@code height x width} input. */
  private int[][] encoderStageSizes(int height, int width) {
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
    return new int[][] {h, w};
  }

  /** The decoder fuses each stage, upsampled x2, with the next shallower one: their sizes must agree. */
  private void requireFusableSize(int height, int width) {
    int[][] sizes = encoderStageSizes(height, width);
    int[] h = sizes[0];
    int[] w = sizes[1];
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

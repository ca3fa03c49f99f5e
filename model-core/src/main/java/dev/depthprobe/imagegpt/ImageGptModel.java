package dev.depthprobe.imagegpt;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.checkpoint.CheckpointBuffers;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.checkpoint.NativeArrays;
import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.compute.Nd4jThreads;
import dev.depthprobe.compute.Parallel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * transformers ImageGPTModel (no lm_head): embeddings, {@code n_layer} blocks, ln_f. Immutable once
 * built, so task threads may share one instance; each thread's temporaries live in its own workspaces.
 */
public final class ImageGptModel {
  private static final Logger LOG = LoggerFactory.getLogger(ImageGptModel.class);
  private static final String PREFIX = "transformer.";
  private static final Pattern IGNORED = Pattern.compile(
      "lm_head\\..*|score\\..*|h\\.\\d+\\.attn\\.(bias|masked_bias)");
  /** Holds the hidden states and the {@link ImageGptState} buffers of one pass; reset at the end of the pass. */
  private static final String STATE_WORKSPACE = "imagegpt-state";
  /** Holds what is computed from one block's output (ln_f, probed features); reset after every block. */
  private static final String BLOCK_WORKSPACE = "imagegpt-block";
  /**
   * The rows (images * seq) the linear layers take at once: fewer, larger ops than one image at a time, and a
   * pass's buffers bounded whatever the batch (about 150 MB per chunk for ImageGPT-small, two chunk sizes at most).
   */
  private static final int ROWS_PER_CHUNK = 8192;
  private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
      .initialSize(0)
      .policyAllocation(AllocationPolicy.OVERALLOCATE)
      .overallocationLimit(0.2)
      .policyLearning(LearningPolicy.FIRST_LOOP)
      .policyReset(ResetPolicy.BLOCK_LEFT)
      .policySpill(SpillPolicy.REALLOCATE)
      .build();

  private final ImageGptConfig config;
  private final ImageGptEmbeddings embeddings;
  private final List<ImageGptBlock> h;
  private final ImageGptLayerNorm lnF;
  private final NativeArrays arrays;

  private ImageGptModel(ImageGptConfig config, StateDict weights) {
    this.config = config;
    this.arrays = weights.arrays();
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      this.embeddings = new ImageGptEmbeddings(weights, config);
      List<ImageGptBlock> blocks = new ArrayList<>();
      for (int i = 0; i < config.nLayer(); i++) {
        blocks.add(new ImageGptBlock(weights, "h." + i, config, i));
      }
      this.h = List.copyOf(blocks);
      this.lnF = new ImageGptLayerNorm(weights, "ln_f", config.nEmbd(), config.layerNormEpsilon());
    }
  }

  /** Frees the weights' native memory; the model must not be used afterwards. */
  public void close() {
    arrays.close();
  }

  public static ImageGptModel load(Checkpoint checkpoint) {
    ImageGptConfig config = ImageGptConfig.fromJson(checkpoint.config());
    ImageGptModel model = CheckpointBuffers.releasedAfter(() -> fromStateDict(config, checkpoint.weights()));
    LOG.info("ImageGPT from {}: {} layers, n_embd {}, n_head {}, {} positions", checkpoint.dir(), config.nLayer(),
        config.nEmbd(), config.nHead(), config.nPositions());
    return model;
  }

  /**
   * Builds the model from ImageGPTModel names ({@code wte.weight}, {@code h.0.ln_1.weight}, ...) or the
   * {@code transformer.}-prefixed names of ImageGPTForCausalImageModeling / ImageGPTForImageClassification.
   * Heads ({@code lm_head.*}, {@code score.*}) and the attention mask buffers are ignored; any other
   * tensor the model does not use is an error.
   */
  public static ImageGptModel fromStateDict(ImageGptConfig config, StateDict weights) {
    boolean prefixed = weights.contains(PREFIX + "wte.weight");
    StateDict body = prefixed ? weights.stripPrefix(PREFIX) : weights;
    ImageGptModel model = new ImageGptModel(config, body);
    Set<String> unused = new TreeSet<>();
    body.unused().stream().filter(name -> !IGNORED.matcher(name).matches())
        .forEach(name -> unused.add(prefixed ? PREFIX + name : name));
    if (prefixed) {
      weights.tensors().keySet().stream()
          .filter(name -> !name.startsWith(PREFIX) && !IGNORED.matcher(name).matches())
          .forEach(unused::add);
    }
    if (!unused.isEmpty()) {
      throw new CheckpointException(weights.source() + ": tensors the ImageGPT model does not use: " + unused);
    }
    return model;
  }

  public ImageGptConfig config() {
    return config;
  }

  /**
   * transformers' {@code hidden_states[0..upToLayer]}, each (batch, seq, n_embd): [0] the embeddings,
   * [k] the output of block k (counting from 1), [n_layer] ln_f of the last block's output. Runs only
   * the first {@code upToLayer} blocks.
   */
  public List<INDArray> hiddenStates(INDArray inputIds, int upToLayer) {
    int[][] ids = ids(inputIds);
    int batch = ids.length;
    int seq = ids[0].length;
    List<INDArray> states = new ArrayList<>();
    forward(ids, upToLayer, (layer, hidden) -> {
      try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        // (batch * seq, n_embd) -> (batch, seq, n_embd)
        states.add(hidden.reshape('c', batch, seq, config.nEmbd()).dup('c'));
      }
    });
    return states;
  }

  /**
   * Linear-probe features [image][index in spec.layers()][n_embd]: the recipe's tensor at each layer,
   * averaged over the sequence. One forward pass, stopped at the deepest layer asked for.
   */
  public float[][][] features(INDArray inputIds, FeatureSpec spec) {
    int[] layers = spec.layers();
    for (int layer : layers) {
      checkLayer(layer);
    }
    int[][] ids = spec.prependSos() ? withSos(ids(inputIds)) : ids(inputIds);
    int batch = ids.length;
    int seq = ids[0].length;
    int first = spec.prependSos() && !spec.poolSos() ? 1 : 0;
    float[][][] out = new float[batch][layers.length][];
    forward(ids, spec.deepestLayer(), (layer, hidden) -> {
      INDArray probed = null;
      for (int j = 0; j < layers.length; j++) {
        if (layers[j] != layer) {
          continue;
        }
        if (probed == null) {
          boolean ln1 = spec.recipe() == FeatureRecipe.LN && layer < config.nLayer();
          probed = ln1 ? h.get(layer).ln1().forward(hidden) : hidden;
        }
        // (batch * seq, n_embd) -> (batch, seq, n_embd) -> mean over the pooled positions -> (batch, n_embd)
        INDArray pooled = probed.reshape('c', batch, seq, config.nEmbd())
            .get(all(), interval(first, seq), all()).mean(1);
        for (int n = 0; n < batch; n++) {
          out[n][j] = pooled.getRow(n).toFloatVector();
        }
      }
    });
    return out;
  }

  /** Receives {@code hidden_states[layer]} as (batch * seq, n_embd); valid only during the call. */
  @FunctionalInterface
  interface HiddenStateVisitor {
    void visit(int layer, INDArray hidden);
  }

  /**
   * The blocks up to {@code upToLayer} on the calling thread's ND4J thread count: the loops (gemm rows, attention
   * blocks) share the threads out, and the ND4J ops between them run on this thread alone (OpenMP's threads would
   * spin beside the loops' threads).
   */
  void forward(int[][] ids, int upToLayer, HiddenStateVisitor visitor) {
    Parallel.withThreads(Nd4jThreads.currentThread(), () -> {
      forwardBlocks(ids, upToLayer, visitor);
      return null;
    });
  }

  private void forwardBlocks(int[][] ids, int upToLayer, HiddenStateVisitor visitor) {
    checkLayer(upToLayer);
    int batch = ids.length;
    int seq = ids[0].length;
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, STATE_WORKSPACE)) {
      INDArray hidden = embeddings.forward(ids); // (batch * seq, n_embd)
      int chunk = Math.max(1, Math.min(batch, ROWS_PER_CHUNK / seq));
      ImageGptState full = new ImageGptState(config, chunk, seq);
      ImageGptState rest = batch % chunk == 0 ? full : new ImageGptState(config, batch % chunk, seq);
      visitor.visit(0, hidden);
      for (int i = 0; i < upToLayer; i++) {
        try (MemoryWorkspace block = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, BLOCK_WORKSPACE)) {
          for (int first = 0; first < batch; first += chunk) {
            ImageGptState state = batch - first >= chunk ? full : rest;
            // images first..: (batch * seq, n_embd) -> (state.images * seq, n_embd), updated in place
            INDArray rows = hidden.get(interval((long) first * seq, (long) (first + state.images) * seq), all());
            h.get(i).forward(rows, state);
          }
          visitor.visit(i + 1, i + 1 == config.nLayer() ? lnF.forward(hidden) : hidden);
        }
      }
    }
  }

  private void checkLayer(int layer) {
    if (layer < 0 || layer > config.nLayer()) {
      throw new IllegalArgumentException("layer " + layer + " is outside 0.." + config.nLayer());
    }
  }

  /** (batch, seq) integer ids, checked against the vocabulary and the position table. */
  private int[][] ids(INDArray inputIds) {
    if (inputIds.rank() != 2 || inputIds.size(0) == 0 || inputIds.size(1) == 0) {
      throw new IllegalArgumentException("input_ids must be a non-empty (batch, seq) array, got shape "
          + Arrays.toString(inputIds.shape()));
    }
    long[][] values = inputIds.toLongMatrix();
    int[][] ids = new int[values.length][values[0].length];
    for (int n = 0; n < values.length; n++) {
      for (int s = 0; s < values[n].length; s++) {
        long id = values[n][s];
        if (id < 0 || id >= config.vocabSize()) {
          throw new IllegalArgumentException("input id " + id + " at [" + n + ", " + s + "] is outside 0.."
              + (config.vocabSize() - 1));
        }
        ids[n][s] = (int) id;
      }
    }
    checkSequence(ids[0].length);
    return ids;
  }

  /**
   * iGPT's input: the SOS id, then the pixels shifted right by one, so the length stays the image's
   * (1024 = n_positions for the released checkpoints); the last pixel is only ever a target.
   */
  private int[][] withSos(int[][] ids) {
    int[][] out = new int[ids.length][ids[0].length];
    for (int n = 0; n < ids.length; n++) {
      out[n][0] = config.sosId();
      System.arraycopy(ids[n], 0, out[n], 1, ids[n].length - 1);
    }
    return out;
  }

  private void checkSequence(int seq) {
    if (seq > config.nPositions()) {
      throw new IllegalArgumentException("sequence of " + seq + " ids is longer than n_positions "
          + config.nPositions());
    }
  }
}

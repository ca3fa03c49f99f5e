package dev.depthprobe.glpn;

import dev.depthprobe.nn.Conv2d;
import dev.depthprobe.nn.LayerNorm;
import dev.depthprobe.nn.Linear;
import dev.depthprobe.nn.Tokens;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.compute.BlockAttention;
import dev.depthprobe.compute.Parallel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;

/**
 * transformers GLPNEfficientSelfAttention (SegFormer's, after PvT): queries from every token; keys and
 * values from the sequence reduced by a conv with kernel = stride = sr_ratio and a LayerNorm when
 * sr_ratio > 1. Scores are computed for one block of queries at a time, so memory grows linearly with
 * the image instead of with its square; the blocks of all images and heads run in parallel.
 */
final class EfficientSelfAttention {
  /** Elements of one block of attention scores (1 MB of float32: it stays in the L2 cache). */
  static final long SCORE_BLOCK_ELEMENTS = 1L << 18;

  private final int numHeads;
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Conv2d sr; // null when sr_ratio == 1
  private final LayerNorm layerNorm; // null when sr_ratio == 1

  EfficientSelfAttention(StateDict weights, String prefix, int hiddenSize, int numHeads, int srRatio) {
    this.numHeads = numHeads;
    this.query = new Linear(weights, prefix + ".query", hiddenSize, hiddenSize);
    this.key = new Linear(weights, prefix + ".key", hiddenSize, hiddenSize);
    this.value = new Linear(weights, prefix + ".value", hiddenSize, hiddenSize);
    if (srRatio > 1) {
      this.sr = new Conv2d(weights, prefix + ".sr", hiddenSize, hiddenSize, srRatio, srRatio, 0);
      this.layerNorm = new LayerNorm(weights, prefix + ".layer_norm", hiddenSize);
    } else {
      this.sr = null;
      this.layerNorm = null;
    }
  }

  /** tokens (B*L, C) -> context (B*L, C), before the output projection. */
  INDArray forward(Tokens hidden) {
    INDArray queries = query.forward(hidden.values());
    Tokens reduced = hidden;
    if (sr != null) {
      // (B*H*W, C) -> (B*(H/r)*(W/r), C)
      reduced = layerNorm.forward(sr.forward(hidden));
    }
    INDArray keys = key.forward(reduced.values());
    INDArray values = value.forward(reduced.values());
    long length = queries.size(0) / hidden.batch();
    long kvLength = keys.size(0) / hidden.batch();
    int queryBlock = (int) Math.max(1, Math.min(length, SCORE_BLOCK_ELEMENTS / kvLength));
    return attend(queries, keys, values, hidden.batch(), numHeads, queryBlock);
  }

  /**
   * softmax(q k^T / sqrt(head_dim)) v per image and head, {@code queryBlock} queries at a time.
   * {@code queries} is (B*L, C), {@code keys} and {@code values} (B*L_kv, C); returns (B*L, C). Head h is
   * columns [h d, (h + 1) d) of each (transformers' transpose_for_scores and the context permute), which
   * {@link BlockAttention} copies into contiguous buffers where it is a strided slice.
   */
  static INDArray attend(INDArray queries, INDArray keys, INDArray values, int batch, int numHeads, int queryBlock) {
    int headDim = (int) queries.size(1) / numHeads;
    int length = (int) (queries.size(0) / batch);
    int kvLength = (int) (keys.size(0) / batch);
    float scale = (float) (1 / Math.sqrt(headDim));
    INDArray context = Nd4j.createUninitialized(DataType.FLOAT, queries.shape());
    int blocks = (length + queryBlock - 1) / queryBlock;
    int items = batch * numHeads * blocks;
    int blockQueries = Math.min(length, queryBlock);
    Parallel.forEach(Parallel.threads(items), items, (thread, item) -> {
      int start = item % blocks * queryBlock;
      int head = item / blocks % numHeads;
      int image = item / blocks / numHeads;
      long first = (long) image * length + start;
      long last = first + Math.min(queryBlock, length - start);
      long kvFirst = (long) image * kvLength;
      INDArrayIndex columns = interval((long) head * headDim, (long) (head + 1) * headDim);
      // (B*L, C) -> (rows, d) and (B*L_kv, C) -> (L_kv, d): one image's head
      INDArrayIndex kvRows = interval(kvFirst, kvFirst + kvLength);
      BlockAttention.forCurrentThread(kvLength, blockQueries, headDim).attend(queries.get(interval(first, last), columns), keys.get(kvRows, columns),
          values.get(kvRows, columns), context.get(interval(first, last), columns), scale);
    });
    return context;
  }
}

package dev.depthprobe.glpn;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.depthprobe.checkpoint.StateDict;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * transformers GLPNEfficientSelfAttention (SegFormer's, after PvT): queries from every token; keys and
 * values from the sequence reduced by a conv with kernel = stride = sr_ratio and a LayerNorm when
 * sr_ratio > 1. Scores are computed for one block of queries at a time, so memory grows linearly with
 * the image instead of with its square; the blocks of all images and heads run in parallel.
 */
final class EfficientSelfAttention {
  /** Elements of one block of attention scores (1 MB of float32: it stays in the L2 cache). */
  private static final long SCORE_BLOCK_ELEMENTS = 1L << 18;

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
   * columns [h d, (h + 1) d) of each, which the matmuls read and write in place (transformers'
   * transpose_for_scores and the context permute, without copies).
   */
  static INDArray attend(INDArray queries, INDArray keys, INDArray values, int batch, int numHeads, int queryBlock) {
    int headDim = (int) queries.size(1) / numHeads;
    Shape shape = new Shape((int) (queries.size(0) / batch), (int) (keys.size(0) / batch), headDim, queryBlock);
    INDArray context = Nd4j.createUninitialized(DataType.FLOAT, queries.shape());
    int blocks = (shape.length + queryBlock - 1) / queryBlock;
    int items = batch * numHeads * blocks;
    int threads = Parallel.threads(items);
    Scratch[] scratch = new Scratch[threads];
    for (int t = 0; t < threads; t++) {
      scratch[t] = new Scratch(shape.kvLength, queryBlock);
    }
    Parallel.forEach(threads, items, (thread, item) -> {
      int block = item % blocks;
      int head = item / blocks % numHeads;
      int image = item / blocks / numHeads;
      scratch[thread].attendBlock(queries, keys, values, context, shape, image, head, block * queryBlock);
    });
    return context;
  }

  /** The sizes of one attention call: queries and keys per image, head_dim, queries per block. */
  private record Shape(int length, int kvLength, int headDim, int queryBlock) {}

  /** One thread's buffers for a block of scores: (L_kv, queryBlock), transposed, in native memory and in Java. */
  private static final class Scratch {
    private final INDArray scoresT;
    private final float[] scores;
    private final Softmax softmax;

    Scratch(int kvLength, int queryBlock) {
      this.scoresT = Nd4j.createUninitialized(DataType.FLOAT, (long) kvLength * queryBlock);
      this.scores = new float[kvLength * queryBlock];
      this.softmax = new Softmax(queryBlock);
    }

    /** Context rows [start, start + queryBlock) of one image and head. */
    void attendBlock(INDArray queries, INDArray keys, INDArray values, INDArray context, Shape shape, int image,
        int head, int start) {
      int rows = Math.min(shape.queryBlock, shape.length - start);
      long first = (long) image * shape.length + start;
      long kvFirst = (long) image * shape.kvLength;
      long column = (long) head * shape.headDim;
      // (B*L, C) -> (rows, d) and (B*L_kv, C) -> (L_kv, d): views of one image's head
      INDArray q = queries.get(interval(first, first + rows), interval(column, column + shape.headDim));
      INDArray k = keys.get(interval(kvFirst, kvFirst + shape.kvLength), interval(column, column + shape.headDim));
      INDArray v = values.get(interval(kvFirst, kvFirst + shape.kvLength), interval(column, column + shape.headDim));
      int size = shape.kvLength * rows;
      // (L_kv * queryBlock) -> (L_kv, rows): scores transposed, one column per query
      INDArray s = scoresT.get(interval(0, size)).reshape('c', shape.kvLength, rows);
      Nd4j.gemm(k, q, s, false, true, 1.0, 0.0);
      FloatBuffer probabilities = JavaFloats.view(s);
      probabilities.get(0, scores, 0, size);
      softmax.columnsInPlace(scores, shape.kvLength, rows, (float) (1 / Math.sqrt(shape.headDim)));
      probabilities.put(0, scores, 0, size);
      INDArray c = context.get(interval(first, first + rows), interval(column, column + shape.headDim));
      Nd4j.matmul(s, v, c, true, false, false); // (rows, L_kv) (L_kv, d)
    }
  }
}

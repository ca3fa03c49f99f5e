package dev.depthprobe.glpn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import dev.depthprobe.checkpoint.StateDict;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * transformers GLPNEfficientSelfAttention (SegFormer's, after PvT): queries from every token; keys and
 * values from the sequence reduced by a conv with kernel = stride = sr_ratio and a LayerNorm when
 * sr_ratio > 1. Scores are computed for one block of queries at a time, so memory grows linearly with
 * the image instead of with its square.
 */
final class EfficientSelfAttention {
  /** Elements of one block of attention scores (16 MB of float32). */
  private static final long SCORE_BLOCK_ELEMENTS = 1L << 22;

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
      // (B*H*W, C) -> (B, C, H, W) -> (B, C, H/r, W/r) -> (B*(H/r)*(W/r), C)
      reduced = layerNorm.forward(Tokens.fromNchw(sr.forward(hidden.toNchw())));
    }
    INDArray keys = key.forward(reduced.values());
    INDArray values = value.forward(reduced.values());
    long kvLength = keys.size(0) / hidden.batch();
    int queryBlock = (int) Math.max(1, Math.min(queries.size(0) / hidden.batch(), SCORE_BLOCK_ELEMENTS / kvLength));
    return attend(queries, keys, values, hidden.batch(), numHeads, queryBlock);
  }

  /**
   * softmax(q k^T / sqrt(head_dim)) v per image and head, {@code queryBlock} queries at a time.
   * {@code queries} is (B*L, C), {@code keys} and {@code values} (B*L_kv, C); returns (B*L, C).
   */
  static INDArray attend(INDArray queries, INDArray keys, INDArray values, int batch, int numHeads, int queryBlock) {
    int channels = (int) queries.size(1);
    int headDim = channels / numHeads;
    long length = queries.size(0) / batch;
    long kvLength = keys.size(0) / batch;
    float scale = (float) Math.sqrt(headDim);
    INDArray q = splitHeads(queries, batch, length, numHeads, headDim);
    INDArray k = splitHeads(keys, batch, kvLength, numHeads, headDim);
    INDArray v = splitHeads(values, batch, kvLength, numHeads, headDim);
    INDArray context = Nd4j.create(DataType.FLOAT, batch, length, numHeads, headDim);
    INDArray scores = Nd4j.create(DataType.FLOAT, queryBlock, kvLength);
    INDArray blockContext = Nd4j.create(DataType.FLOAT, queryBlock, headDim);
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < numHeads; h++) {
        INDArray kh = k.get(point(b), point(h), all(), all()); // (L_kv, head_dim)
        INDArray vh = v.get(point(b), point(h), all(), all()); // (L_kv, head_dim)
        for (long start = 0; start < length; start += queryBlock) {
          long end = Math.min(length, start + queryBlock);
          int rows = (int) (end - start);
          INDArray qBlock = q.get(point(b), point(h), interval(start, end), all()); // (rows, head_dim)
          INDArray s = scores.get(interval(0, rows), all()); // (rows, L_kv)
          Nd4j.gemm(qBlock, kh, s, false, true, 1.0, 0.0);
          s.divi(scale);
          Nd4j.exec(new SoftMax(s, s, 1));
          INDArray c = blockContext.get(interval(0, rows), all()); // (rows, head_dim)
          Nd4j.gemm(s, vh, c, false, false, 1.0, 0.0);
          context.get(point(b), interval(start, end), point(h), all()).assign(c);
        }
      }
    }
    // (B, L, heads, head_dim) -> (B*L, C)
    return context.reshape('c', batch * length, channels);
  }

  /** (B*L, C) -> (B, heads, L, head_dim), c-ordered so that each head's rows are contiguous. */
  private static INDArray splitHeads(INDArray x, int batch, long length, int numHeads, int headDim) {
    // (B*L, C) -> (B, L, heads, head_dim) -> (B, heads, L, head_dim)
    return x.reshape('c', batch, length, numHeads, headDim).permute(0, 2, 1, 3).dup('c');
  }
}

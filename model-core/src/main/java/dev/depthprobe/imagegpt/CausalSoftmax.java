package dev.depthprobe.imagegpt;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The causal mask and softmax of a block of attention scores, in place:
 * {@code softmax(torch.where(causal_mask, attn_weights, finfo.min), dim=-1)} for queries that see the keys up to
 * their own position. Each row is read over its visible keys only; its masked keys get exactly 0, which is what
 * softmax gives a finfo.min score in float32.
 */
final class CausalSoftmax {
  private CausalSoftmax() {}

  /**
   * scores: row-major (heads, queries, keys) at the start of the contiguous {@code scores}; row i of each head
   * holds the scores of the query at position {@code firstQuery + i}, which sees keys 0..firstQuery + i. With
   * {@code threads > 1} the rows are dealt round-robin (later rows see more keys) to that many tasks of the common
   * fork-join pool.
   */
  static void softmaxInPlace(INDArray scores, int heads, int queries, int keys, int firstQuery, int threads) {
    // on a GPU the scores come to the host and are marked as changed there; no-ops on the CPU backend
    AffinityManager affinity = Nd4j.getAffinityManager();
    affinity.ensureLocation(scores, AffinityManager.Location.HOST);
    FloatBuffer buffer = scores.data().asNioFloat().slice().position((int) scores.offset()).slice(); // scores[0] at 0
    if (threads == 1) {
      rowsInPlace(buffer, 0, 1, heads * queries, queries, keys, firstQuery);
    } else {
      IntStream.range(0, threads).parallel()
          .forEach(first -> rowsInPlace(buffer, first, threads, heads * queries, queries, keys, firstQuery));
    }
    affinity.tagLocation(scores, AffinityManager.Location.HOST);
  }

  private static void rowsInPlace(FloatBuffer buffer, int first, int step, int rows, int queries, int keys,
      int firstQuery) {
    for (int row = first; row < rows; row += step) {
      rowInPlace(buffer, row * keys, Math.min(keys, firstQuery + row % queries + 1), keys);
    }
  }

  /** One row of {@code keys} scores at {@code offset}: softmax over the first {@code visible}, 0 after them. */
  private static void rowInPlace(FloatBuffer buffer, int offset, int visible, int keys) {
    float max = Float.NEGATIVE_INFINITY;
    for (int k = offset; k < offset + visible; k++) {
      max = Math.max(max, buffer.get(k));
    }
    float sum = 0f;
    for (int k = offset; k < offset + visible; k++) {
      float e = (float) Math.exp(buffer.get(k) - max);
      buffer.put(k, e);
      sum += e;
    }
    float inverse = 1f / sum;
    for (int k = offset; k < offset + visible; k++) {
      buffer.put(k, buffer.get(k) * inverse);
    }
    for (int k = offset + visible; k < offset + keys; k++) {
      buffer.put(k, 0f);
    }
  }
}

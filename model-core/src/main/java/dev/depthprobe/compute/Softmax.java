package dev.depthprobe.compute;

import java.util.Arrays;

/**
 * torch.softmax over the keys of attention scores laid out (keys, queries), i.e. down each column: the
 * column maximum is subtracted before exponentiating, as PyTorch's kernel does, and each column is
 * scaled by 1 / its sum. In this layout every step is an elementwise loop over one row of queries,
 * which HotSpot vectorises (it does not vectorise a row-wise max or sum); rows are copied into a
 * scratch row first so that every array in a loop is indexed alike (see {@link FloatExp}). With the Vector API
 * ({@link Simd}) the row-wise max and sum vectorise too, and {@link #rowsInPlace} takes the scores as (queries,
 * keys), one row per query, each row's three passes in the L1 cache.
 */
public final class Softmax {
  private final float[] row;
  private final float[] max;
  private final float[] sum;
  private final float[] exponents;

  /** Buffers for up to {@code queries} columns; one instance per thread. */
  public Softmax(int queries) {
    this.row = new float[queries];
    this.max = new float[queries];
    this.sum = new float[queries];
    this.exponents = new float[queries];
  }

  /** {@code softmax(scale * s)} of each column of the row-major (keys, queries) matrix s at the start of scores. */
  public void columnsInPlace(float[] scores, int keys, int queries, float scale) {
    columns(scores, keys, queries, scale, keys);
  }

  /**
   * The causal softmax of each column of the row-major (keys, queries) matrix s at the start of scores: column
   * q holds the scores of the query at position {@code firstQuery + q}, which sees keys 0..firstQuery + q; its
   * later keys get exactly 0 (what softmax gives transformers' finfo.min scores in float32).
   */
  public void causalColumnsInPlace(float[] scores, int keys, int queries, int firstQuery) {
    columns(scores, keys, queries, 1f, firstQuery);
  }

  /**
   * {@code softmax(scale * s)} of each row of the row-major (queries, keys) matrix s at the start of scores; only
   * where {@link Simd#VECTOR_API}.
   */
  public static void rowsInPlace(float[] scores, int queries, int keys, float scale) {
    rows(scores, queries, keys, scale, keys);
  }

  /**
   * The causal softmax of each row of the row-major (queries, keys) matrix s at the start of scores: row q holds
   * the scores of the query at position {@code firstQuery + q}, which sees keys 0..firstQuery + q; its later keys
   * get exactly 0. Only where {@link Simd#VECTOR_API}.
   */
  public static void causalRowsInPlace(float[] scores, int queries, int keys, int firstQuery) {
    rows(scores, queries, keys, 1f, firstQuery);
  }

  private static void rows(float[] scores, int queries, int keys, float scale, int firstQuery) {
    for (int q = 0; q < queries; q++) {
      int seen = Math.min(keys, firstQuery + q + 1);
      VectorLoops.softmax(scores, q * keys, seen, scale);
      Arrays.fill(scores, q * keys + seen, (q + 1) * keys, 0f);
    }
  }

  /** Row k of s is seen by the queries from column max(0, k - firstQuery) on. */
  private void columns(float[] scores, int keys, int queries, float scale, int firstQuery) {
    Arrays.fill(max, 0, queries, Float.NEGATIVE_INFINITY);
    for (int k = 0; k < keys; k++) {
      int from = Math.min(queries, Math.max(0, k - firstQuery));
      System.arraycopy(scores, k * queries + from, row, from, queries - from);
      for (int q = from; q < queries; q++) {
        max[q] = Math.max(max[q], row[q]);
      }
    }
    for (int q = 0; q < queries; q++) {
      max[q] *= scale;
    }
    Arrays.fill(sum, 0, queries, 0f);
    for (int k = 0; k < keys; k++) {
      int from = Math.min(queries, Math.max(0, k - firstQuery));
      System.arraycopy(scores, k * queries + from, row, from, queries - from);
      for (int q = from; q < queries; q++) {
        row[q] = row[q] * scale - max[q];
      }
      FloatExp.expInPlace(row, from, queries, exponents);
      for (int q = from; q < queries; q++) {
        sum[q] += row[q];
      }
      Arrays.fill(row, 0, from, 0f);
      System.arraycopy(row, 0, scores, k * queries, queries);
    }
    for (int q = 0; q < queries; q++) {
      sum[q] = 1f / sum[q];
    }
    for (int k = 0; k < keys; k++) {
      int from = Math.min(queries, Math.max(0, k - firstQuery));
      System.arraycopy(scores, k * queries + from, row, from, queries - from);
      for (int q = from; q < queries; q++) {
        row[q] *= sum[q];
      }
      System.arraycopy(row, from, scores, k * queries + from, queries - from);
    }
  }
}

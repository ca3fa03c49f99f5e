package dev.depthprobe.compute;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scaled dot-product attention of one head for one block of queries, {@code softmax(scale * q k^T) v}, on one
 * thread: two single-threaded sgemms (libnd4j's Mmul op, a little faster than Nd4j.gemm on these shapes) and a
 * {@link Softmax} between them. The scores are held (queries, keys), one row per query, where the Vector API
 * ({@link Simd}) vectorises a row's softmax; without it, transposed, (keys, queries), so that the softmax runs down
 * columns in loops HotSpot vectorises. A head is usually a
 * strided slice of the projections' columns, which BLAS reads slowly or ND4J copies on every call: each
 * operand is copied once into this instance's contiguous buffers, and the context is written back from one.
 * Each thread keeps one instance ({@link #forCurrentThread}), outside any workspace, for every block of every pass:
 * its buffers (a few MB) are allocated once, not once per layer.
 */
public final class BlockAttention {
  private static final MMulTranspose SECOND_TRANSPOSED = MMulTranspose.builder().transposeB(true).build();
  private static final MMulTranspose FIRST_TRANSPOSED = MMulTranspose.builder().transposeA(true).build();
  private static final MMulTranspose NEITHER_TRANSPOSED = MMulTranspose.allFalse();

  private static final ThreadLocal<BlockAttention> PER_THREAD = new ThreadLocal<>();
  /** Block shapes whose views an instance keeps; past this many (images of many sizes), it starts again. */
  private static final int MAX_SHAPES = 64;

  private final int maxKeys;
  private final int maxQueries;
  private final int maxHeadDim;
  private final INDArray query; // (maxQueries * headDim)
  private final INDArray key; // (maxKeys * headDim)
  private final INDArray value; // (maxKeys * headDim)
  private final INDArray context; // (maxQueries * headDim)
  private final INDArray scoreBuffer; // (maxKeys * maxQueries)
  private final float[] scores;
  private final float[] staging; // an operand on its way between strided and contiguous native arrays
  private final Softmax softmax;
  /**
   * Views of the buffers, one set per block shape: making a view allocates its native shape, and JavaCPP checks the
   * process's resident memory on every native allocation (2.5 us each), so a causal pass, whose blocks change shape
   * from one to the next, would otherwise make its views again for every block.
   */
  private final List<Views> views = new ArrayList<>();

  /** The buffers viewed as one block's operands and results; making a view allocates its native shape. */
  private record Views(int queries, int keys, int headDim, INDArray query, INDArray key, INDArray value,
      INDArray scores, INDArray context) {}

  private BlockAttention(int maxKeys, int maxQueries, int headDim) {
    this.maxKeys = maxKeys;
    this.maxQueries = maxQueries;
    this.maxHeadDim = headDim;
    this.query = Nd4j.createUninitialized(DataType.FLOAT, (long) maxQueries * headDim);
    this.key = Nd4j.createUninitialized(DataType.FLOAT, (long) maxKeys * headDim);
    this.value = Nd4j.createUninitialized(DataType.FLOAT, (long) maxKeys * headDim);
    this.context = Nd4j.createUninitialized(DataType.FLOAT, (long) maxQueries * headDim);
    this.scoreBuffer = Nd4j.createUninitialized(DataType.FLOAT, (long) maxKeys * maxQueries);
    this.scores = new float[maxKeys * maxQueries];
    this.staging = new float[Math.max(maxKeys, maxQueries) * headDim];
    this.softmax = new Softmax(maxQueries);
  }

  /**
   * The calling thread's instance, for blocks of up to these sizes: made on the thread's first use, and made again,
   * as large as every size asked so far, when a block would not fit.
   */
  public static BlockAttention forCurrentThread(int maxKeys, int maxQueries, int headDim) {
    BlockAttention current = PER_THREAD.get();
    if (current == null) {
      current = outsideWorkspaces(maxKeys, maxQueries, headDim);
    } else if (current.maxKeys < maxKeys || current.maxQueries < maxQueries || current.maxHeadDim < headDim) {
      current = outsideWorkspaces(Math.max(maxKeys, current.maxKeys), Math.max(maxQueries, current.maxQueries),
          Math.max(headDim, current.maxHeadDim));
    }
    PER_THREAD.set(current);
    return current;
  }

  private static BlockAttention outsideWorkspaces(int maxKeys, int maxQueries, int headDim) {
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      return new BlockAttention(maxKeys, maxQueries, headDim);
    }
  }

  /** {@code out} (queries, d) = softmax(scale * q k^T) v, for q (queries, d) and k, v (keys, d). */
  public void attend(INDArray q, INDArray k, INDArray v, INDArray out, float scale) {
    attend(q, k, v, out, scale, -1);
  }

  /**
   * As {@link #attend(INDArray, INDArray, INDArray, INDArray, float)}, causal: query i sits at position
   * {@code firstQuery + i} and sees keys 0..firstQuery + i only (k and v hold keys 0..firstQuery + queries - 1).
   */
  public void attendCausal(INDArray q, INDArray k, INDArray v, INDArray out, int firstQuery) {
    attend(q, k, v, out, 1f, firstQuery);
  }

  private void attend(INDArray q, INDArray k, INDArray v, INDArray out, float scale, int firstQuery) {
    int queries = (int) q.size(0);
    int keys = (int) k.size(0);
    int headDim = (int) q.size(1);
    if (queries > maxQueries || keys > maxKeys || headDim > maxHeadDim) {
      throw new IllegalArgumentException(queries + " queries, " + keys + " keys and head size " + headDim
          + " exceed this block's " + maxQueries + ", " + maxKeys + " and " + maxHeadDim);
    }
    Views shaped = views(queries, keys, headDim);
    INDArray qc = copy(q, shaped.query());
    INDArray kc = copy(k, shaped.key());
    INDArray vc = copy(v, shaped.value());
    int size = keys * queries;
    INDArray s = shaped.scores();
    if (Simd.VECTOR_API) {
      Nd4j.exec(new Mmul(qc, kc, s, 1.0, 0.0, SECOND_TRANSPOSED)); // (queries, d) (keys, d)^T
    } else {
      Nd4j.exec(new Mmul(kc, qc, s, 1.0, 0.0, SECOND_TRANSPOSED)); // (keys, d) (queries, d)^T
    }
    FloatBuffer probabilities = JavaFloats.view(s);
    probabilities.get(0, scores, 0, size);
    softmax(queries, keys, scale, firstQuery);
    probabilities.put(0, scores, 0, size);
    boolean direct = JavaFloats.isContiguous(out);
    INDArray c = direct ? out : shaped.context();
    // (queries, keys) (keys, d), or (keys, queries)^T (keys, d)
    Nd4j.exec(new Mmul(s, vc, c, 1.0, 0.0, Simd.VECTOR_API ? NEITHER_TRANSPOSED : FIRST_TRANSPOSED));
    if (!direct) {
      JavaFloats.putRows(c, out, staging);
    }
  }

  /** The softmax of the scores at the start of {@link #scores}, causal where {@code firstQuery >= 0}. */
  private void softmax(int queries, int keys, float scale, int firstQuery) {
    if (Simd.VECTOR_API && firstQuery < 0) {
      Softmax.rowsInPlace(scores, queries, keys, scale);
    } else if (Simd.VECTOR_API) {
      Softmax.causalRowsInPlace(scores, queries, keys, firstQuery);
    } else if (firstQuery < 0) {
      softmax.columnsInPlace(scores, keys, queries, scale);
    } else {
      softmax.causalColumnsInPlace(scores, keys, queries, firstQuery);
    }
  }

  /**
   * The buffers' views for a block of this shape: kept from an earlier block of the shape (found without allocating:
   * a few shapes per pass), or new ones.
   */
  private Views views(int queries, int keys, int headDim) {
    for (int i = 0; i < views.size(); i++) {
      Views kept = views.get(i);
      if (kept.queries() == queries && kept.keys() == keys && kept.headDim() == headDim) {
        return kept;
      }
    }
    if (views.size() >= MAX_SHAPES) {
      views.clear();
    }
    int size = keys * queries;
    // (maxKeys * maxQueries) -> (queries, keys), one row per query, or transposed, (keys, queries)
    INDArray scores = scoreBuffer.get(interval(0, size))
        .reshape('c', Simd.VECTOR_API ? queries : keys, Simd.VECTOR_API ? keys : queries);
    Views shaped = new Views(queries, keys, headDim, rows(query, queries, headDim), rows(key, keys, headDim),
        rows(value, keys, headDim), scores, rows(context, queries, headDim));
    views.add(shaped);
    return shaped;
  }

  /** The front of {@code buffer} as a c-ordered (rows, headDim) array. */
  private static INDArray rows(INDArray buffer, int rows, int headDim) {
    return buffer.get(interval(0, (long) rows * headDim)).reshape('c', rows, headDim);
  }

  /** {@code x} (rows, d) as a contiguous (rows, d) array: itself, or its copy into {@code copy} of that shape. */
  private INDArray copy(INDArray x, INDArray copy) {
    if (JavaFloats.isContiguous(x)) {
      return x;
    }
    JavaFloats.copyRows(x, copy, staging);
    return copy;
  }
}

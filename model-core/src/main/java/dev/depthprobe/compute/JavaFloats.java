package dev.depthprobe.compute;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves float32 values between INDArrays and Java arrays, for the loops written in Java rather than
 * ND4J ops: {@link #view} reads and writes an array's native memory in bulk, a range at a time.
 */
public final class JavaFloats {
  private JavaFloats() {}

  /** The elements of {@code x} in c order. */
  public static float[] copyOut(INDArray x) {
    INDArray c = contiguous(x);
    float[] out = new float[Math.toIntExact(c.length())];
    view(c).get(0, out);
    return out;
  }

  /** {@code x} itself if it is a contiguous c-ordered float32 array, else such a copy of it. */
  public static INDArray contiguous(INDArray x) {
    if (x.dataType() != DataType.FLOAT) {
      return x.castTo(DataType.FLOAT).dup('c');
    }
    return isContiguous(x) ? x : x.dup('c');
  }

  /**
   * The native memory of {@code x}, a float32 array whose elements are contiguous in c order: index i of
   * the buffer is x's i-th element. Use its absolute bulk {@code get(index, dst)} / {@code put(index, src)}.
   */
  public static FloatBuffer view(INDArray x) {
    if (!isContiguous(x)) {
      throw new IllegalArgumentException("expected a contiguous c-ordered float32 array, got " + x.shapeInfoToString());
    }
    onHost(x);
    return x.data().asNioFloat().slice().limit(Math.toIntExact(x.length()));
  }

  /**
   * Whether x is float32 with its elements contiguous in c order (ND4J's own stride checks misjudge dimensions
   * of size 1).
   */
  public static boolean isContiguous(INDArray x) {
    if (x.dataType() != DataType.FLOAT) {
      return false;
    }
    long expected = 1;
    for (int i = x.rank() - 1; i >= 0; i--) {
      if (x.size(i) != 1 && x.stride(i) != expected) {
        return false;
      }
      expected *= x.size(i);
    }
    return true;
  }

  /**
   * Copies {@code x}, a float32 (rows, cols) matrix whose rows are each contiguous (a column slice of a c-ordered
   * matrix, say), into {@code dst}, a contiguous (rows, cols) array, through {@code scratch} (rows * cols floats
   * at least): one bulk read per row, one bulk write. ND4J's assign takes several nanoseconds an element here.
   */
  public static void copyRows(INDArray x, INDArray dst, float[] scratch) {
    int rows = (int) x.size(0);
    int cols = (int) x.size(1);
    FloatBuffer in = strided(x);
    long stride = x.stride(0);
    for (int r = 0; r < rows; r++) {
      in.get((int) (r * stride), scratch, r * cols, cols);
    }
    view(dst).put(0, scratch, 0, rows * cols);
  }

  /** The inverse of {@link #copyRows}: {@code src}, a contiguous (rows, cols) array, into the rows of {@code x}. */
  public static void putRows(INDArray src, INDArray x, float[] scratch) {
    int rows = (int) x.size(0);
    int cols = (int) x.size(1);
    view(src).get(0, scratch, 0, rows * cols);
    FloatBuffer out = strided(x);
    long stride = x.stride(0);
    for (int r = 0; r < rows; r++) {
      out.put((int) (r * stride), scratch, r * cols, cols);
    }
  }

  /** The native memory from {@code x}'s first element on, for a float32 matrix whose rows are contiguous. */
  private static FloatBuffer strided(INDArray x) {
    if (x.dataType() != DataType.FLOAT || x.rank() != 2 || (x.size(1) > 1 && x.stride(1) != 1)) {
      throw new IllegalArgumentException("expected a float32 matrix with contiguous rows, got "
          + x.shapeInfoToString());
    }
    onHost(x);
    return x.data().asNioFloat().slice();
  }

  /**
   * On the CUDA backend, brings {@code x}'s values to the host and marks the host copy as the newest, so that
   * what Java writes there reaches the device before the next ND4J op; no-ops on the CPU backend.
   */
  private static void onHost(INDArray x) {
    AffinityManager affinity = Nd4j.getAffinityManager();
    affinity.ensureLocation(x, AffinityManager.Location.HOST);
    affinity.tagLocation(x, AffinityManager.Location.HOST);
  }
}

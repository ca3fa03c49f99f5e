package dev.depthprobe.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.compute.JavaFloats;
import dev.depthprobe.compute.Parallel;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * torch nn.Linear: {@code y = x W^T + b}, with W stored (out, in). As torch.addmm, the output starts as
 * rows of bias and an sgemm accumulates {@code x W^T} into it (ND4J's mmul and bias broadcast take twice
 * as long). Ranges of rows run in parallel, each a single-threaded sgemm: one fork and join per layer.
 */
public final class Linear {
  /** Fewest rows per parallel sgemm. */
  static final int MIN_ROWS = 64;

  private final INDArray weightT; // (in, out): a transposed view of the (out, in) checkpoint tensor
  private final float[] bias; // (out)

  public Linear(StateDict weights, String prefix, int in, int out) {
    this.weightT = weights.array(prefix + ".weight", out, in).transpose();
    this.bias = weights.take(prefix + ".bias", out).toArray();
  }

  /** (rows, in) -> a new c-ordered (rows, out). */
  public INDArray forward(INDArray x) {
    INDArray y = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), bias.length);
    Parallel.forRanges((int) x.size(0), MIN_ROWS, (from, to) -> addmm(x, y, from, to, false));
    return y;
  }

  /**
   * {@code residual += x W^T + b}: the layer and the residual connection after it, the sum taken by the sgemm
   * (beta = 1); residual (rows, out) contiguous.
   */
  public void forwardAdd(INDArray x, INDArray residual) {
    Parallel.forRanges((int) x.size(0), MIN_ROWS, (from, to) -> addmm(x, residual, from, to, true));
  }

  public Tokens forward(Tokens x) {
    return x.with(forward(x.values()));
  }

  /**
   * Rows [from, to) of {@code y = bias + x weightT}, or with {@code accumulate} of {@code y += bias + x weightT};
   * y c-ordered. The bias goes into the rows first, then the sgemm adds into them (beta = 1).
   */
  private void addmm(INDArray x, INDArray y, int from, int to, boolean accumulate) {
    INDArray rows = y.get(interval(from, to), all());
    FloatBuffer out = JavaFloats.view(rows);
    float[] row = accumulate ? new float[bias.length] : bias;
    for (int start = 0; start < out.limit(); start += bias.length) {
      if (accumulate) {
        out.get(start, row);
        for (int c = 0; c < row.length; c++) {
          row[c] += bias[c];
        }
      }
      out.put(start, row);
    }
    Nd4j.gemm(x.get(interval(from, to), all()), weightT, rows, false, false, 1.0, 1.0);
  }
}

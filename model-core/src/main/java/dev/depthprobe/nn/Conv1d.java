package dev.depthprobe.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.compute.Parallel;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

/**
 * transformers.pytorch_utils.Conv1D: a linear layer whose weight is stored [in, out] (transposed w.r.t. nn.Linear).
 * Writes into the caller's buffers: libnd4j's Mmul takes a row-major result as it is, where
 * {@code INDArray.mmul(b, c)} computes into a column-major temporary and copies it over. Ranges of rows run in
 * parallel, one per thread, as {@link Linear}'s.
 */
public final class Conv1d {
  private static final MMulTranspose NONE = MMulTranspose.allFalse();

  private final INDArray weight; // (in, out)
  private final INDArray bias; // (out)

  public Conv1d(StateDict weights, String prefix, int in, int out) {
    this.weight = weights.array(prefix + ".weight", in, out);
    this.bias = weights.array(prefix + ".bias", out);
  }

  /** Multiplies outputs from..to-1 (their weight columns and biases) by {@code factor}; at load time only. */
  public void scaleOutputs(long from, long to, double factor) {
    weight.get(all(), interval(from, to)).muli(factor);
    bias.get(interval(from, to)).muli(factor);
  }

  /** {@code out = x @ weight + bias}, as torch.addmm: x (rows, in), out (rows, out) overwritten. */
  public void forward(INDArray x, INDArray out) {
    addmm(x, out, 0.0);
  }

  /**
   * {@code residual += x @ weight + bias}: the layer and the residual connection after it
   * ({@code hidden_states = residual + layer(...)}), the sum taken by the gemm (beta = 1).
   */
  public void forwardAdd(INDArray x, INDArray residual) {
    addmm(x, residual, 1.0);
  }

  /** {@code out = beta out + x @ weight + bias}, ranges of rows in parallel, each a single-threaded sgemm. */
  private void addmm(INDArray x, INDArray out, double beta) {
    Parallel.forRanges((int) x.size(0), Linear.MIN_ROWS, (from, to) -> {
      INDArray rows = out.get(interval(from, to), all());
      Nd4j.exec(new Mmul(x.get(interval(from, to), all()), weight, rows, 1.0, beta, NONE));
      rows.addiRowVector(bias);
    });
  }
}

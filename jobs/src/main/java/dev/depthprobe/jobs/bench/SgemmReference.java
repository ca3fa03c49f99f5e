package dev.depthprobe.jobs.bench;

import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ceiling the model's matmuls can reach here: ND4J's float32 matrix product of two n x n matrices into a
 * preallocated c-ordered result, as GFLOP/s (2 n^3 per product) of the median timed run. It runs libnd4j's Mmul
 * op, the call the models make; {@code INDArray.mmul(b, c)} computes into a column-major temporary and copies it
 * over, which measured half the speed on this machine and would flatter every ratio to it.
 */
public final class SgemmReference {
  public static final int SIZE = 1024;
  private static final int WARMUP = 5;
  private static final int RUNS = 20;

  private SgemmReference() {}

  /** 1024^3, on the calling thread's ND4J thread settings. */
  public static double gflopsPerS() {
    return gflopsPerS(SIZE, WARMUP, RUNS);
  }

  public static double gflopsPerS(int n, int warmup, int runs) {
    INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
    INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
    INDArray c = Nd4j.create(DataType.FLOAT, n, n);
    RunTimes times = RunTimes.measure(() -> Nd4j.exec(new Mmul(a, b, c, 1.0, 0.0, MMulTranspose.allFalse())), warmup,
        runs);
    return 2.0 * n * n * n / times.median() / 1e9;
  }
}

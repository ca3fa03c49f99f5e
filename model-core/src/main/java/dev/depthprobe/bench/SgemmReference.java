package dev.depthprobe.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ceiling the model's matmuls can reach here: ND4J's float32 mmul of two n x n matrices into a
 * preallocated result, as GFLOP/s (2 n^3 per product) of the median timed run.
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
    RunTimes times = RunTimes.measure(() -> a.mmul(b, c), warmup, runs);
    return 2.0 * n * n * n / times.median() / 1e9;
  }
}

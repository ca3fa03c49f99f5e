package dev.depthprobe.compute;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * How many threads ND4J uses for the ops the calling thread runs. ND4J's native ops (libnd4j loops and
 * oneDNN convolutions) parallelise with OpenMP, whose thread count is a per-thread setting, so each
 * Spark task thread can take its share of the executor's cores: cores / concurrent tasks.
 */
public final class Nd4jThreads {
  private Nd4jThreads() {}

  /** Limits the OpenMP threads of ND4J ops issued from the calling thread to {@code threads}. */
  public static void setForCurrentThread(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    Nd4j.getEnvironment(); // loads the native backend before its ops are used
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
  }

  /** The OpenMP thread count in effect for the calling thread. */
  public static int currentThread() {
    Nd4j.getEnvironment();
    return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
  }
}

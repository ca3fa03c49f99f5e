package dev.depthprobe.jobs.bench;

import dev.depthprobe.compute.Nd4jThreads;
import org.nd4j.linalg.factory.Nd4j;

/** Sizes ND4J's thread pools for a benchmark run: its ops' OpenMP threads and the BLAS library's. */
public final class BenchThreads {
  private BenchThreads() {}

  /** Applies to ops issued from the calling thread (OpenMP) and to every BLAS call (process-wide). */
  public static void use(int threads) {
    Nd4jThreads.setForCurrentThread(threads);
    Nd4j.factory().blas().setMaxThreads(threads);
  }
}

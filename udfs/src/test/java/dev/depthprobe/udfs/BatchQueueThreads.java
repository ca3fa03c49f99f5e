package dev.depthprobe.udfs;

/** Test-side observation of the device batch queues of this JVM: their worker threads. */
final class BatchQueueThreads {
  private BatchQueueThreads() {}

  /** Worker threads of batch queues alive now. */
  static long alive() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("depthprobe-batches-")).count();
  }
}

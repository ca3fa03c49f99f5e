package dev.depthprobe.checkpoint;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * What a model build leaves behind once nothing holds its {@link StateDict}: the weight files' memory maps, the
 * direct buffers of converted or broadcast tensors, and the ND4J arrays that modules replaced with derived copies.
 * The JVM returns them to the system only when its collector finds them, which can be long after the build (the
 * build allocates enough to promote them, and an old generation is collected rarely); until then they stay
 * resident beside the model, about the weights' size again (300 MB for ImageGPT-small), and the first pass's
 * peak holds both.
 */
public final class CheckpointBuffers {
  /** How long the buffer pools must stay unchanged to count as released. */
  private static final long QUIET_MILLIS = 10;
  /** The longest {@link #release} waits for the cleaners. */
  private static final long MAX_WAIT_NANOS = 1_000_000_000L;

  private CheckpointBuffers() {}

  /**
   * Asks the JVM for a collection, and waits (a second at most) until its cleaners, which unmap and free the
   * collected buffers on a thread of their own, have stopped shrinking the direct and mapped buffer pools. Call
   * once a model is built and nothing holds its state dict any more.
   */
  public static void release() {
    System.gc();
    List<BufferPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);
    long deadline = System.nanoTime() + MAX_WAIT_NANOS;
    long used = used(pools);
    try {
      while (System.nanoTime() < deadline) {
        Thread.sleep(QUIET_MILLIS);
        long now = used(pools);
        if (now == used) {
          return;
        }
        used = now;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long used(List<BufferPoolMXBean> pools) {
    return pools.stream().mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
  }
}

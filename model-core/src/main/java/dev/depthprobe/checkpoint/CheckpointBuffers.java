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
  /**
   * Below this much in the JVM's direct and mapped buffer pools a full collection's pause costs more than the
   * memory is worth (a small checkpoint, loaded again and again in one JVM, would pay one per load).
   */
  static final long WORTH_COLLECTING = 64L << 20;
  /** How long the buffer pools must stay unchanged to count as released. */
  private static final long QUIET_MILLIS = 10;
  /** The longest {@link #release} waits for the cleaners. */
  private static final long MAX_WAIT_NANOS = 1_000_000_000L;

  private CheckpointBuffers() {}

  /**
   * Where the direct and mapped buffer pools hold {@link #WORTH_COLLECTING} or more, asks the JVM for a collection
   * and waits (a second at most) until its cleaners, which unmap and free the collected buffers on a thread of their
   * own, have stopped shrinking the pools. Call once a model is built and nothing holds its state dict any more.
   */
  public static void release() {
    List<BufferPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);
    long used = used(pools);
    if (used < WORTH_COLLECTING) {
      return;
    }
    System.gc();
    long deadline = System.nanoTime() + MAX_WAIT_NANOS;
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

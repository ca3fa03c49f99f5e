package dev.depthprobe.checkpoint;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.function.Supplier;

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
  /** How long the buffer pools must stay unchanged, once the collection's references are processed. */
  private static final long QUIET_MILLIS = 10;
  /** The longest {@link #release} waits for the collection's references to be processed. */
  private static final long MAX_WAIT_MILLIS = 1_000;

  private CheckpointBuffers() {}

  /**
   * Builds a model with {@code build}, which reads its state dict and keeps no reference to it, then releases what
   * the build left behind ({@link #release}): once {@code build} has returned, nothing holds the state dict.
   */
  public static <M> M releasedAfter(Supplier<M> build) {
    M model = build.get();
    release();
    return model;
  }

  /**
   * Where the direct and mapped buffer pools hold {@link #WORTH_COLLECTING} or more, asks the JVM for a collection
   * and waits until the reference handler, which unmaps and frees the collected buffers on its own thread as it
   * walks the references the collection found, has come to a sentinel of this call's and the pools have stopped
   * changing, a second at most in all. Does nothing where {@code -XX:+DisableExplicitGC} turns the collection
   * off.
   */
  static void release() {
    List<BufferPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);
    if (used(pools) < WORTH_COLLECTING || explicitCollectionDisabled()) {
      return;
    }
    ReferenceQueue<Object> processed = new ReferenceQueue<>();
    WeakReference<Object> sentinel = new WeakReference<>(new Object(), processed);
    long deadline = System.nanoTime() + MAX_WAIT_MILLIS * 1_000_000;
    System.gc();
    try {
      if (processed.remove(MAX_WAIT_MILLIS) == null) {
        return;
      }
      long used = used(pools);
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
    } finally {
      Reference.reachabilityFence(sentinel);
    }
  }

  private static long used(List<BufferPoolMXBean> pools) {
    return pools.stream().mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
  }

  private static boolean explicitCollectionDisabled() {
    HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    return hotSpot != null && Boolean.parseBoolean(hotSpot.getVMOption("DisableExplicitGC").getValue());
  }
}

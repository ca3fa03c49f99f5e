package dev.depthprobe.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs the items of a loop on the calling thread's share of the cores: its ND4J thread count (see
 * {@link Nd4jThreads}), or the count given to {@link #withThreads}. The caller and up to that many - 1
 * workers of this class's own pool take items in turn until none are left, so a busy pool only slows a loop
 * down. An item runs single-threaded, ND4J ops included. The pool is not the common pool: the JDK clears a
 * common-pool worker's thread-locals after every task, and with them the buffers and ND4J workspaces each
 * thread keeps from one loop to the next (allocated and zeroed again on every loop, 8% of a GLPN pass).
 */
public final class Parallel {
  /** One item of a loop; {@code thread} in [0, threads) tells which participant runs it, to pick its buffers. */
  @FunctionalInterface
  public interface Item {
    void run(int thread, int item);
  }

  /** A range [from, to) of a loop split into ranges. */
  @FunctionalInterface
  public interface Range {
    void run(int from, int to);
  }

  /** The threads for this thread's loops inside {@link #withThreads}. */
  private static final ThreadLocal<Integer> THREADS = new ThreadLocal<>();
  /**
   * Helpers for every loop of the process: daemon threads that keep their thread-locals between tasks. One fewer
   * than the cores, as the caller is a participant: each helper keeps a set of ND4J workspaces and a malloc arena
   * (about 130-200 MB of GLPN-b4's resident memory at 352x1216 when a loop's one helper was now this worker and
   * now that one).
   */
  private static final ForkJoinPool HELPERS =
      new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors() - 1),
          ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, false);

  private Parallel() {}

  /**
   * Runs {@code body} over [0, count) split into contiguous ranges of at least {@code minRange}, one per
   * thread; on one thread (or when count is that small), as one range on the calling thread. One range each, not
   * a few: an sgemm over a quarter of the rows runs 10-40% slower than over all of them (GLPN-b4's linear
   * layers at 480x640), which cost GLPN-b4 9% of a pass at batch 1.
   */
  public static void forRanges(int count, int minRange, Range body) {
    if (threads(count) == 1) {
      body.run(0, count);
      return;
    }
    int ranges = Math.max(1, Math.min(threads(count), count / Math.max(1, minRange)));
    forEach(threads(ranges), ranges, (thread, range) ->
        body.run((int) ((long) count * range / ranges), (int) ((long) count * (range + 1) / ranges)));
  }

  /**
   * Runs {@code work} with its loops on {@code threads} threads and its ND4J ops outside the loops on this
   * thread alone. OpenMP's threads spin while they wait for one another, which costs most of the time
   * when other processes share the cores; the loops' threads wait parked instead.
   */
  public static <T> T withThreads(int threads, Supplier<T> work) {
    Integer outer = THREADS.get();
    int nd4jThreads = Nd4jThreads.currentThread();
    THREADS.set(threads);
    Nd4jThreads.setForCurrentThread(1);
    try {
      return work.get();
    } finally {
      Nd4jThreads.setForCurrentThread(nd4jThreads);
      restore(outer);
    }
  }

  /** How many threads a loop over {@code items} items started from this thread uses. */
  public static int threads(int items) {
    Integer threads = THREADS.get();
    return Math.max(1, Math.min(items, threads != null ? threads : Nd4jThreads.currentThread()));
  }

  /** Runs {@code body} on every item of [0, items) with {@code threads} participants, the caller among them. */
  public static void forEach(int threads, int items, Item body) {
    if (threads <= 1) {
      for (int i = 0; i < items; i++) {
        body.run(0, i);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    List<ForkJoinTask<?>> helpers = new ArrayList<>();
    for (int t = 1; t < threads; t++) {
      int thread = t;
      helpers.add(HELPERS.submit(() -> takeItems(thread, items, next, body)));
    }
    try {
      takeItems(0, items, next, body);
    } finally {
      for (ForkJoinTask<?> helper : helpers) {
        helper.join();
      }
    }
  }

  private static void takeItems(int thread, int items, AtomicInteger next, Item body) {
    int previous = Nd4jThreads.currentThread();
    Integer outer = THREADS.get();
    Nd4jThreads.setForCurrentThread(1);
    THREADS.set(1);
    try {
      for (int i = next.getAndIncrement(); i < items; i = next.getAndIncrement()) {
        body.run(thread, i);
      }
    } catch (RuntimeException | Error e) {
      next.set(items); // the other participants stop after their current item
      throw e;
    } finally {
      Nd4jThreads.setForCurrentThread(previous);
      restore(outer);
    }
  }

  private static void restore(Integer threads) {
    if (threads == null) {
      THREADS.remove();
    } else {
      THREADS.set(threads);
    }
  }
}

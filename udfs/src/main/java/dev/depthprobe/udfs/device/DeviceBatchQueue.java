package dev.depthprobe.udfs.device;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's batching queue. Several tasks share a GPU ({@code spark.task.resource.gpu.amount} < 1);
 * each submits its items here and one worker thread, pinned to the device, forms batches of up to
 * {@code maxBatchSize} items with the same batch key (e.g. the same input shape), runs them, and
 * hands each result back to the future of the item it belongs to, exactly once. A batch is run as
 * soon as it is full, or when its oldest item has waited {@code maxWait}.
 *
 * <p>One queue per device and model per executor: keep it in the executor's model cache under
 * attached to the model in the executor's model cache. The worker is a daemon thread that lives until
 * {@link #close()} (the model cache closes the queue when it evicts the model).
 *
 * @param <I> one task's item (a preprocessed image)
 * @param <O> the item's result
 */
public final class DeviceBatchQueue<I, O> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceBatchQueue.class);

  private final String deviceLabel;
  private final int maxBatchSize;
  private final long maxWaitNanos;
  private final Function<? super I, ?> batchKey;
  private final Function<List<I>, List<O>> runBatch;
  private final ArrayDeque<Pending<I, O>> pending = new ArrayDeque<>();
  private final Thread worker;
  private boolean closed;

  /**
   * Starts the worker, which pins itself to {@code deviceLabel} ({@link TaskDevice#pinThread}).
   * {@code runBatch} gets items with equal {@code batchKey}s and returns one result per item, in order.
   */
  public DeviceBatchQueue(String deviceLabel, int maxBatchSize, Duration maxWait, Function<? super I, ?> batchKey,
      Function<List<I>, List<O>> runBatch) {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, not " + maxBatchSize);
    }
    this.deviceLabel = deviceLabel;
    this.maxBatchSize = maxBatchSize;
    this.maxWaitNanos = maxWait.toNanos();
    this.batchKey = batchKey;
    this.runBatch = runBatch;
    this.worker = new Thread(this::work, "depthprobe-batches-" + deviceLabel);
    worker.setDaemon(true);
    worker.start();
  }

  /** Queues one item; the future completes with its result or with its batch's failure. */
  public CompletableFuture<O> submit(I item) {
    Pending<I, O> p = new Pending<>(item, batchKey.apply(item));
    synchronized (pending) {
      if (closed) {
        throw new IllegalStateException("the " + deviceLabel + " batch queue is closed");
      }
      pending.add(p);
      pending.notifyAll();
    }
    return p.result;
  }

  /**
   * Submits one task's items and waits for their results, in the items' order. A failed batch's
   * exception is rethrown; if the waiting thread is interrupted (the task was killed) its items that
   * have not run yet are withdrawn.
   */
  public List<O> runAll(List<? extends I> items) {
    List<CompletableFuture<O>> futures = new ArrayList<>(items.size());
    for (I item : items) {
      futures.add(submit(item));
    }
    List<O> results = new ArrayList<>(items.size());
    try {
      for (CompletableFuture<O> f : futures) {
        results.add(f.get());
      }
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(false));
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for the " + deviceLabel + " batch queue");
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(false));
      throw rethrow(e.getCause());
    }
    return results;
  }

  /**
   * Stops the worker after the items already queued and waits for it to end (it frees its ND4J
   * workspaces as it ends); later submits fail.
   */
  @Override
  public void close() {
    synchronized (pending) {
      closed = true;
      pending.notifyAll();
    }
    if (Thread.currentThread() != worker) {
      try {
        worker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void work() {
    TaskDevice.pinThread(deviceLabel);
    try {
      for (List<Pending<I, O>> batch = nextBatch(); batch != null; batch = nextBatch()) {
        if (!batch.isEmpty()) { // empty when every item of the key was withdrawn while waiting
          run(batch);
        }
      }
    } finally {
      Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    }
  }

  /**
   * Waits for an item, then up to {@code maxWait} (from that item's arrival) for enough items with its
   * key to fill a batch; takes them in arrival order. Null once closed and drained.
   */
  private List<Pending<I, O>> nextBatch() {
    synchronized (pending) {
      try {
        Pending<I, O> oldest = oldestLive();
        while (oldest == null) {
          if (closed) {
            return null;
          }
          pending.wait();
          oldest = oldestLive();
        }
        long deadline = oldest.arrivedNanos + maxWaitNanos;
        for (long left = deadline - System.nanoTime(); left > 0 && !closed && count(oldest.key) < maxBatchSize;
            left = deadline - System.nanoTime()) {
          pending.wait(Math.max(1, left / 1_000_000));
        }
        return take(oldest.key);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }

  /** The first queued item still wanted (withdrawn items are dropped here); caller holds the lock. */
  private Pending<I, O> oldestLive() {
    while (!pending.isEmpty() && pending.peekFirst().result.isDone()) {
      pending.pollFirst();
    }
    return pending.peekFirst();
  }

  private int count(Object key) {
    int n = 0;
    for (Pending<I, O> p : pending) {
      if (Objects.equals(p.key, key) && !p.result.isDone()) {
        n++;
      }
    }
    return n;
  }

  private List<Pending<I, O>> take(Object key) {
    List<Pending<I, O>> batch = new ArrayList<>(maxBatchSize);
    for (Iterator<Pending<I, O>> it = pending.iterator(); it.hasNext() && batch.size() < maxBatchSize; ) {
      Pending<I, O> p = it.next();
      if (p.result.isDone()) {
        it.remove();
      } else if (Objects.equals(p.key, key)) {
        it.remove();
        batch.add(p);
      }
    }
    return batch;
  }

  private void run(List<Pending<I, O>> batch) {
    List<I> items = new ArrayList<>(batch.size());
    batch.forEach(p -> items.add(p.item));
    try {
      List<O> results = runBatch.apply(items);
      if (results.size() != batch.size()) {
        throw new IllegalStateException("a batch of " + batch.size() + " items returned " + results.size() + " results");
      }
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result.complete(results.get(i));
      }
    } catch (Throwable t) {
      LOG.warn("A batch of {} items on {} failed: {}", batch.size(), deviceLabel, t.toString());
      batch.forEach(p -> p.result.completeExceptionally(t));
    }
  }

  private static RuntimeException rethrow(Throwable cause) {
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(cause.getMessage(), cause);
  }

  private static final class Pending<I, O> {
    final I item;
    final Object key;
    final long arrivedNanos = System.nanoTime();
    final CompletableFuture<O> result = new CompletableFuture<>();

    Pending(I item, Object key) {
      this.item = item;
      this.key = key;
    }
  }
}

package dev.depthprobe.jobs;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Driver work on a daemon thread of its own, so that it overlaps the driver's other work before and while the
 * job runs: the model's distribution (the weights' check and content hash, or their read and broadcast) while
 * the input is listed, the model's build ahead of the tasks while the query is planned. {@link #get} gives its
 * result or throws what it threw; a job that fails before then (a bad --input, say) {@link #close()}s it, which
 * interrupts the work (the content hash stops between two reads) and waits for its thread to end, so that the
 * error is reported without waiting for gigabytes to be hashed, and no thread is left reading weights while
 * the session stops.
 */
final class DriverThread<T> implements AutoCloseable {
  private final CompletableFuture<T> result;
  private final Thread thread;

  private DriverThread(CompletableFuture<T> result, Thread thread) {
    this.result = result;
    this.thread = thread;
  }

  /** Starts {@code work} on a daemon thread named {@code depthprobe-<name>}. */
  static <T> DriverThread<T> start(String name, Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        result.complete(work.get());
      } catch (Throwable failure) {
        result.completeExceptionally(failure);
      }
    }, "depthprobe-" + name);
    thread.setDaemon(true);
    thread.start();
    return new DriverThread<>(result, thread);
  }

  /** The work's result, once done; a failure is thrown as the work threw it. */
  T get() {
    try {
      return result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Interrupts the work if it is still running, and waits for its thread to end. */
  @Override
  public void close() throws InterruptedException {
    if (!result.isDone()) {
      thread.interrupt();
    }
    thread.join();
  }
}

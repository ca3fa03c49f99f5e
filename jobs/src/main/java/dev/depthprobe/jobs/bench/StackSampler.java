package dev.depthprobe.jobs.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A sampling profiler for one forward pass: another thread reads the running thread's stack every few
 * milliseconds and credits each sample to the innermost frame that belongs to one of the model's parts
 * (by class). It times the real model code without hooks in it; native ND4J calls show as the Java
 * frame that made them.
 */
public final class StackSampler {
  /** A part of the model: the samples with a frame of {@code className} (or its nested classes). */
  public record Part(String label, String className) {}

  private static final long INTERVAL_MILLIS = 5;

  private StackSampler() {}

  /** Runs {@code pass} on the calling thread while sampling it. */
  public static TimeShares sample(Runnable pass, List<Part> parts) {
    Map<String, Integer> samples = new LinkedHashMap<>();
    parts.forEach(part -> samples.put(part.label(), 0));
    samples.put(TimeShares.OTHER, 0);
    Thread target = Thread.currentThread();
    CountDownLatch done = new CountDownLatch(1);
    Thread sampler = new Thread(() -> {
      try {
        while (!done.await(INTERVAL_MILLIS, TimeUnit.MILLISECONDS)) {
          samples.merge(attribute(target.getStackTrace(), parts), 1, Integer::sum);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bench-stack-sampler");
    sampler.setDaemon(true);
    long start = System.nanoTime();
    sampler.start();
    try {
      pass.run();
    } finally {
      done.countDown();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    try {
      sampler.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new TimeShares(samples, seconds);
  }

  /** The label of the innermost frame in one of {@code parts}, else {@link TimeShares#OTHER}. */
  static String attribute(StackTraceElement[] stack, List<Part> parts) {
    for (StackTraceElement frame : stack) {
      for (Part part : parts) {
        String name = frame.getClassName();
        if (name.equals(part.className()) || name.startsWith(part.className() + "$")) {
          return part.label();
        }
      }
    }
    return TimeShares.OTHER;
  }
}

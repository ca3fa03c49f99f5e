package dev.depthprobe.udfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.udfs.device.DeviceBatchQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ModelCacheTest {
  private static final ModelCacheLimits ONE_MODEL = new ModelCacheLimits(1, Long.MAX_VALUE);

  /** A model that records whether it was closed. */
  private static final class FakeModel implements AutoCloseable {
    volatile boolean closed;

    @Override
    public void close() {
      closed = true;
    }
  }

  private static String key(String name) {
    return name + "-" + System.nanoTime();
  }

  @Test
  void concurrentCallersOfOneKeyShareASingleLoad() throws Exception {
    String key = key("concurrent");
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Object>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> {
          go.await();
          try (ModelCache.Lease<Object> lease = ModelCache.acquire(key, 1, () -> {
            loads.incrementAndGet();
            sleep(100);
            return new Object();
          })) {
            return lease.value();
          }
        }));
      }
      go.countDown();
      Object first = results.get(0).get();
      for (Future<Object> f : results) {
        assertSame(first, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, loads.get());
  }

  @Test
  void differentKeysLoadDifferentValues() {
    String a = key("a");
    String b = key("b");
    assertEquals("a", value(a, "a"));
    assertEquals("b", value(b, "b"));
    assertEquals("a", value(a, "other"));
  }

  @Test
  void aFailedLoadLeavesTheKeyForTheNextCaller() {
    String key = key("flaky");
    assertThrows(IllegalStateException.class,
        () -> ModelCache.acquire(key, 1, () -> { throw new IllegalStateException("boom"); }));
    assertFalse(ModelCache.keys().contains(key));
    assertEquals("loaded", value(key, "loaded"));
  }

  @Test
  void theLeastRecentlyUsedModelIsEvictedAtTheBoundAndRebuiltOnNextUse() throws Exception {
    String first = key("first");
    String second = key("second");
    AtomicInteger firstBuilds = new AtomicInteger();
    FakeModel evicted = new FakeModel();
    AtomicReference<Thread> worker = new AtomicReference<>();
    try (ModelCache.Lease<FakeModel> lease = ModelCache.acquire(first, 1, () -> {
      firstBuilds.incrementAndGet();
      return evicted;
    }, ONE_MODEL)) {
      DeviceBatchQueue<Integer, Integer> queue = lease.attached("queue", () -> new DeviceBatchQueue<>("cpu", 1,
          Duration.ofMillis(1), i -> 0, items -> {
            worker.set(Thread.currentThread());
            return items;
          }));
      assertEquals(List.of(7), queue.runAll(List.of(7)));
    }
    assertTrue(worker.get().isAlive(), "the queue's worker lives while its model is cached");

    ModelCache.acquire(second, 1, FakeModel::new, ONE_MODEL).close();

    assertFalse(ModelCache.keys().contains(first));
    assertTrue(evicted.closed, "the evicted model is closed");
    assertFalse(worker.get().isAlive(), "the evicted model's batch queue thread has stopped");
    try (ModelCache.Lease<FakeModel> again = ModelCache.acquire(first, 1, () -> {
      firstBuilds.incrementAndGet();
      return new FakeModel();
    }, ONE_MODEL)) {
      assertNotSame(evicted, again.value());
      assertFalse(again.value().closed);
    }
    assertEquals(2, firstBuilds.get(), "built again on next use");
  }

  @Test
  void aModelInUseIsClosedOnlyWhenItsLastTaskLetsItGo() {
    String used = key("used");
    FakeModel model = new FakeModel();
    ModelCache.Lease<FakeModel> task = ModelCache.acquire(used, 1, () -> model, ONE_MODEL);

    ModelCache.acquire(key("other"), 1, FakeModel::new, ONE_MODEL).close();

    assertFalse(ModelCache.keys().contains(used), "evicted from the cache");
    assertFalse(model.closed, "but not closed under a running task");
    task.close();
    assertTrue(model.closed);
  }

  @Test
  void theWeightBytesBoundEvictsOlderModels() {
    ModelCacheLimits hundredBytes = new ModelCacheLimits(10, 100);
    String older = key("older");
    String newer = key("newer");
    FakeModel first = new FakeModel();
    ModelCache.acquire(older, 60, () -> first, hundredBytes).close();
    ModelCache.acquire(newer, 60, FakeModel::new, hundredBytes).close();

    assertFalse(ModelCache.keys().contains(older));
    assertTrue(ModelCache.keys().contains(newer));
    assertTrue(first.closed);
  }

  private static String value(String key, String value) {
    try (ModelCache.Lease<String> lease = ModelCache.acquire(key, 1, () -> value)) {
      return lease.value();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.depthprobe.udfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ModelCacheTest {

  @Test
  void concurrentCallersOfOneKeyShareASingleLoad() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Object>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> {
          go.await();
          return ModelCache.getOrLoad("concurrent", () -> {
            loads.incrementAndGet();
            sleep(100);
            return new Object();
          });
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
    assertEquals(1, ModelCache.loadCount("concurrent"));
  }

  @Test
  void differentKeysLoadDifferentValues() {
    assertEquals("a", ModelCache.getOrLoad("key-a", () -> "a"));
    assertEquals("b", ModelCache.getOrLoad("key-b", () -> "b"));
    assertEquals("a", ModelCache.getOrLoad("key-a", () -> "other"));
  }

  @Test
  void aFailedLoadLeavesTheKeyForTheNextCaller() {
    assertThrows(IllegalStateException.class,
        () -> ModelCache.getOrLoad("flaky", () -> { throw new IllegalStateException("boom"); }));
    assertEquals(0, ModelCache.loadCount("flaky"));
    assertEquals("loaded", ModelCache.getOrLoad("flaky", () -> "loaded"));
    assertEquals(1, ModelCache.loadCount("flaky"));
  }

  @Test
  void unknownKeyHasNoLoads() {
    assertEquals(0, ModelCache.loadCount("never-asked"));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

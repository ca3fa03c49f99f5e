package dev.depthprobe.jobs;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.udfs.distribution.ModelSource;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DriverThreadTest {

  @Test
  void closingBeforeTheResultIsAskedForInterruptsWorkStillRunning() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    DriverThread<ModelSource> shipping = DriverThread.start("test", () -> {
      started.countDown();
      try {
        Thread.sleep(Duration.ofHours(1).toMillis()); // a hash of many gigabytes
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
      throw new IllegalStateException("stopped");
    });
    started.await();
    assertTimeoutPreemptively(Duration.ofSeconds(10), shipping::close);
    assertTrue(interrupted.get());
  }

  @Test
  void theResultAndAFailureComeBackAsTheWorkGaveThem() throws Exception {
    ModelSource source = (ModelSource) Proxy.newProxyInstance(ModelSource.class.getClassLoader(),
        new Class<?>[] {ModelSource.class}, (proxy, method, args) -> null);
    try (DriverThread<ModelSource> shipping = DriverThread.start("test", () -> source)) {
      assertSame(source, shipping.get());
    }
    IllegalArgumentException failure = new IllegalArgumentException("bad checkpoint");
    try (DriverThread<ModelSource> shipping = DriverThread.start("test", () -> {
      throw failure;
    })) {
      assertSame(failure, assertThrows(IllegalArgumentException.class, shipping::get));
    }
  }
}

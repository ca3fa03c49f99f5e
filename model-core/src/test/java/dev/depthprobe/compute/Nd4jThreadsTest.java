package dev.depthprobe.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class Nd4jThreadsTest {
  @Test
  void threadCountAppliesToTheCallingThreadOnly() throws InterruptedException {
    AtomicInteger other = new AtomicInteger();
    Thread before = new Thread(() -> other.set(Nd4jThreads.currentThread()));
    before.start();
    before.join();
    int defaultCount = other.get();

    Thread limited = new Thread(() -> {
      Nd4jThreads.setForCurrentThread(1);
      other.set(Nd4jThreads.currentThread());
    });
    limited.start();
    limited.join();
    assertEquals(1, other.get());

    Thread after = new Thread(() -> other.set(Nd4jThreads.currentThread()));
    after.start();
    after.join();
    assertEquals(defaultCount, other.get());
  }

  @Test
  void rejectsFewerThanOneThread() {
    assertThrows(IllegalArgumentException.class, () -> Nd4jThreads.setForCurrentThread(0));
  }
}

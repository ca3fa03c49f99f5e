package dev.depthprobe.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class ParallelTest {
  /**
   * Two items that only two different threads can finish: the first waits until the second has started, so the
   * caller and one helper take one each. Returns the helper.
   */
  private static Thread loopOnCallerAndOneHelper(ThreadLocal<Integer> loopsSeen, Map<Thread, Integer> seenBefore,
      int loop) {
    Thread caller = Thread.currentThread();
    CountDownLatch secondStarted = new CountDownLatch(1);
    Map<Integer, Thread> ranBy = new ConcurrentHashMap<>();
    Parallel.withThreads(2, () -> {
      Parallel.forEach(2, 2, (thread, item) -> {
        ranBy.put(item, Thread.currentThread());
        if (Thread.currentThread() != caller) {
          seenBefore.put(Thread.currentThread(), loopsSeen.get() == null ? -1 : loopsSeen.get());
          loopsSeen.set(loop);
        }
        if (item == 1) {
          secondStarted.countDown();
        } else {
          try {
            assertTrue(secondStarted.await(30, TimeUnit.SECONDS), "no second thread took the other item");
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        }
      });
      return null;
    });
    assertNotSame(ranBy.get(0), ranBy.get(1));
    return ranBy.get(0) == caller ? ranBy.get(1) : ranBy.get(0);
  }

  @Test
  void helperThreadsKeepTheirThreadLocalsFromOneLoopToTheNext() {
    // the per-thread attention buffers and ND4J workspaces rely on it; the JDK's common pool clears them
    ThreadLocal<Integer> loopsSeen = new ThreadLocal<>();
    int loops = Runtime.getRuntime().availableProcessors() + 1; // more loops than helpers: one comes back
    Map<Thread, Integer> lastLoop = new ConcurrentHashMap<>();
    int returns = 0;
    for (int loop = 0; loop < loops; loop++) {
      Map<Thread, Integer> seenBefore = new ConcurrentHashMap<>();
      Thread helper = loopOnCallerAndOneHelper(loopsSeen, seenBefore, loop);
      if (lastLoop.containsKey(helper)) {
        assertEquals(lastLoop.get(helper), seenBefore.get(helper), helper.getName() + " lost its thread-local");
        returns++;
      }
      lastLoop.put(helper, loop);
    }
    assertTrue(returns > 0, "no helper thread came back in " + loops + " loops");
  }

  @Test
  void loopsWiderThanTheCoresShareOneFewerHelpersThanCoresAcrossTheProcess() {
    // every helper keeps its own workspaces: more helpers than cores - 1 would only hold more memory
    int cores = Runtime.getRuntime().availableProcessors();
    Thread caller = Thread.currentThread();
    Set<Thread> helpers = ConcurrentHashMap.newKeySet();
    for (int loop = 0; loop < 20; loop++) {
      Parallel.forEach(cores + 1, 4 * (cores + 1), (thread, item) -> {
        if (Thread.currentThread() != caller) {
          helpers.add(Thread.currentThread());
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
      });
    }
    assertTrue(helpers.size() <= Math.max(1, cores - 1), helpers.size() + " helpers on " + cores + " cores");
  }

  @Test
  void rangesAreOnePerThreadAndCoverEveryIndexOnce() {
    List<int[]> ranges = new ArrayList<>();
    Parallel.withThreads(2, () -> {
      Parallel.forRanges(1000, 64, (from, to) -> {
        synchronized (ranges) {
          ranges.add(new int[] {from, to});
        }
      });
      return null;
    });
    assertEquals(2, ranges.size());
    ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
    assertEquals(0, ranges.get(0)[0]);
    assertEquals(ranges.get(0)[1], ranges.get(1)[0]);
    assertEquals(1000, ranges.get(1)[1]);
  }

  @Test
  void fewRowsStayOneRange() {
    List<int[]> ranges = new ArrayList<>();
    Parallel.withThreads(2, () -> {
      Parallel.forRanges(100, 64, (from, to) -> ranges.add(new int[] {from, to}));
      return null;
    });
    assertEquals(1, ranges.size());
    assertEquals(100, ranges.get(0)[1]);
  }
}

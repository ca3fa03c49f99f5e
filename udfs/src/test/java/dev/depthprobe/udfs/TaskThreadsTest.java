package dev.depthprobe.udfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthprobe.compute.Parallel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class TaskThreadsTest {
  @Test
  void aTaskThreadsLoopsTakeItsShareAndNotTheMachinesCores() throws InterruptedException {
    int before = Nd4j.getEnvironment().maxThreads();
    try {
      for (int share : new int[] {1, 2}) {
        assertEquals(share, loopThreadsOfAFreshThreadGiven(share), "share " + share);
      }
    } finally {
      TaskThreads.use(before);
    }
  }

  /** The threads of a model's loop over 64 items, started from a new thread (as Spark's) after use(share). */
  private static int loopThreadsOfAFreshThreadGiven(int share) throws InterruptedException {
    AtomicInteger threads = new AtomicInteger();
    Thread task = new Thread(() -> {
      TaskThreads.use(share);
      threads.set(Parallel.threads(64));
    });
    task.start();
    task.join();
    return threads.get();
  }

  @Test
  void fairShareIsTheCoresOfOneTaskSlot() {
    assertEquals(1, TaskThreads.threads(null, 8, 1));
    assertEquals(2, TaskThreads.threads(null, 8, 2));
    assertEquals(4, TaskThreads.threads(null, 8, 4));
  }

  @Test
  void aTaskThatNeedsMoreCpusThanTheExecutorHasGetsAllCores() {
    assertEquals(2, TaskThreads.threads(null, 2, 4));
  }

  @Test
  void requestedThreadsAreCappedAtTheCores() {
    assertEquals(3, TaskThreads.threads(3, 8, 1));
    assertEquals(8, TaskThreads.threads(32, 8, 1));
    assertEquals(1, TaskThreads.threads(0, 8, 1));
  }

  @Test
  void executorCoresComeFromTheConfThenTheLocalMasterThenTheMachine() {
    assertEquals(4, TaskThreads.executorCores("4", "yarn", 16));
    assertEquals(16, TaskThreads.executorCores("64", "yarn", 16));
    assertEquals(2, TaskThreads.executorCores(null, "local[2]", 16));
    assertEquals(3, TaskThreads.executorCores(null, "local[3,2]", 16));
    assertEquals(16, TaskThreads.executorCores(null, "local[*]", 16));
    assertEquals(16, TaskThreads.executorCores(null, "k8s://https://host", 16));
  }
}

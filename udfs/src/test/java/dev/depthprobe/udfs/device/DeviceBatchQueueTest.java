package dev.depthprobe.udfs.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-device batching queue, driven from several task threads on CPU. */
class DeviceBatchQueueTest {
  private static final Duration WAIT = Duration.ofMillis(20);

  /** One row of one task: which task, which row; the "model" turns it into {@code task * 1000 + row}. */
  record Row(int task, int row) {}

  private final List<List<Row>> batches = Collections.synchronizedList(new ArrayList<>());
  private final Map<Row, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final List<DeviceBatchQueue<?, ?>> queues = new ArrayList<>();

  @AfterEach
  void closeQueues() {
    queues.forEach(DeviceBatchQueue::close);
  }

  private DeviceBatchQueue<Row, Integer> queue(int maxBatch, Function<Row, ?> key, Function<List<Row>, List<Integer>> model) {
    DeviceBatchQueue<Row, Integer> q = new DeviceBatchQueue<>("cpu", maxBatch, WAIT, key, model);
    queues.add(q);
    return q;
  }

  /** A queue of one group whose batches wait for {@code gate} to open, then run {@link #model}. */
  private DeviceBatchQueue<Row, Integer> gatedQueue(int maxBatch, CountDownLatch gate) {
    return queue(maxBatch, r -> "same", batch -> {
      await(gate);
      return model(batch);
    });
  }

  private List<Integer> model(List<Row> batch) {
    batches.add(List.copyOf(batch));
    List<Integer> out = new ArrayList<>();
    for (Row r : batch) {
      runs.computeIfAbsent(r, k -> new AtomicInteger()).incrementAndGet();
      out.add(r.task() * 1000 + r.row());
    }
    return out;
  }

  private static List<Row> rows(int task, int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(new Row(task, i));
    }
    return rows;
  }

  @Test
  void everyRowComesBackToItsOwnTaskExactlyOnce() throws Exception {
    int tasks = 6;
    int rowsPerTask = 120;
    DeviceBatchQueue<Row, Integer> q = queue(8, r -> "same", this::model);
    ExecutorService pool = Executors.newFixedThreadPool(tasks);
    List<Future<List<Integer>>> results = new ArrayList<>();
    for (int t = 0; t < tasks; t++) {
      int task = t;
      // each task submits its partition in chunks, as a partition function does
      results.add(pool.submit(() -> {
        List<Integer> out = new ArrayList<>();
        List<Row> mine = rows(task, rowsPerTask);
        for (int from = 0; from < rowsPerTask; from += 7) {
          out.addAll(q.runAll(mine.subList(from, Math.min(rowsPerTask, from + 7))));
        }
        return out;
      }));
    }

    for (int t = 0; t < tasks; t++) {
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < rowsPerTask; i++) {
        expected.add(t * 1000 + i);
      }
      assertEquals(expected, results.get(t).get(30, TimeUnit.SECONDS), "rows of task " + t);
    }
    pool.shutdown();
    assertEquals(tasks * rowsPerTask, runs.size());
    assertTrue(runs.values().stream().allMatch(n -> n.get() == 1), "a row ran twice");
    assertTrue(batches.stream().allMatch(b -> b.size() <= 8));
    assertTrue(batches.stream().anyMatch(b -> b.stream().map(Row::task).distinct().count() > 1),
        "no batch mixed the rows of several tasks");
  }

  @Test
  void rowsWaitingTogetherAreRunInFullBatches() throws Exception {
    CountDownLatch allSubmitted = new CountDownLatch(1);
    DeviceBatchQueue<Row, Integer> q = gatedQueue(8, allSubmitted);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<List<CompletableFuture<Integer>>>> submitted = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int task = t;
      submitted.add(pool.submit(() -> rows(task, 25).stream().map(q::submit).toList()));
    }
    List<CompletableFuture<Integer>> futures = new ArrayList<>();
    for (Future<List<CompletableFuture<Integer>>> s : submitted) {
      futures.addAll(s.get());
    }
    allSubmitted.countDown();
    for (CompletableFuture<Integer> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    // the first batch may have started before the others arrived; all later ones but the last are full
    List<Integer> sizes = batches.stream().map(List::size).toList();
    assertEquals(100, sizes.stream().mapToInt(Integer::intValue).sum());
    assertTrue(sizes.subList(1, sizes.size() - 1).stream().allMatch(n -> n == 8), "batch sizes " + sizes);
  }

  @Test
  void aBatchHoldsOnlyRowsWithTheSameKey() throws Exception {
    DeviceBatchQueue<Row, Integer> q = queue(5, r -> r.row() % 3, this::model);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<List<Integer>>> results = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      int task = t;
      results.add(pool.submit(() -> q.runAll(rows(task, 40))));
    }
    for (int t = 0; t < 3; t++) {
      assertEquals(40, results.get(t).get(30, TimeUnit.SECONDS).size());
    }
    pool.shutdown();

    assertEquals(120, runs.size());
    for (List<Row> batch : batches) {
      assertEquals(1, batch.stream().map(r -> r.row() % 3).distinct().count(), "mixed batch " + batch);
    }
  }

  @Test
  void aLonePartialBatchRunsAfterTheWait() throws Exception {
    DeviceBatchQueue<Row, Integer> q = queue(64, r -> "same", this::model);

    assertEquals(List.of(3001, 3002), q.runAll(List.of(new Row(3, 1), new Row(3, 2))));
    assertEquals(List.of(2), batches.stream().map(List::size).toList());
  }

  @Test
  void aFailedBatchFailsItsTasksAndTheQueueGoesOn() {
    DeviceBatchQueue<Row, Integer> q = queue(4, r -> "same", batch -> {
      if (batch.stream().anyMatch(r -> r.row() < 0)) {
        throw new IllegalStateException("CUDA error: out of memory");
      }
      return model(batch);
    });

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> q.runAll(List.of(new Row(1, 0), new Row(1, -1))));

    assertEquals("CUDA error: out of memory", e.getMessage());
    assertEquals(List.of(2005), q.runAll(List.of(new Row(2, 5))));
  }

  @Test
  void aBatchReturningTheWrongNumberOfResultsFailsItsRows() {
    DeviceBatchQueue<Row, Integer> q = queue(4, r -> "same", batch -> List.of());

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.runAll(List.of(new Row(1, 0))));

    assertEquals("a batch of 1 items returned 0 results", e.getMessage());
  }

  @Test
  void theRowsOfAKilledTaskAreWithdrawnAndNeverRun() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    DeviceBatchQueue<Row, Integer> q = gatedQueue(1, gate);
    CompletableFuture<Integer> first = q.submit(new Row(1, 0));
    AtomicInteger cancelled = new AtomicInteger();
    Thread killed = new Thread(() -> {
      try {
        q.runAll(List.of(new Row(2, 0), new Row(2, 1)));
      } catch (CancellationException e) {
        cancelled.incrementAndGet();
      }
    });
    killed.start();
    while (killed.getState() != Thread.State.WAITING) {
      Thread.sleep(5);
    }

    killed.interrupt(); // Spark interrupts the thread of a killed task
    killed.join(10_000);
    gate.countDown();

    assertEquals(1, cancelled.get());
    assertEquals(1000, first.get(10, TimeUnit.SECONDS));
    assertEquals(List.of(3000), q.runAll(List.of(new Row(3, 0))));
    assertEquals(List.of(List.of(new Row(1, 0)), List.of(new Row(3, 0))), batches);
  }

  @Test
  void aClosedQueueRefusesRows() {
    DeviceBatchQueue<Row, Integer> q = queue(4, r -> "same", this::model);
    q.close();

    assertThrows(IllegalStateException.class, () -> q.submit(new Row(1, 0)));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

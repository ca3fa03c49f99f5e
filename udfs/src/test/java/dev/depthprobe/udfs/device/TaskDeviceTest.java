package dev.depthprobe.udfs.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.udfs.ModelCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

class TaskDeviceTest {
  private final List<Integer> pinned = new ArrayList<>();

  private static Map<String, ResourceInformation> gpus(String... addresses) {
    return Map.of("gpu", new ResourceInformation("gpu", addresses));
  }

  @Test
  void aGpuTaskIsPinnedToTheAddressSparkGaveIt() {
    String label = TaskDevice.pin(Device.GPU, gpus("1"), pinned::add, () -> 0);

    assertEquals("gpu1", label);
    assertEquals(List.of(1), pinned);
  }

  @Test
  void aTaskGivenSeveralGpusUsesTheFirst() {
    assertEquals("gpu2", TaskDevice.pin(Device.GPU, gpus("2", "3"), pinned::add, () -> 0));
    assertEquals(List.of(2), pinned);
  }

  @Test
  void aGpuTaskWithoutAnAddressKeepsTheDeviceNd4jGaveItsThread() {
    String label = TaskDevice.pin(Device.GPU, Map.of(), pinned::add, () -> 3);

    assertEquals("gpu3", label);
    assertEquals(List.of(), pinned);
  }

  @Test
  void aCpuTaskIsNotPinned() {
    assertEquals("cpu", TaskDevice.pin(Device.CPU, gpus("0"), pinned::add, () -> 0));
    assertEquals(List.of(), pinned);
  }

  @Test
  void aCpuTaskOnNd4jReportsCpu() {
    assertEquals("cpu", TaskDevice.pin(Device.CPU, Map.of()));
  }

  @Test
  void anUnresolvedDeviceIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> TaskDevice.pin(Device.AUTO, Map.of(), pinned::add, () -> 0));
  }

  @Test
  void anAddressThatIsNotADeviceIndexIsReported() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TaskDevice.pin(Device.GPU, gpus("GPU-6e1c"), pinned::add, () -> 0));

    assertEquals("GPU address 'GPU-6e1c' is not a CUDA device index (the discovery script must print indices, "
        + "as conf/getGpusResources.sh does)", e.getMessage());
  }

  @Test
  void aWorkerThreadIsPinnedByItsLabel() {
    TaskDevice.pinThread("gpu3", pinned::add);
    TaskDevice.pinThread("cpu", pinned::add);

    assertEquals(List.of(3), pinned);
    assertThrows(IllegalArgumentException.class, () -> TaskDevice.pinThread("tpu0", pinned::add));
  }

  @Test
  void theModelCacheHoldsOneModelPerDevice() throws Exception {
    String model = "per-device-test-" + System.nanoTime();
    AtomicInteger built = new AtomicInteger();
    ExecutorService tasks = Executors.newFixedThreadPool(8);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      String device = "gpu" + (i % 2);
      results.add(tasks.submit(() -> {
        try (ModelCache.Lease<String> lease = ModelCache.acquire(TaskDevice.cacheKey(model, device), 1,
            () -> device + "-model-" + built.incrementAndGet())) {
          return lease.value();
        }
      }));
    }
    List<String> models = new ArrayList<>();
    for (Future<String> r : results) {
      models.add(r.get());
    }
    tasks.shutdown();

    assertEquals(2, built.get());
    assertEquals(2, models.stream().distinct().count());
    for (int i = 0; i < models.size(); i++) {
      assertEquals("gpu" + (i % 2), models.get(i).substring(0, 4));
    }
    assertTrue(ModelCache.keys().containsAll(List.of(model + "@gpu0", model + "@gpu1")));
  }
}

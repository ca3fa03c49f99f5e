package dev.depthprobe.udfs.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class DeviceChoiceTest {
  private static final DeviceEnvironment CPU_BUILD = new DeviceEnvironment(false, true, 0, "CUDA devices visible in local mode");
  private static final DeviceEnvironment GPU_BUILD_NO_GPU = new DeviceEnvironment(true, false, 0,
      "spark.executor.resource.gpu.amount");
  private static final DeviceEnvironment GPU_BUILD_ONE_GPU = new DeviceEnvironment(true, false, 1,
      "spark.executor.resource.gpu.amount");

  @Test
  void gpuWithoutTheCudaBackendFailsSayingSo() {
    DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
        () -> DeviceChoice.resolve(Device.GPU, CPU_BUILD));

    assertEquals("--device gpu: ND4J's CUDA backend is not on the classpath (build the jar with `mvn -P gpu package`)",
        e.getMessage());
  }

  @Test
  void gpuWithoutAVisibleDeviceFailsSayingSo() {
    DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
        () -> DeviceChoice.resolve(Device.GPU, GPU_BUILD_NO_GPU));

    assertEquals("--device gpu: no GPU is visible (spark.executor.resource.gpu.amount: 0)", e.getMessage());
  }

  @Test
  void gpuWithBackendAndDeviceRunsOnGpu() {
    assertEquals(Device.GPU, DeviceChoice.resolve(Device.GPU, GPU_BUILD_ONE_GPU));
  }

  @Test
  void autoChoosesGpuWhenBackendAndDeviceAreThere() {
    assertEquals(Device.GPU, DeviceChoice.resolve(Device.AUTO, new DeviceEnvironment(true, true, 2, "x")));
  }

  @Test
  void autoFallsBackToCpuWithoutGpus() {
    assertEquals(Device.CPU, DeviceChoice.resolve(Device.AUTO, CPU_BUILD));
    assertEquals(Device.CPU, DeviceChoice.resolve(Device.AUTO, new DeviceEnvironment(true, true, 0, "x")));
  }

  @Test
  void autoInTheGpuBuildWithoutAGpuFailsSinceThereIsNoCpuBackend() {
    DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
        () -> DeviceChoice.resolve(Device.AUTO, GPU_BUILD_NO_GPU));

    assertTrue(e.getMessage().startsWith("--device auto: no usable ND4J backend: CUDA is on the classpath but no GPU "
        + "is visible (spark.executor.resource.gpu.amount: 0)"), e.getMessage());
  }

  @Test
  void cpuInTheGpuBuildFailsSayingSo() {
    DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
        () -> DeviceChoice.resolve(Device.CPU, GPU_BUILD_ONE_GPU));

    assertTrue(e.getMessage().startsWith("--device cpu: ND4J's CPU backend is not on the classpath"), e.getMessage());
  }

  @Test
  void thisBuildHasTheCpuBackendOnly() {
    DeviceEnvironment env = DeviceEnvironment.detect(new SparkConf(false).setMaster("local[2]"));

    assertTrue(env.cpuBackend());
    assertFalse(env.cudaBackend());
    assertEquals(0, env.gpus());
  }

  @Test
  void onAClusterTheGpusAreThoseSparkGivesEachExecutor() {
    SparkConf conf = new SparkConf(false).setMaster("spark://head:7077").set("spark.executor.resource.gpu.amount", "2");

    DeviceEnvironment env = DeviceEnvironment.detect(conf);

    assertEquals(2, env.gpus());
    assertEquals("spark.executor.resource.gpu.amount", env.gpuSource());
    assertEquals(0, DeviceEnvironment.detect(new SparkConf(false).setMaster("yarn")).gpus());
  }

  @Test
  void localClusterModeHasExecutorsAndSoUsesTheExecutorAmount() {
    assertTrue(DeviceEnvironment.isLocal("local"));
    assertTrue(DeviceEnvironment.isLocal("local[*]"));
    assertTrue(DeviceEnvironment.isLocal("local[4,2]"));
    assertFalse(DeviceEnvironment.isLocal("local-cluster[2,1,1024]"));
  }

  @Test
  void aGpuAmountThatIsNotANumberIsReported() {
    SparkConf conf = new SparkConf(false).setMaster("yarn").set("spark.executor.resource.gpu.amount", "one");

    DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class, () -> DeviceEnvironment.detect(conf));

    assertEquals("spark.executor.resource.gpu.amount is 'one', not a number", e.getMessage());
  }
}

package dev.depthprobe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.depthprobe.udfs.device.Device;
import dev.depthprobe.udfs.device.DeviceChoice;
import dev.depthprobe.udfs.device.DeviceEnvironment;
import dev.depthprobe.udfs.device.TaskDevice;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.SparkConf;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf/spark-gpu.conf, conf/spark-cpu.conf and the GPU discovery script, read as Spark reads them. */
class GpuClusterConfigTest {
  private static final Path CONF = Path.of("../conf");

  @TempDir
  Path tmp;

  private static Properties properties(String file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(CONF.resolve(file), StandardCharsets.UTF_8)) {
      p.load(in);
    }
    return p;
  }

  @Test
  void gpuExecutorsShareEachGpuAmongAsManyTasksAsTheyRun() throws IOException {
    Properties gpu = properties("spark-gpu.conf");

    double executorGpus = Double.parseDouble(gpu.getProperty("spark.executor.resource.gpu.amount"));
    double taskGpus = Double.parseDouble(gpu.getProperty("spark.task.resource.gpu.amount"));
    int tasksByCores = Integer.parseInt(gpu.getProperty("spark.executor.cores"))
        / Integer.parseInt(gpu.getProperty("spark.task.cpus"));
    assertEquals(1.0, executorGpus);
    assertTrue(taskGpus < 1, "tasks share a GPU");
    assertEquals(tasksByCores, (int) Math.round(executorGpus / taskGpus), "GPU slots and CPU slots agree");
    assertTrue(gpu.getProperty("spark.executor.resource.gpu.discoveryScript").endsWith("getGpusResources.sh"));
  }

  @Test
  void rapidsIsAPluginAndLeavesGpuMemoryForNd4j() throws IOException {
    Properties gpu = properties("spark-gpu.conf");

    assertEquals("com.nvidia.spark.SQLPlugin", gpu.getProperty("spark.plugins"));
    assertTrue(Integer.parseInt(gpu.getProperty("spark.rapids.sql.concurrentGpuTasks")) >= 1);
    double alloc = Double.parseDouble(gpu.getProperty("spark.rapids.memory.gpu.allocFraction"));
    double max = Double.parseDouble(gpu.getProperty("spark.rapids.memory.gpu.maxAllocFraction"));
    assertTrue(alloc <= max && max <= 0.5, "RAPIDS takes at most half the GPU: " + alloc + ", " + max);
    assertFalse(gpu.stringPropertyNames().stream().anyMatch(k -> gpu.getProperty(k).contains("rapids-4-spark")),
        "the RAPIDS jar is passed with --jars, not named in the properties file");
  }

  @Test
  void theGpuConfigurationMakesAutoChooseTheGpuInTheGpuBuild() throws IOException {
    SparkConf conf = new SparkConf(false).setMaster("yarn");
    properties("spark-gpu.conf").forEach((k, v) -> conf.set(k.toString(), v.toString()));
    DeviceEnvironment cluster = DeviceEnvironment.detect(conf);
    DeviceEnvironment gpuBuild = new DeviceEnvironment(true, false, cluster.gpus(), cluster.gpuSource());

    assertEquals(1, cluster.gpus());
    assertEquals(Device.GPU, DeviceChoice.resolve(Device.AUTO, gpuBuild));
    assertEquals(Device.CPU, DeviceChoice.resolve(Device.AUTO, cluster), "this (CPU) build runs on CPU");
  }

  @Test
  void cpuExecutorsGiveOpenMpTheirCoresAndNd4jItsOffHeapMemory() throws IOException {
    Properties cpu = properties("spark-cpu.conf");

    assertEquals(cpu.getProperty("spark.executor.cores"), cpu.getProperty("spark.executorEnv.OMP_NUM_THREADS"));
    assertTrue(cpu.getProperty("spark.executor.memoryOverhead").endsWith("g"));
    String javaOptions = cpu.getProperty("spark.executor.extraJavaOptions");
    assertTrue(javaOptions.contains("-Dorg.bytedeco.javacpp.maxphysicalbytes="), javaOptions);
    assertTrue(javaOptions.contains("-Dorg.bytedeco.javacpp.cachedir="), javaOptions);
    assertFalse(cpu.containsKey("spark.plugins"));
  }

  @Test
  void theDiscoveryScriptReportsNvidiaSmiIndicesThatTasksArePinnedTo() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path fakeSmi = bin.resolve("nvidia-smi");
    Files.writeString(fakeSmi, "#!/bin/bash\n[ \"$*\" = \"--query-gpu=index --format=csv,noheader\" ] || exit 9\n"
        + "printf '0\\n1\\n'\n");
    Files.setPosixFilePermissions(fakeSmi, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", CONF.resolve("getGpusResources.sh").toString());
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    Process process = pb.redirectErrorStream(true).start();
    String json = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, process.waitFor(), json);

    ResourceInformation gpus = ResourceInformation.parseJson(json);

    assertEquals("gpu", gpus.name());
    assertEquals(List.of("0", "1"), List.of(gpus.addresses()));
    // a task given these addresses is pinned to the first (ND4J's CPU backend ignores the pin)
    assertEquals("gpu0", TaskDevice.pin(Device.GPU, Map.of("gpu", gpus)));
  }
}

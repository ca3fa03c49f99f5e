package dev.depthprobe.udfs.device;

import org.apache.spark.SparkConf;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a job can run on, as seen from the driver: which ND4J backends are on the classpath and how
 * many GPUs the model will see. In local mode the driver is the executor, so that is the devices
 * CUDA reports here; on a cluster it is {@code spark.executor.resource.gpu.amount} (the driver
 * itself often has no GPU, e.g. an Airflow worker submitting in client mode).
 *
 * @param cudaBackend ND4J's CUDA backend ({@code nd4j-cuda-11.6}, the {@code gpu} build) is on the classpath
 * @param cpuBackend ND4J's native CPU backend ({@code nd4j-native}, the default build) is on the classpath
 * @param gpus GPUs per executor (local mode: visible CUDA devices)
 * @param gpuSource where {@code gpus} came from, for messages
 */
public record DeviceEnvironment(boolean cudaBackend, boolean cpuBackend, int gpus, String gpuSource) {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceEnvironment.class);
  static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";
  static final String CPU_BACKEND_CLASS = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";
  static final String EXECUTOR_GPUS = "spark.executor.resource.gpu.amount";

  /**
   * Looks at the classpath and at {@code conf} (the settings the session will be built with). Only
   * in local mode with the CUDA backend present does it start ND4J, to count the devices.
   */
  public static DeviceEnvironment detect(SparkConf conf) {
    boolean cuda = onClasspath(CUDA_BACKEND_CLASS);
    boolean cpu = onClasspath(CPU_BACKEND_CLASS);
    String master = conf.get("spark.master", "local[*]");
    if (isLocal(master)) {
      return new DeviceEnvironment(cuda, cpu, cuda ? localCudaDevices() : 0, "CUDA devices visible in local mode");
    }
    return new DeviceEnvironment(cuda, cpu, (int) Math.floor(executorGpus(conf)), EXECUTOR_GPUS);
  }

  /** {@code local} and {@code local[N]} run tasks in this JVM; {@code local-cluster} has executors. */
  static boolean isLocal(String master) {
    return master.equals("local") || master.startsWith("local[");
  }

  private static double executorGpus(SparkConf conf) {
    String amount = conf.get(EXECUTOR_GPUS, "0").trim();
    try {
      return Double.parseDouble(amount);
    } catch (NumberFormatException e) {
      throw new DeviceUnavailableException(EXECUTOR_GPUS + " is '" + amount + "', not a number");
    }
  }

  private static boolean onClasspath(String className) {
    try {
      Class.forName(className, false, DeviceEnvironment.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** CUDA devices ND4J sees; 0 when its CUDA backend cannot start (no driver, no device). */
  private static int localCudaDevices() {
    try {
      if (!Nd4j.getBackend().getClass().getName().equals(CUDA_BACKEND_CLASS)) {
        return 0;
      }
      return Nd4j.getAffinityManager().getNumberOfDevices();
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("ND4J's CUDA backend did not start", e);
      return 0;
    }
  }
}

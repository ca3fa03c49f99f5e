package dev.depthprobe.udfs.device;

import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.SparkEnv;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs, once per executor JVM, the backend and device chosen and ND4J's environment. */
final class Nd4jEnvironmentLog {
  private static final Logger LOG = LoggerFactory.getLogger(Nd4jEnvironmentLog.class);
  private static final AtomicBoolean LOGGED = new AtomicBoolean();

  private Nd4jEnvironmentLog() {}

  static void logOnce(String deviceLabel) {
    if (LOGGED.compareAndSet(false, true)) {
      LOG.info("ND4J on executor {}: device {}, {}", executorId(), deviceLabel, describe());
    }
  }

  /**
   * Backend, BLAS, threads and memory limits: ND4J's environment information (CUDA adds its devices
   * and their memory) plus JavaCPP's off-heap limits, which bound ND4J's host memory.
   */
  static String describe() {
    Environment env = Nd4j.getEnvironment();
    Properties info = Nd4j.getExecutioner().getEnvironmentInformation();
    TreeMap<String, Object> sorted = new TreeMap<>();
    info.forEach((k, v) -> sorted.put(k.toString(), v));
    sorted.remove("memoryBandwidth");
    return "backend " + Nd4j.getBackend().getClass().getSimpleName()
        + ", maxThreads " + env.maxThreads() + ", maxMasterThreads " + env.maxMasterThreads()
        + ", javacpp.maxbytes " + Pointer.maxBytes() + ", javacpp.maxphysicalbytes " + Pointer.maxPhysicalBytes()
        + ", jvm.maxheap " + Runtime.getRuntime().maxMemory()
        + ", " + sorted;
  }

  private static String executorId() {
    SparkEnv sparkEnv = SparkEnv.get();
    return sparkEnv == null ? "(no Spark)" : sparkEnv.executorId();
  }
}

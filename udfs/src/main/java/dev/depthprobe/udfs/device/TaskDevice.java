package dev.depthprobe.udfs.device;

import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Executor side: puts the current task thread on its device before the model is used. With Spark's
 * GPU scheduling each task gets GPU addresses ({@code TaskContext.get().resourcesJMap()}); ND4J's CUDA
 * backend binds arrays to the device of the thread that creates them, so the thread is pinned first
 * and the model is cached per device ({@link #cacheKey}).
 */
public final class TaskDevice {
  /** Spark's resource name for GPUs (the discovery script reports it). */
  public static final String GPU_RESOURCE = "gpu";
  private static final String GPU_LABEL = "gpu";
  private static final String CPU_LABEL = "cpu";

  private TaskDevice() {}

  /**
   * Pins the calling thread to the task's GPU ({@code device} GPU) or does nothing (CPU), logs the
   * ND4J environment once per executor, and returns the device label: {@code cpu} or {@code gpuN}.
   * Without a GPU address (local mode: Spark assigns none) the thread keeps the device ND4J gave it.
   */
  public static String pin(Device device, Map<String, ResourceInformation> taskResources) {
    String label = pin(device, taskResources, id -> Nd4j.getAffinityManager().unsafeSetDevice(id),
        () -> Nd4j.getAffinityManager().getDeviceForCurrentThread());
    Nd4jEnvironmentLog.logOnce(label);
    return label;
  }

  static String pin(Device device, Map<String, ResourceInformation> taskResources, IntConsumer setDevice,
      IntSupplier currentDevice) {
    switch (device) {
      case CPU:
        return CPU_LABEL;
      case GPU:
        ResourceInformation gpus = taskResources.get(GPU_RESOURCE);
        if (gpus == null || gpus.addresses().length == 0) {
          return GPU_LABEL + currentDevice.getAsInt();
        }
        int id = deviceIndex(gpus.addresses()[0]);
        setDevice.accept(id);
        return GPU_LABEL + id;
      default:
        throw new IllegalArgumentException("resolve --device " + device.optionValue() + " on the driver first");
    }
  }

  /** Pins the calling thread (e.g. a batch queue's worker) to the device {@link #pin} labelled. */
  public static void pinThread(String label) {
    pinThread(label, id -> Nd4j.getAffinityManager().unsafeSetDevice(id));
  }

  static void pinThread(String label, IntConsumer setDevice) {
    if (label.startsWith(GPU_LABEL)) {
      setDevice.accept(deviceIndex(label.substring(GPU_LABEL.length())));
    } else if (!label.equals(CPU_LABEL)) {
      throw new IllegalArgumentException("not a device label: '" + label + "'");
    }
  }

  /** The executor model cache's key for {@code modelKey} on one device: one model per device. */
  public static String cacheKey(String modelKey, String deviceLabel) {
    return modelKey + "@" + deviceLabel;
  }

  private static int deviceIndex(String address) {
    try {
      return Integer.parseInt(address.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException("GPU address '" + address + "' is not a CUDA device index "
          + "(the discovery script must print indices, as conf/getGpusResources.sh does)");
    }
  }
}

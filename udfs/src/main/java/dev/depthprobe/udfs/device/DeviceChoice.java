package dev.depthprobe.udfs.device;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver side: turns {@code --device} into CPU or GPU before any work starts, failing with one line
 * when the request cannot be met. NOT meant to be serialised: executors get the resolved enum.
 */
public final class DeviceChoice {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceChoice.class);
  private static final String GPU_BUILD = "build the jar with `mvn -P gpu package`";
  private static final String CPU_BUILD = "this is the gpu build, whose only ND4J backend is CUDA; use the default (CPU) jar";

  private DeviceChoice() {}

  /** CPU or GPU for {@code requested}; throws {@link DeviceUnavailableException} saying what is missing. */
  public static Device resolve(Device requested, DeviceEnvironment env) {
    Device chosen = switch (requested) {
      case CPU -> requireCpu(env);
      case GPU -> requireGpu(env);
      case AUTO -> auto(env);
    };
    LOG.info("Device {}: running on {} (ND4J backends on the classpath: {}; {}: {})", requested.optionValue(),
        chosen.optionValue(), backends(env), env.gpuSource(), env.gpus());
    return chosen;
  }

  private static Device requireCpu(DeviceEnvironment env) {
    if (!env.cpuBackend()) {
      throw new DeviceUnavailableException("--device cpu: ND4J's CPU backend is not on the classpath (" + CPU_BUILD + ")");
    }
    return Device.CPU;
  }

  private static Device requireGpu(DeviceEnvironment env) {
    if (!env.cudaBackend()) {
      throw new DeviceUnavailableException("--device gpu: ND4J's CUDA backend is not on the classpath (" + GPU_BUILD + ")");
    }
    if (env.gpus() < 1) {
      throw new DeviceUnavailableException("--device gpu: no GPU is visible (" + env.gpuSource() + ": " + env.gpus() + ")");
    }
    return Device.GPU;
  }

  private static Device auto(DeviceEnvironment env) {
    if (env.cudaBackend() && env.gpus() >= 1) {
      return Device.GPU;
    }
    if (env.cpuBackend()) {
      return Device.CPU;
    }
    throw new DeviceUnavailableException("--device auto: no usable ND4J backend: " + (env.cudaBackend()
        ? "CUDA is on the classpath but no GPU is visible (" + env.gpuSource() + ": " + env.gpus() + ") and "
            + CPU_BUILD
        : "neither the CPU nor the CUDA backend is on the classpath"));
  }

  private static String backends(DeviceEnvironment env) {
    if (env.cudaBackend() && env.cpuBackend()) {
      return "cuda, cpu";
    }
    return env.cudaBackend() ? "cuda" : env.cpuBackend() ? "cpu" : "none";
  }
}

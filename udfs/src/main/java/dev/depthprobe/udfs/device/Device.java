package dev.depthprobe.udfs.device;

import java.util.Locale;

/** Where the model runs: {@code --device auto|cpu|gpu}. Executors only ever see CPU or GPU. */
public enum Device {
  /** GPU when the CUDA backend is on the classpath and devices are visible, else CPU. */
  AUTO,
  CPU,
  GPU;

  /** The spelling of the command line: {@code auto}, {@code cpu}, {@code gpu}. */
  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}

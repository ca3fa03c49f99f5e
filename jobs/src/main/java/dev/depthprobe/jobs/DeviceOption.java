package dev.depthprobe.jobs;

import dev.depthprobe.udfs.device.Device;
import dev.depthprobe.udfs.device.DeviceChoice;
import dev.depthprobe.udfs.device.DeviceEnvironment;
import dev.depthprobe.udfs.device.DeviceUnavailableException;
import java.util.Map;
import org.apache.spark.SparkConf;
import picocli.CommandLine.Option;

/**
 * {@code --device} (a picocli mixin): where the commands that run a model run it; the probe and evaluate-depth,
 * which run no model, take it too, so that one setting can serve every command, and refuse {@code gpu}.
 */
public final class DeviceOption {
  @Option(names = "--device", paramLabel = "auto|cpu|gpu", defaultValue = "auto")
  public Device device = Device.AUTO;

  /**
   * {@code --device} as CPU or GPU, checked against the classpath and the Spark settings the session
   * will get: {@code spark.*} system properties (spark-submit's {@code --conf} and
   * {@code --properties-file}) overridden by {@code sparkSettings} ({@code -C}). A request that cannot be
   * met is a one-line {@link UserException}.
   */
  /**
   * For a command that runs no model ({@code what} says what it runs instead): {@code auto} and {@code cpu} are
   * fine, {@code gpu} is a one-line {@link UserException}.
   */
  public void requireNoGpu(String command, String what) {
    if (device == Device.GPU) {
      throw new UserException("--device gpu: " + command + " runs no model (" + what + "); use --device auto or cpu");
    }
  }

  public Device resolve(Map<String, String> sparkSettings) {
    SparkConf conf = new SparkConf();
    sparkSettings.forEach(conf::set);
    try {
      return DeviceChoice.resolve(device, DeviceEnvironment.detect(conf));
    } catch (DeviceUnavailableException e) {
      throw new UserException(e.getMessage());
    }
  }
}

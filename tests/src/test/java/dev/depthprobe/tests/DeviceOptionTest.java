package dev.depthprobe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.jobs.CommonOptions;
import dev.depthprobe.jobs.ExitCodes;
import dev.depthprobe.jobs.Main;
import dev.depthprobe.jobs.UserException;
import dev.depthprobe.udfs.device.Device;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code --device} and {@code --model-distribution} on the command line, in this (CPU) build. */
class DeviceOptionTest {

  @Test
  void everyCommandTakesDeviceAndModelDistributionDefaultingToAuto() {
    CommandLine cli = new CommandLine(new Main());

    assertTrue(cli.getSubcommands().keySet().containsAll(List.of("depth", "features", "probe")));
    cli.getSubcommands().forEach((name, sub) -> {
      OptionSpec device = sub.getCommandSpec().findOption("--device");
      OptionSpec distribution = sub.getCommandSpec().findOption("--model-distribution");
      assertTrue(device != null && distribution != null, name + " lacks an option");
      assertEquals("auto", device.defaultValue(), name);
      assertEquals("auto", distribution.defaultValue(), name);
    });
  }

  @Test
  void gpuInTheCpuBuildFailsAtStartInOneLineSayingTheCudaBackendIsMissing() {
    String expected = "depthprobe: --device gpu: ND4J's CUDA backend is not on the classpath (build the jar with "
        + "`mvn -P gpu package`)";
    for (String[] command : List.of(new String[] {"depth", "--device", "gpu", "--dry-run"},
        new String[] {"features", "--input", "in", "--output", "out", "--layers", "1", "--device", "gpu", "--dry-run"})) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();

      int code = runCapturingErr(err, command);

      assertEquals(ExitCodes.USAGE, code, command[0]);
      assertEquals(expected, err.toString(StandardCharsets.UTF_8).strip(), command[0]);
    }
  }

  @Test
  void resolvingGpuInTheCpuBuildIsAUserError() {
    CommonOptions options = new CommonOptions();
    options.device = Device.GPU;

    assertThrows(UserException.class, () -> options.resolveDevice(Map.of()));
  }

  @Test
  void autoAndCpuRunOnTheCpuEvenWhereSparkWouldGiveGpus() {
    CommonOptions options = new CommonOptions();
    Map<String, String> gpuCluster = Map.of("spark.master", "yarn", "spark.executor.resource.gpu.amount", "1");

    assertEquals(Device.CPU, options.resolveDevice(gpuCluster));
    options.device = Device.CPU;
    assertEquals(Device.CPU, options.resolveDevice(Map.of()));
  }

  @Test
  void anUnknownDeviceIsAUsageError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = runCapturingErr(err, "depth", "--device", "tpu");

    assertEquals(ExitCodes.USAGE, code);
    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(message.startsWith("depthprobe: Invalid value for option '--device': expected one of [AUTO, CPU, GPU]"),
        message);
  }

  private static int runCapturingErr(ByteArrayOutputStream err, String... args) {
    PrintStream original = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new Main().run(args);
    } finally {
      System.setErr(original);
    }
  }
}

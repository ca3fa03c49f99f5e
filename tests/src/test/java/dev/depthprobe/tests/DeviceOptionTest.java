package dev.depthprobe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.jobs.DeviceOption;
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
  void everyCommandTakesDeviceAndTheSparkOnesThatRunAModelModelDistributionBothDefaultingToAuto() {
    CommandLine cli = new CommandLine(new Main());
    Map<String, List<String>> expected = Map.of(
        "depth", List.of("--device", "--model-distribution"),
        "features", List.of("--device", "--model-distribution"),
        "predict-depth", List.of("--device"),
        "predict-features", List.of("--device"),
        "probe", List.of("--device"),
        "evaluate-depth", List.of("--device"),
        "bench", List.of("--device"));

    expected.forEach((name, options) -> {
      for (String option : List.of("--device", "--model-distribution")) {
        OptionSpec spec = cli.getSubcommands().get(name).getCommandSpec().findOption(option);
        assertEquals(options.contains(option), spec != null, name + " " + option);
        if (spec != null) {
          assertEquals("auto", spec.defaultValue(), name + " " + option);
        }
      }
    });
  }

  @Test
  void commandsThatRunNoModelRefuseGpuInOneLineAndModelDistributionAsUnknown() {
    ByteArrayOutputStream probeErr = new ByteArrayOutputStream();
    ByteArrayOutputStream evaluateErr = new ByteArrayOutputStream();

    int probe = runCapturingErr(probeErr, "probe", "--train", "t", "--test-fraction", "0.2", "--output", "o",
        "--device", "gpu");
    int evaluate = runCapturingErr(evaluateErr, "evaluate-depth", "--predictions", "p", "--ground-truth", "g",
        "--output", "o", "--model-distribution", "path");

    assertEquals(ExitCodes.USAGE, probe);
    assertEquals("depthprobe: --device gpu: probe runs no model (MLlib's logistic regression on the executors' "
        + "CPUs); use --device auto or cpu", probeErr.toString(StandardCharsets.UTF_8).strip());
    assertEquals(ExitCodes.USAGE, evaluate);
    assertTrue(evaluateErr.toString(StandardCharsets.UTF_8).startsWith("depthprobe: Unknown option"),
        evaluateErr.toString(StandardCharsets.UTF_8));
  }

  @Test
  void gpuInTheCpuBuildFailsAtStartInOneLineSayingTheCudaBackendIsMissing() {
    String expected = "depthprobe: --device gpu: ND4J's CUDA backend is not on the classpath (build the jar with "
        + "`mvn -P gpu package`)";
    for (String[] command : List.of(new String[] {"depth", "--device", "gpu", "--dry-run"},
        new String[] {"features", "--input", "in", "--output", "out", "--layers", "1", "--device", "gpu", "--dry-run"},
        new String[] {"predict-depth", "--model", "m", "--image", "i.png", "--out", "o.npy", "--device", "gpu"},
        new String[] {"predict-features", "--model", "m", "--image", "i.png", "--out", "o.npy", "--layers", "1",
            "--device", "gpu"},
        new String[] {"bench", "glpn", "--quick", "--device", "gpu"})) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();

      int code = runCapturingErr(err, command);

      assertEquals(ExitCodes.USAGE, code, command[0]);
      assertEquals(expected, err.toString(StandardCharsets.UTF_8).strip(), command[0]);
    }
  }

  @Test
  void resolvingGpuInTheCpuBuildIsAUserError() {
    DeviceOption option = new DeviceOption();
    option.device = Device.GPU;

    assertThrows(UserException.class, () -> option.resolve(Map.of()));
  }

  @Test
  void autoAndCpuRunOnTheCpuEvenWhereSparkWouldGiveGpus() {
    DeviceOption option = new DeviceOption();
    Map<String, String> gpuCluster = Map.of("spark.master", "yarn", "spark.executor.resource.gpu.amount", "1");

    assertEquals(Device.CPU, option.resolve(gpuCluster));
    option.device = Device.CPU;
    assertEquals(Device.CPU, option.resolve(Map.of()));
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

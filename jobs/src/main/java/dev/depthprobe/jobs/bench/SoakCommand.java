package dev.depthprobe.jobs.bench;

import dev.depthprobe.jobs.DepthCommand;
import dev.depthprobe.jobs.ExitCodes;
import dev.depthprobe.jobs.UserException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code depthprobe bench soak}: issue 11's soak benchmark ({@link SoakBench}). */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Synthetic JPEGs and PNGs (most between 32x32 and 1024x768, one in a hundred up to 4000x3000, drawn from "
            + "--seed) with the bundled corrupt files, through the depth job on " + SoakBench.MASTER + " in a JVM of "
            + "its own with -Xmx" + SoakBench.HEAP + ": first with the bundled tiny GLPN, then with a random GLPN-b4 "
            + "(glpn-kitti widths) over fewer images.",
        "Prints rows in and out, rows by status and error kind, the job JVM's peak RSS and images/s per phase.",
        "Any other option is passed to the depth job, e.g. --max-image-pixels N or -Cspark.sql.shuffle.partitions=4.",
        "Exit codes: 0 every phase holds (exit code 0, exactly one row per input), 1 one does not, 2 bad arguments."})
public final class SoakCommand implements Callable<Integer> {
  /** Depth options the soak sets itself. */
  private static final Set<String> OWN_DEPTH_OPTIONS = Set.of("--input", "--model", "--output", "--run-id",
      "--input-format", "--dry-run");

  @Spec
  CommandSpec spec;

  @Option(names = "--images", paramLabel = "N", defaultValue = "" + SoakBench.IMAGES)
  int images;

  @Option(names = "--b4-images", paramLabel = "N", defaultValue = "" + SoakBench.B4_IMAGES)
  int b4Images;

  @Option(names = "--skip-b4")
  boolean skipB4;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "" + SoakBench.SEED)
  long seed;

  @Option(names = "--work-dir", paramLabel = "DIR")
  Path workDir;

  @Option(names = "--keep")
  boolean keep;

  @Option(names = "--timeout-minutes", paramLabel = "M", defaultValue = "180")
  long timeoutMinutes;

  @Unmatched
  List<String> depthOptions = new ArrayList<>();

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (images < 1 || b4Images < 1 || timeoutMinutes < 1) {
      throw new UserException("need --images, --b4-images and --timeout-minutes >= 1");
    }
    checkDepthOptions(depthOptions);
    if (workDir != null && !isNewOrEmpty(workDir)) {
      throw new UserException("--work-dir " + workDir + ": not an empty folder");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("depthprobe bench soak --images %d%s, %s, %s%n", images,
        skipB4 ? " --skip-b4" : " --b4-images " + b4Images, LocalDate.now(), Machine.describe());
    SoakBench.Options options = new SoakBench.Options(images, b4Images, seed, workDir, keep, skipB4,
        List.copyOf(depthOptions), Duration.ofMinutes(timeoutMinutes));
    return SoakBench.run(options, out) ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  /** The passed-through options must parse as the depth command's, and leave input, model and output to the soak. */
  static void checkDepthOptions(List<String> options) {
    for (String option : options) {
      if (OWN_DEPTH_OPTIONS.contains(option.split("=", 2)[0])) {
        throw new UserException("bench soak sets " + option.split("=", 2)[0] + " of the depth job itself");
      }
    }
    try {
      new CommandLine(new DepthCommand()).setCaseInsensitiveEnumValuesAllowed(true)
          .parseArgs(options.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new UserException("not an option of the depth job: " + e.getMessage());
    }
  }

  private static boolean isNewOrEmpty(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return true;
    }
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}

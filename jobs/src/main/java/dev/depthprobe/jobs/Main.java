package dev.depthprobe.jobs;

import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.errors.Messages;
import java.io.PrintWriter;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * The {@code depthprobe} command line on an embedded Spark (local mode unless {@code spark.master} is
 * set). {@link Submit} is the same CLI for {@code spark-submit}, where a session already exists.
 */
@Command(name = "depthprobe", mixinStandardHelpOptions = true, versionProvider = Version.class,
    resourceBundle = "dev.depthprobe.jobs.Help",
    subcommands = {ProbeCommand.class, EvaluateDepthCommand.class, PredictFeaturesCommand.class, FeaturesCommand.class,
        DepthCommand.class,
        PredictDepthCommand.class, BenchCommand.class, dev.depthprobe.jobs.report.ReportCommand.class})
public class Main {

  public static void main(String[] args) {
    exitOnFailure(new Main().run(args));
  }

  /** Returns normally on success (a System.exit(0) under YARN cluster mode reports a failure). */
  static void exitOnFailure(int code) {
    if (code != ExitCodes.OK) {
      System.exit(code);
    }
  }

  /** Parses and runs {@code args}, returning the exit code; never exits the JVM. */
  public int run(String... args) {
    return newCommandLine().execute(args);
  }

  CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(this);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(Main::onBadArguments);
    cl.setExecutionExceptionHandler(Main::onFailure);
    return cl;
  }

  /** The Spark session a command runs in; {@code conf} holds the command's {@code -C} settings. */
  protected SparkSession buildSparkSession(Map<String, String> conf) {
    SparkConf sparkConf = new SparkConf().setAppName("depthprobe");
    if (!sparkConf.contains("spark.master")) {
      sparkConf.setMaster("local[*]");
    }
    sparkConf.setIfMissing("spark.ui.enabled", "false");
    conf.forEach(sparkConf::set);
    return SparkSession.builder().config(sparkConf).getOrCreate();
  }

  /** Called when a command is done with its session; tests that share one session override it. */
  protected void releaseSparkSession(SparkSession session) {
    session.stop();
  }

  private static int onBadArguments(ParameterException e, String[] args) {
    PrintWriter err = e.getCommandLine().getErr();
    err.println("depthprobe: " + e.getMessage());
    err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
    return ExitCodes.USAGE;
  }

  private static int onFailure(Exception e, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    boolean stacktrace = parsed.hasMatchedOption("--stacktrace")
        || parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--stacktrace"));
    if (isUserError(e)) {
      err.println("depthprobe: " + Messages.oneLine(userError(e)));
      if (stacktrace) {
        e.printStackTrace(err);
      }
      return ExitCodes.USAGE;
    }
    err.println("depthprobe: job failed: " + Messages.oneLine(e));
    if (stacktrace) {
      e.printStackTrace(err);
    } else {
      err.println("(run with --stacktrace for details)");
    }
    return ExitCodes.FAILURE;
  }

  static boolean isUserError(Throwable e) {
    return userError(e) != null;
  }

  /**
   * The user's mistake behind {@code e}: {@code e} itself, or a {@link CheckpointException} an executor threw
   * while it read the weights from their path, which Spark reports as the cause of the job's failure.
   */
  private static Throwable userError(Throwable e) {
    if (e instanceof UserException) {
      return e;
    }
    int depth = 0;
    for (Throwable t = e; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof CheckpointException) {
        return t;
      }
    }
    return null;
  }
}

package dev.depthprobe.jobs;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that runs on Spark (template method): {@link #validate()} checks the arguments before a
 * session exists, then {@link #run(SparkSession, PrintWriter)} does the work and prints what it did; the
 * command then flushes its output and exits with {@link ExitCodes#OK}.
 */
public abstract class SparkCommand implements Callable<Integer> {
  @ParentCommand
  protected Main launcher;

  @Mixin
  protected CommonOptions common;

  @Option(names = "-C", paramLabel = "KEY=VALUE")
  protected Map<String, String> sparkConf = new LinkedHashMap<>();

  @Spec
  protected CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    validate();
    SparkSession spark = launcher.buildSparkSession(sparkConf);
    try {
      PrintWriter out = spec.commandLine().getOut();
      run(spark, out);
      out.flush();
      return ExitCodes.OK;
    } finally {
      launcher.releaseSparkSession(spark);
    }
  }

  /** Checks arguments and inputs before any Spark work; throws {@link UserException}. */
  protected abstract void validate();

  /** Runs the job and prints its outcome to {@code out}; a failure throws. */
  protected abstract void run(SparkSession spark, PrintWriter out) throws Exception;
}

package dev.depthprobe.jobs;

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
 * session exists, then {@link #run(SparkSession)} does the work.
 */
public abstract class SparkCommand implements Callable<Integer> {
  @ParentCommand
  protected Main launcher;

  @Mixin
  protected CommonOptions common;

  @Option(names = "-C", paramLabel = "KEY=VALUE",
      description = "Any Spark setting, e.g. -Cspark.sql.shuffle.partitions=8 (repeatable).")
  protected Map<String, String> sparkConf = new LinkedHashMap<>();

  @Spec
  protected CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    validate();
    SparkSession spark = launcher.buildSparkSession(sparkConf);
    try {
      return run(spark);
    } finally {
      launcher.releaseSparkSession(spark);
    }
  }

  /** Checks arguments and inputs before any Spark work; throws {@link UserException}. */
  protected abstract void validate();

  /** Runs the job and returns its exit code. */
  protected abstract int run(SparkSession spark) throws Exception;
}

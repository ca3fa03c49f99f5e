package dev.depthprobe.tests;

import dev.depthprobe.jobs.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** A local Spark session for one test class, and the depthprobe CLI run in-process on it. */
final class SparkCli implements AutoCloseable {
  /** One CLI run: its exit code and what it wrote to stdout and stderr (picocli writes there). */
  record Result(int code, String out, String err) {}

  private final SparkSession spark;

  private SparkCli(SparkSession spark) {
    this.spark = spark;
  }

  static SparkCli start(Class<?> testClass) {
    return start(testClass, "local[2]");
  }

  static SparkCli start(Class<?> testClass, String master) {
    return start(testClass, master, Map.of());
  }

  /** A session on {@code master} with these Spark settings added to the usual ones. */
  static SparkCli start(Class<?> testClass, String master, Map<String, String> conf) {
    SparkSession.Builder builder = SparkSession.builder().master(master).appName(testClass.getSimpleName())
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2");
    conf.forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return new SparkCli(spark);
  }

  SparkSession spark() {
    return spark;
  }

  /** Runs the CLI on this session with stdout and stderr captured; its {@code -C} settings apply to this run only. */
  synchronized Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = new SharedSessionMain().run(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  @Override
  public void close() {
    spark.stop();
  }

  /** Main on this session, which it must not stop. */
  private final class SharedSessionMain extends Main {
    private Map<String, String> applied = Map.of();

    @Override
    protected SparkSession buildSparkSession(Map<String, String> conf) {
      conf.forEach(spark.conf()::set);
      applied = Map.copyOf(conf);
      return spark;
    }

    @Override
    protected void releaseSparkSession(SparkSession session) {
      applied.keySet().forEach(spark.conf()::unset);
    }
  }
}

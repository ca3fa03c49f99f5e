package dev.depthprobe.jobs;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Entry point for {@code spark-submit}: the session (master, resources) comes from the launcher. */
public class Submit extends Main {

  public static void main(String[] args) {
    exitOnFailure(new Submit().run(args));
  }

  @Override
  protected SparkSession buildSparkSession(Map<String, String> conf) {
    SparkSession.Builder builder = SparkSession.builder();
    conf.forEach(builder::config);
    return builder.getOrCreate();
  }
}

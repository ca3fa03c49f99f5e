package dev.depthprobe.jobs;

import picocli.CommandLine.IVersionProvider;

/** The depthprobe version from the jar manifest, and the Spark version it runs on. */
public final class Version implements IVersionProvider {
  public static String depthprobe() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"depthprobe " + depthprobe() + " (Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ")"};
  }
}

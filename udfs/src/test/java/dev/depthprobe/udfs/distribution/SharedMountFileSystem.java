package dev.depthprobe.udfs.distribution;

import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local disk under the scheme {@code shared:}, standing in for HDFS or S3 in tests: a file system
 * that is not {@code file:}, so executors copy the checkpoint instead of opening it in place.
 */
public class SharedMountFileSystem extends RawLocalFileSystem {
  private static final URI ROOT = URI.create("shared:///");

  /** A Hadoop configuration that knows the {@code shared:} scheme. */
  public static Configuration configuration() {
    Configuration conf = new Configuration();
    conf.set("fs.shared.impl", SharedMountFileSystem.class.getName());
    conf.setBoolean("fs.shared.impl.disable.cache", true);
    return conf;
  }

  /** {@code shared:///abs/path} for a local path. */
  public static String uri(java.nio.file.Path local) {
    return "shared://" + local.toAbsolutePath().normalize();
  }

  @Override
  public URI getUri() {
    return ROOT;
  }

  @Override
  public String getScheme() {
    return "shared";
  }
}

package dev.depthprobe.tests;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local disk under the scheme {@code failing:}, standing in for storage that fails a task's write: once
 * armed, the next Parquet part file a task writes fails as the task closes it, after its rows were written.
 * Spark then fails that task attempt, as it would on a lost connection to HDFS or S3.
 */
public class FailingWriteFileSystem extends RawLocalFileSystem {
  private static final URI ROOT = URI.create("failing:///");
  private static final AtomicBoolean ARMED = new AtomicBoolean();

  /** The Spark settings of a session that knows the {@code failing:} scheme. */
  static Map<String, String> sparkConf() {
    return Map.of("spark.hadoop.fs.failing.impl", FailingWriteFileSystem.class.getName(),
        "spark.hadoop.fs.failing.impl.disable.cache", "true");
  }

  /** {@code failing:///abs/path} for a local path. */
  static String uri(Path local) {
    return "failing://" + local.toAbsolutePath().normalize();
  }

  /** The next part file written fails as it is closed; the ones after it are written as usual. */
  static void failNextPartFile() {
    ARMED.set(true);
  }

  /** Whether the armed failure is still to come. */
  static boolean armed() {
    return ARMED.get();
  }

  @Override
  public URI getUri() {
    return ROOT;
  }

  @Override
  public String getScheme() {
    return "failing";
  }

  @Override
  public FSDataOutputStream create(org.apache.hadoop.fs.Path file, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    return failingIfArmed(file, super.create(file, overwrite, bufferSize, replication, blockSize, progress));
  }

  @Override
  public FSDataOutputStream create(org.apache.hadoop.fs.Path file, FsPermission permission, boolean overwrite,
      int bufferSize, short replication, long blockSize, Progressable progress) throws IOException {
    return failingIfArmed(file,
        super.create(file, permission, overwrite, bufferSize, replication, blockSize, progress));
  }

  private FSDataOutputStream failingIfArmed(org.apache.hadoop.fs.Path file, FSDataOutputStream out)
      throws IOException {
    if (!file.getName().startsWith("part-") || !ARMED.compareAndSet(true, false)) {
      return out;
    }
    return new FSDataOutputStream(out, statistics) {
      private boolean closed;

      @Override
      public void close() throws IOException {
        super.close();
        if (!closed) {
          closed = true;
          throw new IOException("failing: the write of " + file.getName() + " failed as it was closed");
        }
      }
    };
  }
}

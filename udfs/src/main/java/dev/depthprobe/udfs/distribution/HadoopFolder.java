package dev.depthprobe.udfs.distribution;

import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.checkpoint.CheckpointFolder;
import dev.depthprobe.errors.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A checkpoint folder seen through Hadoop's {@link FileSystem} ({@code hdfs://}, {@code s3a://}, or
 * {@code file:} on a mount every node shares), for model-core's one resolver and content hash.
 *
 * @param path the folder, fully qualified ({@code scheme://authority/path})
 * @param shown how messages name this folder (the {@code --model} argument for the folder asked for)
 */
record HadoopFolder(FileSystem fs, Path path, String shown) implements CheckpointFolder {

  @Override
  public String name() {
    return path.getName();
  }

  @Override
  public CheckpointFolder parent() {
    Path parent = path.getParent();
    return parent == null ? null : new HadoopFolder(fs, parent, parent.toString());
  }

  @Override
  public CheckpointFolder folder(String relative) {
    Path child = new Path(path, relative);
    return new HadoopFolder(fs, child, child.toString());
  }

  @Override
  public boolean isFolder() {
    try {
      return fs.exists(path) && fs.getFileStatus(path).isDirectory();
    } catch (IOException e) {
      throw cannotRead(shown, e);
    }
  }

  @Override
  public boolean isFile(String name) {
    try {
      return fs.isFile(new Path(path, name));
    } catch (IOException e) {
      throw cannotRead(locate(name), e);
    }
  }

  @Override
  public InputStream open(String name) throws IOException {
    return fs.open(new Path(path, name));
  }

  /** The length of file {@code name}, in bytes. */
  long length(String name) {
    try {
      return fs.getFileStatus(new Path(path, name)).getLen();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String locate(String name) {
    return new Path(path, name).toString();
  }

  @Override
  public String toString() {
    return shown;
  }

  private static CheckpointException cannotRead(String where, IOException e) {
    return new CheckpointException(where + ": cannot read (" + Messages.oneLine(e) + ")", e);
  }
}

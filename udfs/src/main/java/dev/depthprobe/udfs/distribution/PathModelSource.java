package dev.depthprobe.udfs.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.checkpoint.CheckpointLocation;
import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.errors.Messages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A checkpoint each executor reads from a path all of them see, through Hadoop's file system: a
 * {@code file:} folder (a shared mount) is opened in place; any other file system's folder is copied
 * once per executor to its local work directory, then opened. Only the configs, the file list and
 * the Hadoop configuration (a broadcast) travel with the function.
 */
public final class PathModelSource extends CheckpointSource {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(PathModelSource.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** This executor's copies of checkpoints, by content hash: one copy per checkpoint and executor. */
  private static final ConcurrentMap<String, java.nio.file.Path> COPIES = new ConcurrentHashMap<>();

  private final String dir;
  private final String configJson;
  private final String preprocessorConfigJson;
  private final List<String> weightFiles;
  private final long[] weightLengths;
  private final Broadcast<SerializableConfiguration> hadoopConf;

  /** On the driver: hashes the weights through the file system (one read of the files). */
  PathModelSource(SharedCheckpoint checkpoint, String label, String key,
      Broadcast<SerializableConfiguration> hadoopConf) {
    super(key, label, checkpoint.weightBytes());
    this.dir = checkpoint.dir().toString();
    this.configJson = checkpoint.configJson();
    this.preprocessorConfigJson = checkpoint.preprocessorConfigJson();
    this.weightFiles = new ArrayList<>(checkpoint.weightFiles());
    this.weightLengths = checkpoint.weightLengths();
    this.hadoopConf = hadoopConf;
  }

  @Override
  public ModelDistribution distribution() {
    return ModelDistribution.PATH;
  }

  /** The checkpoint folder the executors read, fully qualified. */
  public String path() {
    return dir;
  }

  @Override
  public JsonNode config() {
    return parse(configJson);
  }

  @Override
  public JsonNode preprocessorConfig() {
    return parse(preprocessorConfigJson);
  }

  /**
   * The weights, from the folder this executor sees, checked to be the ones the driver hashed (hashed as they
   * are read): a checkpoint changed in place (same sizes or not) is refused rather than served under the old key.
   */
  @Override
  public StateDict weights() {
    return weights(hadoopConf.value().value());
  }

  StateDict weights(Configuration conf) {
    Checkpoint.HashedWeights hashed = Checkpoint.open(localDir(conf)).weightsAndContentHash();
    String seen = hashed.contentHash();
    if (!seen.equals(key())) {
      throw new CheckpointException(dir + ": changed since the driver read it (content hash " + seen.substring(0, 12)
          + " on executor " + executorId() + ", " + key().substring(0, 12) + " on the driver); run the job again");
    }
    return hashed.weights();
  }

  /** The folder on this machine to open: the shared mount itself, or this executor's copy. */
  java.nio.file.Path localDir(Configuration conf) {
    Path source = new Path(dir);
    try {
      FileSystem fs = source.getFileSystem(conf);
      if (!"file".equals(fs.getUri().getScheme())) {
        return COPIES.computeIfAbsent(key(), k -> copy(fs, source));
      }
      checkLengths(fs, source);
      return Paths.get(source.toUri());
    } catch (IOException e) {
      throw new CheckpointException(dir + ": cannot read on executor " + executorId() + " (" + Messages.oneLine(e)
          + "); with --model-distribution path every executor must see the checkpoint", e);
    }
  }

  /** Fails if this executor does not see the files the driver listed, or sees other sizes. */
  private void checkLengths(FileSystem fs, Path source) throws IOException {
    for (int i = 0; i < weightFiles.size(); i++) {
      Path file = new Path(source, weightFiles.get(i));
      if (!fs.isFile(file)) {
        throw new CheckpointException(file + ": not visible on executor " + executorId() + "; with "
            + "--model-distribution path every executor must see the checkpoint (HDFS, S3, or a mount on every node)");
      }
      long len = fs.getFileStatus(file).getLen();
      if (len != weightLengths[i]) {
        throw new CheckpointException(file + ": " + len + " bytes on executor " + executorId() + " but "
            + weightLengths[i] + " when the driver listed it; the checkpoint changed during the job");
      }
    }
  }

  /** Copies the configs and weight files into this executor's work directory, atomically. */
  private java.nio.file.Path copy(FileSystem fs, Path source) {
    long start = System.nanoTime();
    try {
      checkLengths(fs, source);
      java.nio.file.Path root = stagingRoot();
      java.nio.file.Path target = root.resolve("depthprobe-model-" + key());
      java.nio.file.Path staging = Files.createTempDirectory(root, "depthprobe-model-staging-");
      List<String> names = new ArrayList<>(List.of(CheckpointLocation.CONFIG, CheckpointLocation.PREPROCESSOR_CONFIG));
      names.addAll(weightFiles);
      for (String name : names) {
        fs.copyToLocalFile(false, new Path(source, name), new Path(staging.resolve(name).toUri()), true);
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      LOG.info("Copied checkpoint {} ({} MiB) from {} to {} in {} ms", label(),
          DistributionChoice.mib(Arrays.stream(weightLengths).sum()), dir, target,
          (System.nanoTime() - start) / 1_000_000);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy checkpoint " + dir + " to executor " + executorId(), e);
    }
  }

  /** The executor's work directory (removed with the application), or the temp folder outside Spark. */
  private static java.nio.file.Path stagingRoot() {
    String root = SparkEnv.get() == null ? System.getProperty("java.io.tmpdir") : SparkFiles.getRootDirectory();
    return Paths.get(root).toAbsolutePath();
  }

  private static String executorId() {
    return SparkEnv.get() == null ? "(no Spark)" : SparkEnv.get().executorId();
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("checkpoint JSON does not parse", e);
    }
  }
}

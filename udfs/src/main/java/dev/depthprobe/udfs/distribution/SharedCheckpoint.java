package dev.depthprobe.udfs.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.checkpoint.ShardName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A checkpoint folder seen through Hadoop's {@link FileSystem} ({@code hdfs://}, {@code s3a://}, or
 * {@code file:} on a mount every node shares). It reads the folder as model-core's {@code Checkpoint}
 * does: a plain folder, a {@code models--ORG--NAME} cache folder through {@code refs/main}, or one of
 * its snapshots; the same weight files in the same order; so name and content hash are the same.
 */
final class SharedCheckpoint {
  static final String CONFIG = "config.json";
  static final String PREPROCESSOR_CONFIG = "preprocessor_config.json";
  private static final List<String> WEIGHT_CANDIDATES = List.of("model.safetensors", "model.safetensors.index.json",
      "pytorch_model.bin", "pytorch_model.bin.index.json");
  private static final String CACHE_PREFIX = "models--";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FileSystem fs;
  private final Path dir;
  private final String displayName;
  private final String configJson;
  private final String preprocessorConfigJson;
  private final List<FileStatus> weightFiles;

  private SharedCheckpoint(FileSystem fs, Path dir, String displayName, String configJson,
      String preprocessorConfigJson, List<FileStatus> weightFiles) {
    this.fs = fs;
    this.dir = dir;
    this.displayName = displayName;
    this.configJson = configJson;
    this.preprocessorConfigJson = preprocessorConfigJson;
    this.weightFiles = weightFiles;
  }

  /** Finds the folder, reads both configs and lists the weight files; reads no weights. */
  static SharedCheckpoint open(String location, Configuration conf) {
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(conf);
      path = fs.makeQualified(path);
      if (!fs.exists(path) || !fs.getFileStatus(path).isDirectory()) {
        throw new CheckpointException(location + ": no such checkpoint folder");
      }
      String name = path.getName();
      Path dir = path;
      String displayName = name;
      Path repo = path.getParent() == null ? null : path.getParent().getParent();
      if (name.startsWith(CACHE_PREFIX)) {
        String rev = readText(fs, new Path(path, "refs/main")).trim();
        dir = new Path(path, "snapshots/" + rev);
        displayName = repoId(name) + "@" + rev;
      } else if (repo != null && path.getParent().getName().equals("snapshots")
          && repo.getName().startsWith(CACHE_PREFIX)) {
        displayName = repoId(repo.getName()) + "@" + name;
      }
      String config = readJsonObject(fs, new Path(dir, CONFIG));
      String preprocessorConfig = readJsonObject(fs, new Path(dir, PREPROCESSOR_CONFIG));
      return new SharedCheckpoint(fs, dir, displayName, config, preprocessorConfig, weightFiles(fs, dir));
    } catch (IOException e) {
      throw new CheckpointException(location + ": cannot read (" + firstLine(e) + ")", e);
    }
  }

  /** The folder holding the files, fully qualified ({@code scheme://authority/path}). */
  Path dir() {
    return dir;
  }

  String displayName() {
    return displayName;
  }

  String configJson() {
    return configJson;
  }

  String preprocessorConfigJson() {
    return preprocessorConfigJson;
  }

  /** The weight file, or the index followed by its shards in the order the index names them. */
  List<FileStatus> weightFiles() {
    return weightFiles;
  }

  long weightBytes() {
    return weightFiles.stream().mapToLong(FileStatus::getLen).sum();
  }

  /** Whether the folder is on this machine's file system, so no copy is needed to open it. */
  boolean isLocal() {
    return "file".equals(fs.getUri().getScheme());
  }

  /**
   * SHA-256 (hex) over {@code config.json}, {@code preprocessor_config.json} and the weight files, each
   * contributing its name, a zero byte and its contents: {@code Checkpoint.contentHash()}, streamed
   * through the file system.
   */
  String contentHash() {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    List<Path> files = new ArrayList<>(List.of(new Path(dir, CONFIG), new Path(dir, PREPROCESSOR_CONFIG)));
    weightFiles.forEach(f -> files.add(f.getPath()));
    byte[] buffer = new byte[1 << 20];
    for (Path file : files) {
      digest.update(file.getName().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      try (InputStream in = fs.open(file)) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          digest.update(buffer, 0, n);
        }
      } catch (IOException e) {
        throw new CheckpointException(file + ": cannot read (" + firstLine(e) + ")", e);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static List<FileStatus> weightFiles(FileSystem fs, Path dir) throws IOException {
    for (String name : WEIGHT_CANDIDATES) {
      Path file = new Path(dir, name);
      if (fs.isFile(file)) {
        List<FileStatus> files = new ArrayList<>(List.of(fs.getFileStatus(file)));
        if (name.endsWith(".index.json")) {
          for (String shard : shardNames(fs, file)) {
            Path shardFile = new Path(dir, shard);
            if (!fs.isFile(shardFile)) {
              throw new CheckpointException(file + ": shard '" + shard + "' named by the index is missing");
            }
            files.add(fs.getFileStatus(shardFile));
          }
        }
        return List.copyOf(files);
      }
    }
    throw new CheckpointException(dir + ": no weights in the checkpoint folder (looked for "
        + String.join(", ", WEIGHT_CANDIDATES) + ")");
  }

  /** The shard files of {@code weight_map}, in the order it first names them. */
  private static Set<String> shardNames(FileSystem fs, Path index) throws IOException {
    JsonNode map = JSON.readTree(readJsonObject(fs, index)).path("weight_map");
    if (!map.isObject() || map.isEmpty()) {
      throw new CheckpointException(index + ": shard index without a \"weight_map\" of tensor names to files");
    }
    Set<String> shards = new LinkedHashSet<>();
    for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
      shards.add(ShardName.requirePlain(index, it.next().asText()));
    }
    return shards;
  }

  private static String readJsonObject(FileSystem fs, Path file) throws IOException {
    String text = readText(fs, file);
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (IOException e) {
      throw new CheckpointException(file + ": not valid JSON (" + firstLine(e) + ")");
    }
    if (node == null || !node.isObject()) {
      throw new CheckpointException(file + ": not a JSON object");
    }
    return text;
  }

  private static String readText(FileSystem fs, Path file) throws IOException {
    if (!fs.isFile(file)) {
      throw new CheckpointException(file + ": missing file");
    }
    try (InputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** {@code models--ORG--NAME} -> {@code ORG/NAME}. */
  private static String repoId(String cacheFolder) {
    return cacheFolder.substring(CACHE_PREFIX.length()).replace("--", "/");
  }

  static String firstLine(Exception e) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return msg.lines().findFirst().orElse(msg);
  }
}

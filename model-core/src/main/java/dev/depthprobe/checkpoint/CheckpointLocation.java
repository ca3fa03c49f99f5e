package dev.depthprobe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * Where a checkpoint's files are and what to call it: the one resolver, for every file system.
 * Accepts a plain folder, a Hugging Face cache repository folder {@code models--ORG--NAME} (resolved
 * through {@code refs/main} to {@code snapshots/<rev>/}, as huggingface_hub does), or such a snapshot
 * folder itself.
 */
public record CheckpointLocation(CheckpointFolder dir, String displayName) {
  public static final String CONFIG = "config.json";
  public static final String PREPROCESSOR_CONFIG = "preprocessor_config.json";
  private static final String CACHE_PREFIX = "models--";
  private static final ObjectMapper JSON = new ObjectMapper();

  public static CheckpointLocation resolve(CheckpointFolder folder) {
    if (!folder.isFolder()) {
      throw new CheckpointException(folder + ": no such checkpoint folder");
    }
    String name = folder.name();
    if (name.startsWith(CACHE_PREFIX)) {
      String rev = revision(folder);
      CheckpointFolder snapshot = folder.folder("snapshots/" + rev);
      if (!snapshot.isFolder()) {
        throw new CheckpointException(folder + ": refs/main names revision " + rev + " but snapshots/" + rev
            + " is missing");
      }
      return new CheckpointLocation(snapshot, repoId(name) + "@" + rev);
    }
    CheckpointFolder parent = folder.parent();
    CheckpointFolder repo = parent == null ? null : parent.parent();
    if (repo != null && parent.name().equals("snapshots") && repo.name().startsWith(CACHE_PREFIX)) {
      return new CheckpointLocation(folder, repoId(repo.name()) + "@" + name);
    }
    return new CheckpointLocation(folder, name);
  }

  /** {@code config.json}'s text, checked to be a JSON object. */
  public String configJson() {
    return jsonObject(dir, CONFIG);
  }

  /** {@code preprocessor_config.json}'s text, checked to be a JSON object. */
  public String preprocessorConfigJson() {
    return jsonObject(dir, PREPROCESSOR_CONFIG);
  }

  /** The weight files' names in {@link #dir()}: one weight file, or an index followed by its shards. */
  public List<String> weightFiles() {
    return WeightFiles.names(dir);
  }

  /** {@link ContentHash} of this checkpoint's files. */
  public String contentHash() {
    return ContentHash.of(dir, weightFiles());
  }

  /** A JSON file of the folder, parsed; a missing, broken or non-object file is a {@link CheckpointException}. */
  static JsonNode parseObject(CheckpointFolder dir, String name) {
    return parse(dir, name, dir.readText(name));
  }

  private static String jsonObject(CheckpointFolder dir, String name) {
    String text = dir.readText(name);
    parse(dir, name, text);
    return text;
  }

  private static JsonNode parse(CheckpointFolder dir, String name, String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (IOException e) {
      throw new CheckpointException(dir.locate(name) + ": not valid JSON (" + e.getMessage().lines().findFirst()
          .orElse("") + ")");
    }
    if (node == null || !node.isObject()) {
      throw new CheckpointException(dir.locate(name) + ": not a JSON object");
    }
    return node;
  }

  private static String revision(CheckpointFolder repo) {
    if (!repo.isFile("refs/main")) {
      throw new CheckpointException(repo.locate("refs/main") + ": missing file (a Hugging Face cache folder needs "
          + "refs/main)");
    }
    String rev = repo.readText("refs/main").trim();
    if (rev.isEmpty() || rev.contains("/") || rev.contains("\\") || rev.equals("..")) {
      throw new CheckpointException(repo.locate("refs/main") + ": not a revision ('" + rev + "')");
    }
    return rev;
  }

  /** {@code models--ORG--NAME} -> {@code ORG/NAME}. */
  private static String repoId(String cacheFolder) {
    return cacheFolder.substring(CACHE_PREFIX.length()).replace("--", "/");
  }
}

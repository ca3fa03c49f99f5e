package dev.depthprobe.udfs.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.checkpoint.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint read through Hadoop's file system names and hashes it as model-core's Checkpoint does. */
class SharedCheckpointTest {
  static final Path GLPN_TINY = Path.of("../model-core/src/test/resources/fixtures/glpn-tiny/model");
  static final Path IMAGEGPT_TINY_BIN = Path.of("../model-core/src/test/resources/fixtures/imagegpt-tiny/model-bin");
  private static final Configuration CONF = SharedMountFileSystem.configuration();

  @TempDir
  Path tmp;

  private static void assertSameAsCheckpoint(Path folder, SharedCheckpoint shared) {
    Checkpoint checkpoint = Checkpoint.open(folder);
    assertEquals(checkpoint.displayName(), shared.displayName());
    assertEquals(checkpoint.contentHash(), shared.contentHash());
    assertEquals(checkpoint.weightFiles().stream().map(p -> p.getFileName().toString()).toList(), names(shared));
    assertEquals(checkpoint.weightFiles().stream().mapToLong(p -> p.toFile().length()).sum(), shared.weightBytes());
  }

  private static List<String> names(SharedCheckpoint shared) {
    return shared.weightFiles();
  }

  @Test
  void aSafetensorsFolderHasTheCheckpointsNameHashAndFiles() {
    SharedCheckpoint shared = SharedCheckpoint.open(GLPN_TINY.toString(), CONF);

    assertSameAsCheckpoint(GLPN_TINY, shared);
    assertEquals(List.of("model.safetensors"), names(shared));
    assertTrue(shared.isLocal());
  }

  @Test
  void aPytorchBinFolderHasTheCheckpointsNameHashAndFiles() {
    assertSameAsCheckpoint(IMAGEGPT_TINY_BIN, SharedCheckpoint.open(IMAGEGPT_TINY_BIN.toString(), CONF));
  }

  @Test
  void aFolderOnAnotherFileSystemHasTheSameHash() {
    SharedCheckpoint shared = SharedCheckpoint.open(SharedMountFileSystem.uri(GLPN_TINY), CONF);

    assertFalse(shared.isLocal());
    assertEquals("shared", shared.dir().toUri().getScheme());
    assertEquals(Checkpoint.open(GLPN_TINY).contentHash(), shared.contentHash());
  }

  @Test
  void aFolderThatDiffersOnlyInItsPreprocessorConfigHasItsOwnHashAsTheCheckpointDoes() throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("glpn-no-resize"));
    Files.copy(GLPN_TINY.resolve("config.json"), folder.resolve("config.json"));
    Files.copy(GLPN_TINY.resolve("model.safetensors"), folder.resolve("model.safetensors"));
    Files.writeString(folder.resolve("preprocessor_config.json"),
        "{\"image_processor_type\": \"GLPNImageProcessor\", \"do_resize\": false, \"size_divisor\": 32}");

    SharedCheckpoint shared = SharedCheckpoint.open(folder.toString(), CONF);

    assertSameAsCheckpoint(folder, shared);
    assertNotEquals(SharedCheckpoint.open(GLPN_TINY.toString(), CONF).contentHash(), shared.contentHash());
  }

  @Test
  void aShardedFolderListsTheIndexThenTheShardsInTheIndexsOrder() throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("glpn-sharded"));
    copyConfigs(GLPN_TINY, folder);
    Files.copy(GLPN_TINY.resolve("model.safetensors"), folder.resolve("model-00001-of-00002.safetensors"));
    Files.copy(GLPN_TINY.resolve("model.safetensors"), folder.resolve("model-00002-of-00002.safetensors"));
    Files.writeString(folder.resolve("model.safetensors.index.json"), """
        {"metadata": {}, "weight_map": {"head.conv.weight": "model-00002-of-00002.safetensors",
          "encoder.block.0.0.mlp.dense1.weight": "model-00001-of-00002.safetensors",
          "head.conv.bias": "model-00002-of-00002.safetensors"}}""");

    SharedCheckpoint shared = SharedCheckpoint.open(folder.toString(), CONF);

    assertEquals(List.of("model.safetensors.index.json", "model-00002-of-00002.safetensors",
        "model-00001-of-00002.safetensors"), names(shared));
    assertSameAsCheckpoint(folder, shared);
  }

  @Test
  void aHuggingFaceCacheFolderIsReadThroughRefsMain() throws IOException {
    Path repo = tmp.resolve("models--vinvino02--glpn-tiny");
    Path snapshot = Files.createDirectories(repo.resolve("snapshots/0123abcd"));
    Files.createDirectories(repo.resolve("refs"));
    Files.writeString(repo.resolve("refs/main"), "0123abcd\n");
    copyConfigs(GLPN_TINY, snapshot);
    Files.copy(GLPN_TINY.resolve("model.safetensors"), snapshot.resolve("model.safetensors"));

    SharedCheckpoint fromRepo = SharedCheckpoint.open(repo.toString(), CONF);
    SharedCheckpoint fromSnapshot = SharedCheckpoint.open(snapshot.toString(), CONF);

    assertEquals("vinvino02/glpn-tiny@0123abcd", fromRepo.displayName());
    assertEquals("vinvino02/glpn-tiny@0123abcd", fromSnapshot.displayName());
    assertSameAsCheckpoint(repo, fromRepo);
    assertEquals(fromRepo.dir(), fromSnapshot.dir());
  }

  @Test
  void aMissingFolderIsOneLine() {
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> SharedCheckpoint.open(tmp.resolve("nope").toString(), CONF));

    assertEquals(tmp.resolve("nope") + ": no such checkpoint folder", e.getMessage());
  }

  @Test
  void aFolderWithoutWeightsIsOneLine() throws IOException {
    copyConfigs(GLPN_TINY, tmp);

    CheckpointException e = assertThrows(CheckpointException.class, () -> SharedCheckpoint.open(tmp.toString(), CONF));

    assertTrue(e.getMessage().endsWith(": no weights in the checkpoint folder (looked for model.safetensors, "
        + "model.safetensors.index.json, pytorch_model.bin, pytorch_model.bin.index.json)"), e.getMessage());
  }

  static void copyConfigs(Path from, Path to) throws IOException {
    Files.copy(from.resolve("config.json"), to.resolve("config.json"));
    Files.copy(from.resolve("preprocessor_config.json"), to.resolve("preprocessor_config.json"));
  }
}

package dev.depthprobe.udfs.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.checkpoint.StateDict;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How an executor reaches a checkpoint given by path (outside Spark: no broadcast, no work directory). */
class PathModelSourceTest {
  private static final Configuration CONF = SharedMountFileSystem.configuration();

  @TempDir
  Path tmp;

  private static PathModelSource source(String location) {
    SharedCheckpoint checkpoint = SharedCheckpoint.open(location, CONF);
    String key = checkpoint.contentHash();
    return new PathModelSource(checkpoint, ModelSource.label(checkpoint.displayName(), key), key, null);
  }

  @Test
  void aLocalFolderIsOpenedInPlace() throws IOException {
    PathModelSource source = source(SharedCheckpointTest.GLPN_TINY.toString());

    assertEquals(SharedCheckpointTest.GLPN_TINY.toRealPath(), source.localDir(CONF).toRealPath());
    assertEquals("model@sha256:" + Checkpoint.open(SharedCheckpointTest.GLPN_TINY).contentHash().substring(0, 12),
        source.label());
  }

  @Test
  void aFolderOnAnotherFileSystemIsCopiedOncePerExecutor() throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("glpn-copied"));
    SharedCheckpointTest.copyConfigs(SharedCheckpointTest.GLPN_TINY, folder);
    Files.copy(SharedCheckpointTest.GLPN_TINY.resolve("model.safetensors"), folder.resolve("model.safetensors"));
    // a distinct checkpoint, so that no other test has a copy in the model cache
    Files.writeString(folder.resolve("config.json"), Files.readString(folder.resolve("config.json")).replaceFirst("\\{",
        "{\"_test\": \"" + System.nanoTime() + "\", "));
    PathModelSource source = source(SharedMountFileSystem.uri(folder));

    Path copy = source.localDir(CONF);
    try {
      assertNotEquals(folder.toRealPath(), copy.toRealPath());
      assertEquals(copy, source.localDir(CONF));
      assertEquals(source.key(), Checkpoint.open(copy).contentHash());
      StateDict original = Checkpoint.open(folder).weights();
      StateDict copied = Checkpoint.open(copy).weights();
      assertEquals(original.tensors().keySet(), copied.tensors().keySet());
      original.tensors().forEach((name, t) -> assertArrayEquals(t.toArray(), copied.tensors().get(name).toArray(), name));
    } finally {
      deleteTree(copy);
    }
  }

  @Test
  void weightsThatChangedSinceTheDriverListedThemAreRefused() throws IOException {
    Path folder = copyOfGlpn("glpn-changing");
    PathModelSource source = source(folder.toString());
    Files.write(folder.resolve("model.safetensors"), new byte[] {0}, StandardOpenOption.APPEND);

    CheckpointException e = assertThrows(CheckpointException.class, () -> source.localDir(CONF));

    assertTrue(e.getMessage().endsWith("the checkpoint changed during the job"), e.getMessage());
  }

  @Test
  void aCheckpointEditedInPlaceWithTheSameLengthLoadsUnderANewKey() throws IOException {
    Path folder = copyOfGlpn("glpn-edited");
    PathModelSource before = source(folder.toString());
    Map<String, float[]> oldWeights = new HashMap<>();
    before.weights(CONF).tensors().forEach((name, t) -> oldWeights.put(name, t.toArray()));
    long length = Files.size(folder.resolve("model.safetensors"));

    flipLastByte(folder.resolve("model.safetensors"));
    PathModelSource after = source(folder.toString());

    assertEquals(length, Files.size(folder.resolve("model.safetensors")));
    assertNotEquals(before.key(), after.key());
    assertEquals(Checkpoint.open(folder).contentHash(), after.key());
    StateDict newWeights = after.weights(CONF);
    assertTrue(oldWeights.keySet().stream().anyMatch(name ->
        !Arrays.equals(oldWeights.get(name), newWeights.tensors().get(name).toArray())), "the new weights are read");
  }

  @Test
  void anExecutorRefusesWeightsWhoseContentIsNotTheDriversEvenWithTheSameSizeAndTime() throws IOException {
    Path folder = copyOfGlpn("glpn-sneaky");
    Path weights = folder.resolve("model.safetensors");
    PathModelSource before = source(folder.toString());
    FileTime time = Files.getLastModifiedTime(weights);

    flipLastByte(weights);
    Files.setLastModifiedTime(weights, time);
    PathModelSource stale = source(folder.toString());

    assertEquals(before.key(), stale.key(), "the driver's cached hash is fooled by a modification time set back");
    CheckpointException e = assertThrows(CheckpointException.class, () -> stale.weights(CONF));
    assertTrue(e.getMessage().contains(": changed since the driver read it (content hash "), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void anExecutorRefusesAPytorchBinEditedInPlaceWithTheSameSizeAndTime() throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("imagegpt-bin-sneaky"));
    SharedCheckpointTest.copyConfigs(SharedCheckpointTest.IMAGEGPT_TINY_BIN, folder);
    Path weights = Files.copy(SharedCheckpointTest.IMAGEGPT_TINY_BIN.resolve("pytorch_model.bin"),
        folder.resolve("pytorch_model.bin"));
    PathModelSource before = source(folder.toString());
    FileTime time = Files.getLastModifiedTime(weights);

    flipByte(weights, Files.size(weights) / 2); // inside a storage: the archive still reads
    Files.setLastModifiedTime(weights, time);
    PathModelSource stale = source(folder.toString());

    assertEquals(before.key(), stale.key());
    CheckpointException e = assertThrows(CheckpointException.class, () -> stale.weights(CONF));
    assertTrue(e.getMessage().contains(": changed since the driver read it (content hash "), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  private static void flipLastByte(Path file) throws IOException {
    flipByte(file, Files.size(file) - 1);
  }

  private static void flipByte(Path file, long at) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, at);
      one.put(0, (byte) (one.get(0) ^ 0x40)).rewind();
      channel.write(one, at);
    }
  }

  @Test
  void weightsTheExecutorCannotSeeAreReportedInOneLine() throws IOException {
    Path folder = copyOfGlpn("glpn-vanishing");
    PathModelSource source = source(folder.toString());
    Files.delete(folder.resolve("model.safetensors"));

    CheckpointException e = assertThrows(CheckpointException.class, () -> source.localDir(CONF));

    assertTrue(e.getMessage().contains("model.safetensors: not visible on executor (no Spark); with "
        + "--model-distribution path every executor must see the checkpoint"), e.getMessage());
  }

  private Path copyOfGlpn(String name) throws IOException {
    Path folder = Files.createDirectories(tmp.resolve(name));
    SharedCheckpointTest.copyConfigs(SharedCheckpointTest.GLPN_TINY, folder);
    Files.copy(SharedCheckpointTest.GLPN_TINY.resolve("model.safetensors"), folder.resolve("model.safetensors"));
    return folder;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

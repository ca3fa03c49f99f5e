package dev.depthprobe.checkpoint;

import static dev.depthprobe.checkpoint.Fixtures.assertFailsNaming;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardedCheckpointTest {
  @TempDir
  Path tmp;

  /** Splits {@code tensors} into {@code count} consecutive groups, as save_pretrained's max_shard_size does. */
  private static List<Map<String, Tensor>> split(Map<String, Tensor> tensors, int count) {
    List<Map<String, Tensor>> shards = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      shards.add(new LinkedHashMap<>());
    }
    int i = 0;
    for (Tensor t : tensors.values()) {
      shards.get(i++ * count / tensors.size()).put(t.name(), t);
    }
    return shards;
  }

  private static String shardName(String base, String ext, int i, int count) {
    return String.format("%s-%05d-of-%05d.%s", base, i + 1, count, ext);
  }

  private static void writeIndex(Path file, Map<String, String> weightMap) throws IOException {
    StringBuilder json = new StringBuilder("{\"metadata\": {\"total_size\": 0}, \"weight_map\": {");
    String sep = "";
    for (Map.Entry<String, String> e : weightMap.entrySet()) {
      String shard = e.getValue().replace("\\", "\\\\"); // JSON escapes a backslash
      json.append(sep).append('"').append(e.getKey()).append("\": \"").append(shard).append('"');
      sep = ", ";
    }
    Files.writeString(file, json.append("}}").toString());
  }

  /** Writes the fixture's tensors as {@code count} safetensors shards with an index; returns the folder. */
  private Path shardedSafetensors(String model, int count) throws IOException {
    Path source = Fixtures.checkpointDir(model, "model");
    Path dir = Fixtures.copyConfigs(source, tmp.resolve(model + "-sharded"));
    Map<String, String> weightMap = new LinkedHashMap<>();
    List<Map<String, Tensor>> shards = split(SafetensorsReader.read(source.resolve("model.safetensors")), count);
    for (int i = 0; i < count; i++) {
      String name = shardName("model", "safetensors", i, count);
      SafetensorsWriter.write(dir.resolve(name), shards.get(i));
      shards.get(i).keySet().forEach(tensor -> weightMap.put(tensor, name));
    }
    writeIndex(dir.resolve("model.safetensors.index.json"), weightMap);
    return dir;
  }

  @Test
  void shardedSafetensorsLoadTheSameTensorsAsTheSingleFile() throws IOException {
    Path dir = shardedSafetensors("glpn-tiny", 3);

    Checkpoint sharded = Checkpoint.open(dir);

    assertEquals(List.of(dir.resolve("model.safetensors.index.json"), dir.resolve("model-00001-of-00003.safetensors"),
        dir.resolve("model-00002-of-00003.safetensors"), dir.resolve("model-00003-of-00003.safetensors")),
        sharded.weightFiles());
    Fixtures.assertSameTensors(Checkpoint.open(Fixtures.checkpointDir("glpn-tiny", "model")).weights().tensors(),
        sharded.weights().tensors());
  }

  @Test
  void shardedSafetensorsHashedAsTheyAreReadHaveTheStreamedContentHash() throws IOException {
    Path dir = shardedSafetensors("glpn-tiny", 3);

    Checkpoint.HashedWeights hashed = Checkpoint.open(dir).weightsAndContentHash();

    assertEquals(Checkpoint.open(dir).contentHash(), hashed.contentHash());
    Fixtures.assertSameTensors(Checkpoint.open(dir).weights().tensors(), hashed.weights().tensors());
  }

  @Test
  void aShardedCheckpointIsCheckedShardByShardAndAMissingTensorIsReported() throws IOException {
    Path dir = shardedSafetensors("glpn-tiny", 2);
    Checkpoint.open(dir).checkWeightFiles();
    Path index = dir.resolve("model.safetensors.index.json");
    Files.writeString(index, Files.readString(index).replace("\"weight_map\": {",
        "\"weight_map\": {\"ghost\": \"model-00001-of-00002.safetensors\", "));

    assertFailsNaming(() -> Checkpoint.open(dir).checkWeightFiles(), index.toString(), "tensor 'ghost'");
  }

  @Test
  void shardedPytorchBinLoadsTheSameTensorsAsSafetensors() throws IOException {
    Path source = Fixtures.checkpointDir("imagegpt-tiny", "model");
    Path dir = Fixtures.copyConfigs(source, tmp.resolve("imagegpt-bin-sharded"));
    Map<String, Tensor> tensors = SafetensorsReader.read(source.resolve("model.safetensors"));
    Map<String, String> weightMap = new LinkedHashMap<>();
    List<Map<String, Tensor>> shards = split(tensors, 2);
    for (int i = 0; i < 2; i++) {
      String name = shardName("pytorch_model", "bin", i, 2);
      TorchArchive.of(shards.get(i)).write(dir.resolve(name));
      shards.get(i).keySet().forEach(tensor -> weightMap.put(tensor, name));
    }
    writeIndex(dir.resolve("pytorch_model.bin.index.json"), weightMap);

    Checkpoint sharded = Checkpoint.open(dir);

    assertEquals(3, sharded.weightFiles().size());
    Fixtures.assertSameTensors(tensors, sharded.weights().tensors());
  }

  @Test
  void safetensorsArePreferredWhenBothFormatsArePresent() throws IOException {
    Path dir = Fixtures.copyConfigs(Fixtures.checkpointDir("imagegpt-tiny", "model"), tmp.resolve("both"));
    Map<String, Tensor> real = SafetensorsReader.read(Fixtures.checkpointDir("imagegpt-tiny", "model")
        .resolve("model.safetensors"));
    Tensor wte = real.get("transformer.wte.weight");
    Tensor zeros = new Tensor(wte.name(), wte.shape(), FloatBuffer.wrap(new float[(int) wte.size()]));
    TorchArchive.of(Map.of(wte.name(), zeros)).write(dir.resolve("pytorch_model.bin"));
    SafetensorsWriter.write(dir.resolve("model.safetensors"), real);

    Checkpoint both = Checkpoint.open(dir);

    assertEquals(List.of(dir.resolve("model.safetensors")), both.weightFiles());
    Fixtures.assertSameTensors(real, both.weights().tensors());
  }

  @Test
  void shardNamedByTheIndexButAbsentIsReported() throws IOException {
    Path dir = shardedSafetensors("imagegpt-tiny", 3);
    Files.delete(dir.resolve("model-00002-of-00003.safetensors"));

    assertFailsNaming(() -> Checkpoint.open(dir), "model.safetensors.index.json",
        "shard 'model-00002-of-00003.safetensors' named by the index is missing");
  }

  @Test
  void indexMappingATensorToAShardWithoutItIsReported() throws IOException {
    Path dir = shardedSafetensors("imagegpt-tiny", 2);
    String inFirstShard = SafetensorsReader.read(dir.resolve("model-00001-of-00002.safetensors")).keySet()
        .iterator().next();
    Map<String, String> weightMap = new LinkedHashMap<>();
    weightMap.put(inFirstShard, "model-00002-of-00002.safetensors");
    writeIndex(dir.resolve("model.safetensors.index.json"), weightMap);

    Checkpoint checkpoint = Checkpoint.open(dir);

    assertFailsNaming(checkpoint::weights, "model.safetensors.index.json", "tensor '" + inFirstShard + "'",
        "shard 'model-00002-of-00002.safetensors', which does not contain it");
  }

  @Test
  void indexWithoutAWeightMapIsReported() throws IOException {
    Path dir = shardedSafetensors("imagegpt-tiny", 2);
    Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"metadata\": {}}");

    assertFailsNaming(() -> Checkpoint.open(dir), "model.safetensors.index.json", "without a \"weight_map\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/etc/passwd", "../../../../etc/passwd", "../outside.safetensors", "sub/../x.safetensors",
      "..\\outside.safetensors", "file:/etc/passwd", ".."})
  void shardNamesThatCouldLeaveTheFolderAreRefusedBeforeAnyFileIsOpened(String name) throws IOException {
    Path dir = shardedSafetensors("imagegpt-tiny", 1);
    // a valid shard outside the folder, which the reader used to open and load
    Files.copy(dir.resolve("model-00001-of-00001.safetensors"), tmp.resolve("outside.safetensors"));
    Map<String, String> weightMap = new LinkedHashMap<>();
    SafetensorsReader.read(dir.resolve("model-00001-of-00001.safetensors")).keySet()
        .forEach(tensor -> weightMap.put(tensor, name));
    writeIndex(dir.resolve("model.safetensors.index.json"), weightMap);

    assertFailsNaming(() -> Checkpoint.open(dir), "model.safetensors.index.json",
        "is not a plain file name inside the checkpoint folder");
  }

  @Test
  void aHuggingFaceCacheSnapshotOfSymlinksToBlobsStillLoadsItsShards() throws IOException {
    Path sharded = shardedSafetensors("glpn-tiny", 2);
    Path repo = tmp.resolve("hub").resolve("models--org--glpn-sharded");
    Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve("rev1"));
    Files.createDirectories(repo.resolve("blobs"));
    Files.createDirectories(repo.resolve("refs"));
    Files.writeString(repo.resolve("refs").resolve("main"), "rev1");
    int blob = 0;
    try (var files = Files.list(sharded)) {
      for (Path file : files.toList()) {
        String hash = "blob" + blob++;
        Files.copy(file, repo.resolve("blobs").resolve(hash));
        Files.createSymbolicLink(snapshot.resolve(file.getFileName()), Path.of("..", "..", "blobs", hash));
      }
    }

    Checkpoint checkpoint = Checkpoint.open(repo);

    assertEquals(3, checkpoint.weightFiles().size());
    Fixtures.assertSameTensors(Checkpoint.open(Fixtures.checkpointDir("glpn-tiny", "model")).weights().tensors(),
        checkpoint.weights().tensors());
  }
}

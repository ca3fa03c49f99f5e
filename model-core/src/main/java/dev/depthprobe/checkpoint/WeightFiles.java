package dev.depthprobe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The weight files of a checkpoint folder, chosen as transformers' {@code from_pretrained} chooses
 * them: safetensors before {@code pytorch_model.bin}, and a single file before a sharded index.
 */
final class WeightFiles {
  private static final List<String> CANDIDATES = List.of("model.safetensors", "model.safetensors.index.json",
      "pytorch_model.bin", "pytorch_model.bin.index.json");

  private final Path main;
  private final ShardIndex index;

  private WeightFiles(Path main, ShardIndex index) {
    this.main = main;
    this.index = index;
  }

  /** The names in {@code dir} of the weight file, or of the index followed by its shards in the order it first names them. */
  static List<String> names(CheckpointFolder dir) {
    for (String name : CANDIDATES) {
      if (dir.isFile(name)) {
        List<String> names = new ArrayList<>(List.of(name));
        if (name.endsWith(".index.json")) {
          for (String shard : shardNames(dir, name)) {
            if (!dir.isFile(shard)) {
              throw new CheckpointException(dir.locate(name) + ": shard '" + shard + "' named by the index is missing");
            }
            names.add(shard);
          }
        }
        return List.copyOf(names);
      }
    }
    throw new CheckpointException(dir + ": no weights in the checkpoint folder (looked for "
        + String.join(", ", CANDIDATES) + ")");
  }

  /** The local files to load: the first name of {@link #names}, read with its shard index if it is one. */
  static WeightFiles find(Path dir, List<String> names) {
    Path file = dir.resolve(names.get(0));
    return new WeightFiles(file, names.get(0).endsWith(".index.json") ? ShardIndex.read(file) : null);
  }

  private static Set<String> shardNames(CheckpointFolder dir, String index) {
    JsonNode map = CheckpointLocation.parseObject(dir, index).path("weight_map");
    if (!map.isObject() || map.isEmpty()) {
      throw new CheckpointException(dir.locate(index) + ": shard index without a \"weight_map\" of tensor names to files");
    }
    Set<String> shards = new LinkedHashSet<>();
    for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
      shards.add(ShardName.requirePlain(dir.locate(index), it.next().asText()));
    }
    return shards;
  }

  /** The weight file, or the index followed by its shards. */
  List<Path> files() {
    List<Path> files = new ArrayList<>(List.of(main));
    if (index != null) {
      files.addAll(index.shards());
    }
    return files;
  }

  StateDict load() {
    return load(isSafetensors() ? SafetensorsReader::read : PytorchBinReader::read);
  }

  /**
   * {@link #load()}, adding each file to {@code hash} in the order of {@link #names} as it is read: a safetensors
   * file from the maps the reader reads it through (one read); an index, and a {@code pytorch_model.bin} (the zip
   * reader reads it by random access), streamed in a pass of their own.
   */
  StateDict load(ContentHash hash) {
    if (index != null) {
      hash.addFile(new LocalFolder(main.getParent()), main.getFileName().toString());
    }
    boolean safetensors = isSafetensors();
    return load(file -> {
      String name = file.getFileName().toString();
      if (safetensors) {
        hash.file(name);
        return SafetensorsReader.read(file, hash);
      }
      hash.addFile(new LocalFolder(file.getParent()), name);
      return PytorchBinReader.read(file);
    });
  }

  /**
   * The checks {@link #load()} makes of the files' structure, without the tensors' data: safetensors headers; a
   * {@code pytorch_model.bin}'s pickle, entries and views; a shard index's map. Returns each tensor's shape.
   */
  Map<String, long[]> check() {
    Function<Path, Map<String, long[]>> reader = isSafetensors() ? SafetensorsReader::check : PytorchBinReader::check;
    return index == null ? reader.apply(main) : index.load(reader);
  }

  private StateDict load(Function<Path, Map<String, Tensor>> reader) {
    Map<String, Tensor> tensors = index == null ? reader.apply(main) : index.load(reader);
    return new StateDict(main.toString(), tensors);
  }

  private boolean isSafetensors() {
    return main.getFileName().toString().startsWith("model.safetensors");
  }
}

package dev.depthprobe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The index of a sharded checkpoint ({@code model.safetensors.index.json} or
 * {@code pytorch_model.bin.index.json}): {@code {"weight_map": {tensor name: shard file}}}, as
 * transformers' {@code load_sharded_checkpoint} reads it. Shard files sit beside the index.
 */
final class ShardIndex {
  private final Path file;
  private final Map<String, String> weightMap;
  private final List<Path> shards;

  private ShardIndex(Path file, Map<String, String> weightMap, List<Path> shards) {
    this.file = file;
    this.weightMap = weightMap;
    this.shards = shards;
  }

  /** Reads the index and checks that every shard it names exists. */
  static ShardIndex read(Path file) {
    JsonNode map = Checkpoint.readJson(file).path("weight_map");
    if (!map.isObject() || map.isEmpty()) {
      throw new CheckpointException(file + ": shard index without a \"weight_map\" of tensor names to files");
    }
    Map<String, String> weightMap = new LinkedHashMap<>();
    Set<String> shardNames = new LinkedHashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new CheckpointException(file + ": weight_map entry '" + e.getKey() + "' is not a file name");
      }
      weightMap.put(e.getKey(), e.getValue().asText());
      shardNames.add(e.getValue().asText());
    }
    List<Path> shards = new ArrayList<>();
    for (String name : shardNames) {
      ShardName.requirePlain(file, name);
      Path shard = file.resolveSibling(name);
      if (!Files.isRegularFile(shard)) {
        throw new CheckpointException(file + ": shard '" + name + "' named by the index is missing");
      }
      shards.add(shard);
    }
    return new ShardIndex(file, weightMap, List.copyOf(shards));
  }

  /** The shard files, in the order the index first names them. */
  List<Path> shards() {
    return shards;
  }

  /** Every tensor of every shard (its data, or what a check returns), each shard read by {@code reader}. */
  <T> Map<String, T> load(Function<Path, Map<String, T>> reader) {
    Map<String, T> out = new LinkedHashMap<>();
    for (Path shard : shards) {
      Map<String, T> tensors = reader.apply(shard);
      String shardName = shard.getFileName().toString();
      weightMap.forEach((name, mappedTo) -> {
        if (mappedTo.equals(shardName) && !tensors.containsKey(name)) {
          throw new CheckpointException(file + ": maps tensor '" + name + "' to shard '" + shardName
              + "', which does not contain it");
        }
      });
      out.putAll(tensors);
    }
    return out;
  }
}

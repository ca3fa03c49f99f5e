package dev.depthprobe.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  static WeightFiles find(Path dir) {
    for (String name : CANDIDATES) {
      Path file = dir.resolve(name);
      if (Files.isRegularFile(file)) {
        return new WeightFiles(file, name.endsWith(".index.json") ? ShardIndex.read(file) : null);
      }
    }
    throw new CheckpointException(dir + ": no weights in the checkpoint folder (looked for "
        + String.join(", ", CANDIDATES) + ")");
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
    Function<Path, Map<String, Tensor>> reader = main.getFileName().toString().startsWith("model.safetensors")
        ? SafetensorsReader::read : PytorchBinReader::read;
    Map<String, Tensor> tensors = index == null ? reader.apply(main) : index.load(reader);
    return new StateDict(main.toString(), tensors);
  }
}

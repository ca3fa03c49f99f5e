package dev.depthprobe.jobs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Checkpoint folders built to break a reader, one per way a night run met one (issue 11): the tiny GLPN's
 * configs beside hostile weights, an index naming a file outside the folder, or a hostile config value.
 */
final class HostileCheckpoints {
  private static final Path MODEL = PredictDepthCommandTest.MODEL;

  private HostileCheckpoints() {}

  /** A pickle whose dict key is a list that holds itself (through a second list). */
  static Path pickleWithASelfReferencingKey(Path dir) throws IOException {
    Pickle p = new Pickle().op(0x80, 2).op('}').op(']', 'q', 0).op(']', 'q', 1).op('h', 0).op('a', 'a')
        .op('K', 1).op('s', '.');
    return torchArchive(dir, p.bytes(), new byte[4]);
  }

  /** One 4-byte float32 storage viewed as 2^31 floats with stride 0. */
  static Path pickleViewingFourBytesAsTwoToThe31Floats(Path dir) throws IOException {
    Pickle p = new Pickle().op(0x80, 2).op('}').str("w").global("torch._utils", "_rebuild_tensor_v2").op('(')
        .op('(').str("storage").global("torch", "FloatStorage").str("0").str("cpu").op('K', 1).op('t', 'Q')
        .op('K', 0).op('(').long8(1L << 31).op('t').op('(', 'K', 0, 't').op(0x89)
        .global("collections", "OrderedDict").op(')', 'R').op('t', 'R').op('s', '.');
    return torchArchive(dir, p.bytes(), new byte[4]);
  }

  /** A safetensors tensor of shape [2^62]. */
  static Path safetensorsWithAShapeOfTwoToThe62(Path dir) throws IOException {
    Path model = withConfigs(dir);
    byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,0]}}"
        .getBytes(StandardCharsets.UTF_8);
    Files.write(model.resolve("model.safetensors"),
        ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header)
            .array());
    return model;
  }

  /** A shard index whose weight map names {@code shard}, e.g. /etc/passwd. */
  static Path shardIndexNaming(Path dir, String shard) throws IOException {
    Path model = withConfigs(dir);
    Files.writeString(model.resolve("model.safetensors.index.json"),
        "{\"metadata\": {}, \"weight_map\": {\"head.weight\": \"" + shard + "\"}}");
    return model;
  }

  /** The tiny GLPN with {@code "size_divisor": 0} in its processor config. */
  static Path sizeDivisorZero(Path dir) throws IOException {
    Path model = withConfigs(dir);
    Files.copy(MODEL.resolve("model.safetensors"), model.resolve("model.safetensors"));
    Files.writeString(model.resolve("preprocessor_config.json"),
        "{\"image_processor_type\": \"GLPNImageProcessor\", \"size_divisor\": 0}");
    return model;
  }

  private static Path withConfigs(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String file : new String[] {"config.json", "preprocessor_config.json"}) {
      Files.copy(MODEL.resolve(file), dir.resolve(file));
    }
    return dir;
  }

  /** torch.save's layout: archive/data.pkl, archive/data/0 (the storage), archive/byteorder. */
  private static Path torchArchive(Path dir, byte[] pickle, byte[] storage) throws IOException {
    Path model = withConfigs(dir);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("archive/data.pkl", pickle);
    entries.put("archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
    entries.put("archive/data/0", storage);
    try (OutputStream os = Files.newOutputStream(model.resolve("pytorch_model.bin"));
        ZipOutputStream zip = new ZipOutputStream(os)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return model;
  }

  /** Pickle opcodes written one by one. */
  private static final class Pickle {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Pickle op(int... bytes) {
      for (int b : bytes) {
        out.write(b);
      }
      return this;
    }

    Pickle str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      op('X');
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
      out.writeBytes(b);
      return this;
    }

    Pickle global(String module, String name) {
      op('c');
      out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    /** LONG1 with 8 bytes. */
    Pickle long8(long v) {
      op(0x8a, 8);
      out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}

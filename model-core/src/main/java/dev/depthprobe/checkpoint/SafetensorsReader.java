package dev.depthprobe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code .safetensors} file: an 8-byte little-endian header length, a JSON header mapping
 * each tensor to its dtype, shape and byte range, then the raw data. F32 tensors are memory-mapped;
 * F16 and BF16 are widened to float32.
 */
public final class SafetensorsReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L << 20;

  private SafetensorsReader() {}

  public static Map<String, Tensor> read(Path file) {
    String where = file.getFileName().toString();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = ch.size();
      if (fileSize < 8) {
        throw new CheckpointException(where + ": truncated safetensors file (" + fileSize + " bytes, no header)");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(lenBuf, 0);
      long headerLen = lenBuf.getLong(0);
      if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > fileSize) {
        throw new CheckpointException(where + ": corrupt safetensors header (declared header length "
            + headerLen + " bytes, file has " + fileSize + ")");
      }
      ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
      ch.read(headerBuf, 8);
      JsonNode header;
      try {
        header = JSON.readTree(headerBuf.array());
      } catch (IOException e) {
        throw new CheckpointException(where + ": corrupt safetensors header (not JSON: "
            + e.getMessage().lines().findFirst().orElse("") + ")");
      }
      long dataStart = 8 + headerLen;
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("__metadata__")) {
          continue;
        }
        out.put(e.getKey(), tensor(ch, where, e.getKey(), e.getValue(), dataStart, fileSize));
      }
      return out;
    } catch (IOException e) {
      throw new CheckpointException(where + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  private static Tensor tensor(FileChannel ch, String where, String name, JsonNode info, long dataStart,
      long fileSize) throws IOException {
    String dtype = info.path("dtype").asText();
    JsonNode shapeNode = info.path("shape");
    JsonNode offsets = info.path("data_offsets");
    if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
      throw new CheckpointException(where + ": corrupt safetensors header entry for '" + name + "'");
    }
    long[] shape = new long[shapeNode.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong();
      count *= shape[i];
    }
    long begin = dataStart + offsets.get(0).asLong();
    long end = dataStart + offsets.get(1).asLong();
    if (end > fileSize || begin > end) {
      throw new CheckpointException(where + ": tensor '" + name + "' data range [" + begin + ", " + end
          + ") is past the end of the file (" + fileSize + " bytes); the file is truncated");
    }
    int width = switch (dtype) {
      case "F32" -> 4;
      case "F16", "BF16" -> 2;
      case "F64", "I64" -> 8;
      default -> throw new CheckpointException(where + ": tensor '" + name + "' has unsupported dtype "
          + dtype + " (supported: F32, F16, BF16, F64, I64)");
    };
    if (end - begin != count * width) {
      throw new CheckpointException(where + ": tensor '" + name + "' holds " + (end - begin)
          + " bytes but " + dtype + " " + java.util.Arrays.toString(shape) + " needs " + count * width);
    }
    ByteBuffer raw = ch.map(FileChannel.MapMode.READ_ONLY, begin, end - begin).order(ByteOrder.LITTLE_ENDIAN);
    return new Tensor(name, shape, DTypes.toFloat32(dtype, raw, Math.toIntExact(count)));
  }
}

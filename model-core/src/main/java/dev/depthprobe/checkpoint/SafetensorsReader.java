package dev.depthprobe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the safetensors format: an 8-byte little-endian header length, a JSON header mapping each
 * tensor to its dtype, shape and byte range, then the raw data. F32 tensors stay views of the file
 * (memory-mapped) or of the buffer; F16, BF16, F64, I64 and I32 are widened to float32.
 */
public final class SafetensorsReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L << 20;

  private SafetensorsReader() {}

  /** A byte range of the file or buffer being read: a memory map, or a slice of memory. */
  @FunctionalInterface
  private interface Slicer {
    ByteBuffer slice(long begin, long length) throws IOException;
  }

  public static Map<String, Tensor> read(Path file) {
    String where = file.toString();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(where, ch.size(), (begin, length) -> ch.map(FileChannel.MapMode.READ_ONLY, begin, length));
    } catch (IOException e) {
      throw new CheckpointException(where + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Reads safetensors bytes held in memory (e.g. a broadcast); F32 tensors are views of
   * {@code bytes}, which must not change afterwards. {@code where} names the bytes in errors.
   */
  public static Map<String, Tensor> read(ByteBuffer bytes, String where) {
    ByteBuffer all = bytes.slice();
    try {
      return read(where, all.remaining(), (begin, length) -> all.slice((int) begin, (int) length));
    } catch (IOException e) {
      throw new CheckpointException(where + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  private static Map<String, Tensor> read(String where, long size, Slicer source) throws IOException {
    if (size < 8) {
      throw new CheckpointException(where + ": truncated safetensors file (" + size + " bytes, no header)");
    }
    long headerLen = source.slice(0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
      throw new CheckpointException(where + ": truncated or corrupt safetensors header (declared header length "
          + headerLen + " bytes, file has " + size + ")");
    }
    byte[] headerBytes = new byte[(int) headerLen];
    source.slice(8, headerLen).get(headerBytes);
    JsonNode header;
    try {
      header = JSON.readTree(headerBytes);
    } catch (IOException e) {
      throw new CheckpointException(where + ": corrupt safetensors header (not JSON: "
          + e.getMessage().lines().findFirst().orElse("") + ")");
    }
    if (header == null || !header.isObject()) {
      throw new CheckpointException(where + ": corrupt safetensors header (not a JSON object)");
    }
    long dataStart = 8 + headerLen;
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      out.put(e.getKey(), tensor(source, where, e.getKey(), e.getValue(), dataStart, size));
    }
    return out;
  }

  private static Tensor tensor(Slicer source, String where, String name, JsonNode info, long dataStart,
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
    if (begin < dataStart || begin > end) {
      throw new CheckpointException(where + ": corrupt safetensors header entry for '" + name
          + "' (data_offsets " + offsets + ")");
    }
    if (end > fileSize) {
      throw new CheckpointException(where + ": tensor '" + name + "' data range [" + begin + ", " + end
          + ") is past the end of the file (" + fileSize + " bytes); the file is truncated");
    }
    int width = DTypes.width(dtype);
    if (width == 0) {
      throw new CheckpointException(where + ": tensor '" + name + "' has unsupported dtype " + dtype
          + " (supported: F32, F16, BF16, F64, I64, I32)");
    }
    if (end - begin != count * width) {
      throw new CheckpointException(where + ": tensor '" + name + "' holds " + (end - begin)
          + " bytes but " + dtype + " " + Arrays.toString(shape) + " needs " + count * width);
    }
    ByteBuffer raw = source.slice(begin, end - begin);
    return new Tensor(name, shape, DTypes.toFloat32(dtype, raw, Math.toIntExact(count)));
  }
}

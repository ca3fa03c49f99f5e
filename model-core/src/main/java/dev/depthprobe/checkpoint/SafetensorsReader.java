package dev.depthprobe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the safetensors format: an 8-byte little-endian header length, a JSON header mapping each
 * tensor to its dtype, shape and byte range, then the raw data. F32 tensors stay views of the file
 * (memory-mapped) or of the buffer; F16, BF16, F64, I64 and I32 are widened to float32. Refused, in one
 * line naming the file: a header longer than 100 MiB, a dimension that is negative or not an integer, a
 * shape whose size overflows or does not match its byte range, a range outside the data section, two
 * ranges that overlap.
 */
public final class SafetensorsReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L << 20;
  /** The most elements one tensor may have: a Java array's. */
  private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
  /** The bytes one memory map covers while a file is hashed. */
  private static final long HASH_CHUNK = 256L << 20;

  private SafetensorsReader() {}

  /** A tensor's header entry, checked: its byte range is {@code [begin, end)} of the file. */
  private record Entry(String name, String dtype, long[] shape, int count, long begin, long end) {}

  /** A byte range of the file or buffer being read: a memory map, or a slice of memory. */
  @FunctionalInterface
  private interface Slicer {
    ByteBuffer slice(long begin, long length) throws IOException;
  }

  public static Map<String, Tensor> read(Path file) {
    return read(file, null);
  }

  /**
   * Reads {@code file} and, unless {@code hash} is null, adds all its bytes to {@code hash} (after
   * {@link ContentHash#file}) through memory maps of the file, whose pages the tensors' own maps share: the file is
   * read once.
   */
  static Map<String, Tensor> read(Path file, ContentHash hash) {
    String where = file.toString();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      Slicer map = (begin, length) -> ch.map(FileChannel.MapMode.READ_ONLY, begin, length);
      Map<String, Tensor> tensors = guarded(where, () -> tensors(entries(where, size, map), map));
      if (hash != null) {
        for (long begin = 0; begin < size; begin += HASH_CHUNK) {
          hash.update(map.slice(begin, Math.min(HASH_CHUNK, size - begin)));
        }
      }
      return tensors;
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
      Slicer slicer = (begin, length) -> all.slice((int) begin, (int) length);
      return guarded(where, () -> tensors(entries(where, all.remaining(), slicer), slicer));
    } catch (IOException e) {
      throw new CheckpointException(where + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Each tensor's shape, with the checks {@link #read} makes of the header (shapes, dtypes, byte ranges) but
   * without the tensors' data: only the header is read.
   */
  static Map<String, long[]> check(Path file) {
    String where = file.toString();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Slicer map = (begin, length) -> ch.map(FileChannel.MapMode.READ_ONLY, begin, length);
      return guarded(where, () -> {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        entries(where, ch.size(), map).forEach(e -> shapes.put(e.name(), e.shape()));
        return shapes;
      });
    } catch (IOException e) {
      throw new CheckpointException(where + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /** A reading step. */
  @FunctionalInterface
  private interface Step<T> {
    T run() throws IOException;
  }

  /** Any failure inside, down to a StackOverflowError or OutOfMemoryError, is the file's one-line error. */
  private static <T> T guarded(String where, Step<T> step) throws IOException {
    try {
      return step.run();
    } catch (CheckpointException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      throw ReaderFailure.of(where, "corrupt safetensors file", e);
    }
  }

  private static Map<String, Tensor> tensors(List<Entry> entries, Slicer source) throws IOException {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Entry e : entries) {
      ByteBuffer raw = source.slice(e.begin(), e.end() - e.begin());
      out.put(e.name(), new Tensor(e.name(), e.shape(), DTypes.toFloat32(e.dtype(), raw, e.count())));
    }
    return out;
  }

  /** The header's tensor entries, in its order, each checked, and their ranges checked to be disjoint. */
  private static List<Entry> entries(String where, long size, Slicer source) throws IOException {
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
    List<Entry> entries = new ArrayList<>();
    Map<String, long[]> ranges = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      Entry entry = entry(where, e.getKey(), e.getValue(), dataStart, size);
      entries.add(entry);
      ranges.put(entry.name(), new long[] {entry.begin() - dataStart, entry.end() - dataStart});
    }
    requireDisjoint(where, ranges);
    return entries;
  }

  private static Entry entry(String where, String name, JsonNode info, long dataStart, long fileSize) {
    String dtype = info.path("dtype").asText();
    JsonNode shapeNode = info.path("shape");
    JsonNode offsets = info.path("data_offsets");
    if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
      throw new CheckpointException(where + ": corrupt safetensors header entry for '" + name + "'");
    }
    long[] shape = new long[shapeNode.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      JsonNode dim = shapeNode.get(i);
      if (!dim.isIntegralNumber() || !dim.canConvertToLong() || dim.longValue() < 0) {
        throw new CheckpointException(where + ": tensor '" + name + "' has shape " + shapeNode
            + " (dimensions must be non-negative integers)");
      }
      shape[i] = dim.longValue();
      count = multiply(count, shape[i], where, name, shapeNode);
    }
    long dataSize = fileSize - dataStart;
    for (JsonNode offset : offsets) {
      if (!offset.isIntegralNumber() || !offset.canConvertToLong() || offset.longValue() < 0) {
        throw new CheckpointException(where + ": corrupt safetensors header entry for '" + name
            + "' (data_offsets " + offsets + ")");
      }
    }
    if (offsets.get(0).longValue() > offsets.get(1).longValue()) {
      throw new CheckpointException(where + ": corrupt safetensors header entry for '" + name
          + "' (data_offsets " + offsets + ")");
    }
    if (offsets.get(1).longValue() > dataSize) {
      throw new CheckpointException(where + ": tensor '" + name + "' data range " + offsets
          + " is past the end of the file (" + dataSize + " bytes of data); the file is truncated");
    }
    long begin = dataStart + offsets.get(0).longValue();
    long end = dataStart + offsets.get(1).longValue();
    int width = DTypes.width(dtype);
    if (width == 0) {
      throw new CheckpointException(where + ": tensor '" + name + "' has unsupported dtype " + dtype
          + " (supported: F32, F16, BF16, F64, I64, I32)");
    }
    long needed = multiply(count, width, where, name, shapeNode);
    if (end - begin != needed) {
      throw new CheckpointException(where + ": tensor '" + name + "' holds " + (end - begin)
          + " bytes but " + dtype + " " + Arrays.toString(shape) + " needs " + needed);
    }
    if (count > MAX_ELEMENTS) {
      throw new CheckpointException(where + ": tensor '" + name + "' has " + count + " elements, more than the "
          + MAX_ELEMENTS + " one tensor may hold here");
    }
    return new Entry(name, dtype, shape, (int) count, begin, end);
  }

  private static long multiply(long a, long b, String where, String name, JsonNode shape) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw new CheckpointException(where + ": tensor '" + name + "' has shape " + shape
          + ", whose size does not fit in 64 bits");
    }
  }

  /** Refuses two tensors whose byte ranges overlap (the safetensors format requires disjoint ranges). */
  private static void requireDisjoint(String where, Map<String, long[]> ranges) {
    List<Map.Entry<String, long[]>> sorted = new ArrayList<>(ranges.entrySet());
    sorted.removeIf(e -> e.getValue()[0] == e.getValue()[1]);
    sorted.sort(Comparator.comparingLong(e -> e.getValue()[0]));
    for (int i = 1; i < sorted.size(); i++) {
      Map.Entry<String, long[]> previous = sorted.get(i - 1);
      Map.Entry<String, long[]> next = sorted.get(i);
      if (next.getValue()[0] < previous.getValue()[1]) {
        throw new CheckpointException(where + ": tensors '" + previous.getKey() + "' and '" + next.getKey()
            + "' have overlapping data ranges " + Arrays.toString(previous.getValue()) + " and "
            + Arrays.toString(next.getValue()));
      }
    }
  }
}

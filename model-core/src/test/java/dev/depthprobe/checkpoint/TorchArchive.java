package dev.depthprobe.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds archives in torch.save's zip layout for tests: {@code archive/data.pkl} (a protocol-2 pickle of
 * a dict of {@code _rebuild_tensor_v2} calls), {@code archive/data/<key>} storages, {@code archive/byteorder}.
 */
final class TorchArchive {
  private record View(String name, String storageType, String key, long numel, long offset, long[] size,
      long[] stride, boolean parameter) {}

  private final List<View> views = new ArrayList<>();
  private final Map<String, byte[]> storages = new LinkedHashMap<>();
  private String byteOrder = "little";
  private boolean orderedDictWithMetadata;

  /** A float32 archive with one contiguous storage per tensor, as torch.save writes a state dict. */
  static TorchArchive of(Map<String, Tensor> tensors) {
    TorchArchive archive = new TorchArchive();
    int key = 0;
    for (Tensor t : tensors.values()) {
      String k = Integer.toString(key++);
      archive.storage(k, float32(ByteOrder.LITTLE_ENDIAN, t.toArray()));
      archive.tensor(t.name(), "FloatStorage", k, t.size(), 0, t.shape(), cStrides(t.shape()));
    }
    return archive;
  }

  TorchArchive storage(String key, byte[] bytes) {
    storages.put(key, bytes);
    return this;
  }

  TorchArchive tensor(String name, String storageType, String key, long numel, long offset, long[] size,
      long[] stride) {
    views.add(new View(name, storageType, key, numel, offset, size, stride, false));
    return this;
  }

  /** Like {@link #tensor}, wrapped in {@code torch._utils._rebuild_parameter} as nn.Parameter pickles. */
  TorchArchive parameter(String name, String storageType, String key, long numel, long offset, long[] size,
      long[] stride) {
    views.add(new View(name, storageType, key, numel, offset, size, stride, true));
    return this;
  }

  TorchArchive byteOrder(String order) {
    byteOrder = order;
    return this;
  }

  /** Pickle the dict as an OrderedDict carrying {@code _metadata}, as {@code model.state_dict()} does. */
  TorchArchive orderedDictWithMetadata() {
    orderedDictWithMetadata = true;
    return this;
  }

  byte[] pickle() {
    PickleWriter p = new PickleWriter().proto(2);
    if (orderedDictWithMetadata) {
      p.global("collections", "OrderedDict").emptyTuple().reduce();
    } else {
      p.emptyDict();
    }
    p.mark();
    for (View v : views) {
      p.str(v.name());
      if (v.parameter()) {
        p.global("torch._utils", "_rebuild_parameter").mark();
      }
      p.global("torch._utils", "_rebuild_tensor_v2").mark();
      p.mark().str("storage").global("torch", v.storageType()).str(v.key()).str("cpu").integer(v.numel()).tuple()
          .binpersid();
      p.integer(v.offset()).ints(v.size()).ints(v.stride()).newFalse()
          .global("collections", "OrderedDict").emptyTuple().reduce()
          .tuple().reduce();
      if (v.parameter()) {
        p.newFalse().global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
      }
    }
    p.setitems();
    if (orderedDictWithMetadata) {
      p.emptyDict().str("_metadata").global("collections", "OrderedDict").emptyTuple().reduce()
          .str("").emptyDict().str("version").integer(1).setitem().setitem().setitem().build();
    }
    return p.stop().bytes();
  }

  void write(Path file) throws IOException {
    write(file, pickle());
  }

  /** Writes the archive with {@code pickle} as its data.pkl. */
  void write(Path file, byte[] pickle) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("archive/data.pkl", pickle);
    entries.put("archive/byteorder", byteOrder.getBytes(StandardCharsets.US_ASCII));
    storages.forEach((key, bytes) -> entries.put("archive/data/" + key, bytes));
    entries.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    writeZip(file, entries);
  }

  /** A zip of uncompressed entries, as torch.save writes. */
  static void writeZip(Path file, Map<String, byte[]> entries) throws IOException {
    try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(e.getValue().length);
        CRC32 crc = new CRC32();
        crc.update(e.getValue());
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
  }

  /**
   * Rewrites the central directory's sizes of the stored entry {@code name} to {@code size}: a declared size that
   * the bytes in the file need not back (Java's ZipFile does not check it).
   */
  static void declareStoredSize(Path file, String name, int size) throws IOException {
    byte[] zip = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at + 46 <= zip.length; at++) {
      if (b.getInt(at) == 0x02014b50 && b.getShort(at + 28) == wanted.length
          && Arrays.equals(zip, at + 46, at + 46 + wanted.length, wanted, 0, wanted.length)) {
        b.putInt(at + 20, size); // compressed size
        b.putInt(at + 24, size); // uncompressed size
        Files.write(file, zip);
        return;
      }
    }
    throw new IllegalArgumentException("no central directory entry '" + name + "' in " + file);
  }

  static byte[] float32(ByteOrder order, float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(order);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  static long[] cStrides(long[] shape) {
    long[] stride = new long[shape.length];
    long s = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      stride[d] = s;
      s *= shape[d];
    }
    return stride;
  }
}

package dev.depthprobe.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@code pytorch_model.bin} written by {@code torch.save} (the zip format of PyTorch 1.6 and
 * later), as transformers' {@code load_state_dict} does through {@code torch.load(weights_only=True)}.
 * The archive holds {@code <prefix>/data.pkl}, a pickle of the state dict in which each tensor is
 * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)} and each storage a
 * persistent id {@code ('storage', torch.FloatStorage, key, location, numel)} whose bytes are the
 * entry {@code <prefix>/data/<key>}. Every tensor comes back as float32 in C order.
 */
public final class PytorchBinReader {
  private static final Logger LOG = LoggerFactory.getLogger(PytorchBinReader.class);

  /** torch's typed storage classes and the element type each holds (safetensors names). */
  private static final Map<String, String> STORAGE_DTYPES = Map.of(
      "FloatStorage", "F32",
      "HalfStorage", "F16",
      "BFloat16Storage", "BF16",
      "DoubleStorage", "F64",
      "LongStorage", "I64",
      "IntStorage", "I32");

  /** The most bytes {@code data.pkl} may expand to; a state dict of 10,000 tensors pickles to about 2 MB. */
  static final int MAX_PICKLE_BYTES = 16 << 20;
  private static final int MAX_DIMENSIONS = 64;
  /**
   * How many times the archive's own size its storages may inflate to in all. torch.save stores them
   * uncompressed (one time); more than this is a zip bomb, refused before its bytes are allocated.
   */
  static final int MAX_INFLATION = 8;

  private PytorchBinReader() {}

  /** A {@code torch.XxxStorage} class named by the pickle. */
  private record StorageType(String name, String dtype) {}

  /** A storage's elements widened to float32 ({@code null} where only the archive's structure is checked). */
  private record Storage(String entry, long numel, FloatBuffer floats) {}

  /** What {@code _rebuild_tensor_v2} returns: a strided view of a storage, in elements. */
  private record View(Storage storage, long offset, long[] size, long[] stride) {}

  /**
   * The archive's tensors. Any failure inside, down to a StackOverflowError or an OutOfMemoryError, is the
   * file's one-line {@link CheckpointException}.
   */
  public static Map<String, Tensor> read(Path file) {
    return guarded(file, () -> {
      Map<String, Tensor> out = new LinkedHashMap<>();
      readArchive(file, true).forEach((name, view) -> out.put(name,
          new Tensor(name, view.size().clone(), materialise(view))));
      return out;
    });
  }

  /**
   * Each tensor's shape, with the checks {@link #read} makes of the archive's structure but without the tensors'
   * data: the pickle is read and run, the views checked against their storages; a storage entry counts at its
   * declared size where it is stored (as torch.save writes it), and is read (counted, not kept) where it is
   * compressed, so that a zip bomb is refused as {@link #read} refuses it.
   */
  static Map<String, long[]> check(Path file) {
    return guarded(file, () -> {
      Map<String, long[]> out = new LinkedHashMap<>();
      readArchive(file, false).forEach((name, view) -> out.put(name, view.size().clone()));
      return out;
    });
  }

  /** Any failure inside, down to a StackOverflowError or an OutOfMemoryError, as the file's one-line error. */
  private static <T> T guarded(Path file, Supplier<T> reader) {
    try {
      return reader.get();
    } catch (CheckpointException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      throw ReaderFailure.of(file.toString(), "corrupt pytorch_model.bin", e);
    }
  }

  /** The state dict's views, checked; with {@code load}, their storages hold the elements. */
  private static Map<String, View> readArchive(Path file, boolean load) {
    String where = file.toString();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry pickle = pickleEntry(zip, where);
      String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
      ByteOrder order = byteOrder(zip, prefix, where);
      Map<String, Storage> storages = new HashMap<>();
      Map<String, Object> globals = globals(where);
      long[] inflateBudget = {MAX_INFLATION * Files.size(file)};
      PickleMachine machine = new PickleMachine(where + " (" + pickle.getName() + ")",
          key -> findClass(globals, key, where),
          pid -> storage(zip, prefix, order, where, storages, inflateBudget, load, pid));
      Object root = machine.load(readEntry(zip, pickle, where, MAX_PICKLE_BYTES));
      Map<String, View> out = views(root, where);
      LOG.debug("{} {} tensors ({} storages) of {}", load ? "Read" : "Checked", out.size(), storages.size(), where);
      return out;
    } catch (ZipException e) {
      throw new CheckpointException(where + ": not a zip archive (" + e.getMessage() + "); the file is "
          + (startsLikeLegacyPickle(file) ? "in the legacy pre-1.6 torch.save format, which is not supported"
              : "truncated or corrupt"), e);
    } catch (IOException e) {
      throw new CheckpointException(where + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  private static Map<String, Object> globals(String where) {
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("collections.OrderedDict", (PickleMachine.PyCallable) args -> new LinkedHashMap<>());
    g.put("torch._utils._rebuild_tensor_v2", (PickleMachine.PyCallable) args -> view(args, where));
    g.put("torch._utils._rebuild_parameter", (PickleMachine.PyCallable) args -> args.get(0));
    STORAGE_DTYPES.forEach((name, dtype) -> g.put("torch." + name, new StorageType(name, dtype)));
    return g;
  }

  private static Object findClass(Map<String, Object> globals, String key, String where) {
    if (!globals.containsKey(key) && key.startsWith("torch.") && key.endsWith("Storage")) {
      throw new CheckpointException(where + ": unsupported storage type " + key + " (supported: "
          + String.join(", ", new TreeSet<>(STORAGE_DTYPES.keySet())) + ")");
    }
    return globals.get(key);
  }

  /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
  private static View view(List<Object> args, String where) {
    if (args.size() < 4 || !(args.get(0) instanceof Storage storage)) {
      throw new CheckpointException(where + ": corrupt pickle (_rebuild_tensor_v2 called with " + args.size()
          + " arguments, the first not a storage)");
    }
    if (!(args.get(1) instanceof Long offset)) {
      throw new CheckpointException(where + ": corrupt pickle (_rebuild_tensor_v2 with storage offset "
          + describe(args.get(1)) + ", not an int)");
    }
    return new View(storage, offset, longs(args.get(2), "size", where), longs(args.get(3), "stride", where));
  }

  private static long[] longs(Object tuple, String what, String where) {
    if (!(tuple instanceof List<?> items) || items.size() > MAX_DIMENSIONS
        || !items.stream().allMatch(v -> v instanceof Long)) {
      throw new CheckpointException(where + ": corrupt pickle (_rebuild_tensor_v2 with " + what + " "
          + describe(tuple) + ", not a tuple of at most " + MAX_DIMENSIONS + " ints)");
    }
    return items.stream().mapToLong(v -> (Long) v).toArray();
  }

  /** A pickled value for a message: its type, and its value where that is a number or short text. */
  private static String describe(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof String text) {
      return text.length() > 40 || text.chars().anyMatch(Character::isISOControl) ? "a str" : "'" + text + "'";
    }
    return "a " + PickleMachine.pythonType(value);
  }

  /**
   * @param inflateBudget the bytes the storages may still inflate to, decreased as they are read
   * @param load whether to read the elements, or only the bytes' count (a stored entry's declared size)
   */
  private static Storage storage(ZipFile zip, String prefix, ByteOrder order, String where,
      Map<String, Storage> storages, long[] inflateBudget, boolean load, Object pid) {
    if (!(pid instanceof List<?> id) || id.size() != 5 || !"storage".equals(id.get(0))
        || !(id.get(1) instanceof StorageType type) || !(id.get(2) instanceof String key)
        || !(id.get(4) instanceof Long numel) || numel < 0) {
      throw new CheckpointException(where + ": corrupt pickle (unexpected persistent id: " + describe(pid) + ")");
    }
    Storage known = storages.get(key);
    if (known != null) {
      return known;
    }
    String name = prefix + "data/" + key;
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw new CheckpointException(where + ": storage entry '" + name + "' is missing from the archive");
    }
    int width = DTypes.width(type.dtype());
    if (numel > (Integer.MAX_VALUE - 8) / width) {
      throw new CheckpointException(where + ": storage entry '" + name + "' is declared as " + numel + " elements "
          + "of " + type.name() + ", more than the 2 GB this reader can hold; save the checkpoint as safetensors");
    }
    int needed = (int) (numel * width);
    int limit = (int) Math.min(needed, inflateBudget[0]);
    byte[] bytes = load ? readStorage(zip, entry, where, limit) : null;
    long length = load ? bytes.length : storedLength(zip, entry, where, limit);
    inflateBudget[0] -= length;
    if (length == limit && limit < needed) {
      throw new CheckpointException(where + ": storage entries inflate to more than " + MAX_INFLATION
          + " times the archive's size (at '" + name + "'); torch.save stores them uncompressed, so this is "
          + "refused as a zip bomb");
    }
    if (length < needed) {
      throw new CheckpointException(where + ": storage entry '" + name + "' holds " + length
          + " bytes but a " + type.name() + " of " + numel + " elements needs " + needed
          + "; the file is truncated");
    }
    FloatBuffer floats = load ? DTypes.toFloat32(type.dtype(), ByteBuffer.wrap(bytes), (int) (long) numel, order)
        : null;
    Storage storage = new Storage(name, numel, floats);
    storages.put(key, storage);
    return storage;
  }

  /** At most {@code needed} bytes of a storage entry, counted as they are read (bytes past them are ignored). */
  private static byte[] readStorage(ZipFile zip, ZipEntry entry, String where, int needed) {
    try (InputStream in = zip.getInputStream(entry)) {
      return in.readNBytes(needed);
    } catch (IOException e) {
      throw corruptEntry(where, entry, e);
    }
  }

  /**
   * At most {@code limit} of a storage entry's bytes, counted without keeping them: a stored entry's declared size
   * where its last byte needed is in the file (stored bytes cannot expand; ZipFile does not check the size against
   * the file), else and for a compressed entry the bytes read.
   */
  private static long storedLength(ZipFile zip, ZipEntry entry, String where, int limit) {
    if (entry.getMethod() == ZipEntry.STORED && entry.getSize() >= 0) {
      long declared = Math.min(entry.getSize(), limit);
      if (declared == 0 || lastByteIsThere(zip, entry, where, declared)) {
        return declared;
      }
    }
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] buffer = new byte[1 << 16];
      long count = 0;
      for (int n = 0; n >= 0 && count < limit; n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - count))) {
        count += n;
      }
      return count;
    } catch (IOException e) {
      throw corruptEntry(where, entry, e);
    }
  }

  private static boolean lastByteIsThere(ZipFile zip, ZipEntry entry, String where, long length) {
    try (InputStream in = zip.getInputStream(entry)) {
      return in.skip(length - 1) == length - 1 && in.read() >= 0;
    } catch (IOException e) {
      throw corruptEntry(where, entry, e);
    }
  }

  private static CheckpointException corruptEntry(String where, ZipEntry entry, IOException e) {
    return new CheckpointException(where + ": corrupt zip entry '" + entry.getName() + "' (" + e.getMessage() + ")", e);
  }

  private static Map<String, View> views(Object root, String where) {
    if (!(root instanceof Map<?, ?> dict)) {
      throw new CheckpointException(where + ": holds " + describe(root) + ", not a state dict of tensors");
    }
    Map<String, View> out = new LinkedHashMap<>();
    dict.forEach((k, v) -> {
      if (!(k instanceof String name) || !(v instanceof View view)) {
        throw new CheckpointException(where + ": state dict entry " + describe(k) + " is " + describe(v)
            + ", not a tensor");
      }
      checkLayout(view, name, where);
      out.put(name, view);
    });
    return out;
  }

  /** Refuses a view whose layout is corrupt or reaches outside its storage. */
  private static void checkLayout(View view, String name, String where) {
    long[] size = view.size();
    long[] stride = view.stride();
    Storage storage = view.storage();
    if (size.length != stride.length || view.offset() < 0 || Arrays.stream(size).anyMatch(n -> n < 0)
        || Arrays.stream(stride).anyMatch(s -> s < 0)) {
      throw new CheckpointException(where + ": tensor '" + name + "' has a corrupt layout (offset "
          + view.offset() + ", size " + Arrays.toString(size) + ", stride " + Arrays.toString(stride) + ")");
    }
    long count = 1;
    for (long n : size) {
      count = n == 0 || count <= storage.numel() / n ? count * n : Long.MAX_VALUE;
    }
    if (count == 0) {
      return;
    }
    if (count > storage.numel()) {
      // refused before allocating: a view larger than its storage repeats elements (stride 0) or is corrupt
      throw new CheckpointException(where + ": tensor '" + name + "' of size " + Arrays.toString(size)
          + " views more elements than storage '" + storage.entry() + "' holds (" + storage.numel()
          + "); a view may not expand its storage");
    }
    long last = view.offset();
    for (int d = 0; d < size.length; d++) {
      last = (size[d] - 1) > (Long.MAX_VALUE - last) / Math.max(stride[d], 1) ? Long.MAX_VALUE
          : last + (size[d] - 1) * stride[d];
    }
    if (last >= storage.numel()) {
      throw new CheckpointException(where + ": tensor '" + name + "' reads element " + last + " of storage '"
          + storage.entry() + "', which holds only " + storage.numel() + " elements; the file is corrupt");
    }
  }

  /** A checked view's elements in C order; a contiguous view shares the storage's buffer. */
  private static FloatBuffer materialise(View view) {
    long[] size = view.size();
    long[] stride = view.stride();
    long count = Arrays.stream(size).reduce(1, (a, b) -> a * b);
    if (count == 0) {
      return FloatBuffer.allocate(0);
    }
    FloatBuffer src = view.storage().floats().duplicate();
    int offset = (int) view.offset();
    if (isContiguous(size, stride)) {
      return src.position(offset).limit(offset + (int) count).slice();
    }
    float[] out = new float[(int) count];
    int[] index = new int[size.length];
    long at = offset;
    for (int i = 0; i < out.length; i++) {
      out[i] = src.get((int) at);
      for (int d = size.length - 1; d >= 0; d--) {
        index[d]++;
        at += stride[d];
        if (index[d] < size[d]) {
          break;
        }
        at -= stride[d] * size[d];
        index[d] = 0;
      }
    }
    return FloatBuffer.wrap(out);
  }

  /** C-order strides, ignoring dimensions of size 1 (whose stride PyTorch leaves arbitrary). */
  private static boolean isContiguous(long[] size, long[] stride) {
    long expected = 1;
    for (int d = size.length - 1; d >= 0; d--) {
      if (size[d] != 1 && stride[d] != expected) {
        return false;
      }
      expected *= size[d];
    }
    return true;
  }

  private static ZipEntry pickleEntry(ZipFile zip, String where) {
    for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
      ZipEntry entry = e.nextElement();
      if (entry.getName().endsWith("/data.pkl") || entry.getName().equals("data.pkl")) {
        return entry;
      }
    }
    throw new CheckpointException(where + ": zip archive without a data.pkl entry (not written by torch.save)");
  }

  private static ByteOrder byteOrder(ZipFile zip, String prefix, String where) {
    ZipEntry entry = zip.getEntry(prefix + "byteorder");
    if (entry == null) {
      return ByteOrder.LITTLE_ENDIAN; // archives from PyTorch before 1.11 have no byteorder record
    }
    String text = new String(readEntry(zip, entry, where, 16), StandardCharsets.US_ASCII).trim();
    return switch (text) {
      case "little" -> ByteOrder.LITTLE_ENDIAN;
      case "big" -> ByteOrder.BIG_ENDIAN;
      default -> throw new CheckpointException(where + ": unknown byte order '" + text + "' in '"
          + entry.getName() + "'");
    };
  }

  /**
   * The entry's bytes, counted as they are inflated (the sizes the zip declares are not trusted): at most
   * {@code limit}, else the entry is refused.
   */
  private static byte[] readEntry(ZipFile zip, ZipEntry entry, String where, int limit) {
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] bytes = in.readNBytes(limit);
      if (in.read() >= 0) {
        throw new CheckpointException(where + ": zip entry '" + entry.getName() + "' expands to more than "
            + limit + " bytes, more than it can hold; refused");
      }
      return bytes;
    } catch (IOException e) {
      throw corruptEntry(where, entry, e);
    }
  }

  /** torch.save before 1.6 wrote a bare pickle stream that starts with protocol 2. */
  private static boolean startsLikeLegacyPickle(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(2);
      return head.length == 2 && (head[0] & 0xff) == 0x80 && head[1] == 2;
    } catch (IOException e) {
      return false;
    }
  }
}

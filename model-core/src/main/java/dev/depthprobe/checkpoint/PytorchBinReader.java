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

  private PytorchBinReader() {}

  /** A {@code torch.XxxStorage} class named by the pickle. */
  private record StorageType(String name, String dtype) {}

  /** A storage's elements widened to float32. */
  private record Storage(String entry, long numel, FloatBuffer floats) {}

  /** What {@code _rebuild_tensor_v2} returns: a strided view of a storage, in elements. */
  private record View(Storage storage, long offset, long[] size, long[] stride) {}

  public static Map<String, Tensor> read(Path file) {
    String where = file.toString();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry pickle = pickleEntry(zip, where);
      String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
      ByteOrder order = byteOrder(zip, prefix, where);
      Map<String, Storage> storages = new HashMap<>();
      Map<String, Object> globals = globals(where);
      PickleMachine machine = new PickleMachine(where + " (" + pickle.getName() + ")",
          key -> findClass(globals, key, where),
          pid -> storage(zip, prefix, order, where, storages, pid));
      Object root = machine.load(readEntry(zip, pickle, where));
      Map<String, Tensor> out = tensors(root, where);
      LOG.debug("Read {} tensors ({} storages) from {}", out.size(), storages.size(), where);
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
    return new View(storage, (Long) args.get(1), longs(args.get(2)), longs(args.get(3)));
  }

  private static long[] longs(Object tuple) {
    return ((List<?>) tuple).stream().mapToLong(v -> (Long) v).toArray();
  }

  private static Storage storage(ZipFile zip, String prefix, ByteOrder order, String where,
      Map<String, Storage> storages, Object pid) {
    if (!(pid instanceof List<?> id) || id.size() != 5 || !"storage".equals(id.get(0))
        || !(id.get(1) instanceof StorageType type) || !(id.get(2) instanceof String key)
        || !(id.get(4) instanceof Long numel) || numel < 0) {
      throw new CheckpointException(where + ": corrupt pickle (unexpected persistent id " + pid + ")");
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
    long needed = numel * width;
    if (entry.getSize() > Integer.MAX_VALUE - 8 || needed > Integer.MAX_VALUE - 8) {
      throw new CheckpointException(where + ": storage entry '" + name + "' is larger than 2 GB, which this "
          + "reader cannot hold; save the checkpoint as safetensors");
    }
    byte[] bytes = readEntry(zip, entry, where);
    if (bytes.length < needed) {
      throw new CheckpointException(where + ": storage entry '" + name + "' holds " + bytes.length
          + " bytes but a " + type.name() + " of " + numel + " elements needs " + needed
          + "; the file is truncated");
    }
    FloatBuffer floats = DTypes.toFloat32(type.dtype(), ByteBuffer.wrap(bytes), (int) (long) numel, order);
    Storage storage = new Storage(name, numel, floats);
    storages.put(key, storage);
    return storage;
  }

  private static Map<String, Tensor> tensors(Object root, String where) {
    if (!(root instanceof Map<?, ?> dict)) {
      throw new CheckpointException(where + ": holds a " + typeName(root) + ", not a state dict of tensors");
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    dict.forEach((k, v) -> {
      if (!(k instanceof String name) || !(v instanceof View view)) {
        throw new CheckpointException(where + ": state dict entry " + k + " is a " + typeName(v)
            + ", not a tensor");
      }
      out.put(name, new Tensor(name, view.size().clone(), materialise(view, name, where)));
    });
    return out;
  }

  /** The view's elements in C order; a contiguous view shares the storage's buffer. */
  private static FloatBuffer materialise(View view, String name, String where) {
    long[] size = view.size();
    long[] stride = view.stride();
    long count = Arrays.stream(size).reduce(1, Math::multiplyExact);
    if (size.length != stride.length || view.offset() < 0 || Arrays.stream(stride).anyMatch(s -> s < 0)) {
      throw new CheckpointException(where + ": tensor '" + name + "' has a corrupt layout (offset "
          + view.offset() + ", size " + Arrays.toString(size) + ", stride " + Arrays.toString(stride) + ")");
    }
    if (count == 0) {
      return FloatBuffer.allocate(0);
    }
    long last = view.offset();
    for (int d = 0; d < size.length; d++) {
      last += (size[d] - 1) * stride[d];
    }
    Storage storage = view.storage();
    if (last >= storage.numel()) {
      throw new CheckpointException(where + ": tensor '" + name + "' reads element " + last + " of storage '"
          + storage.entry() + "', which holds only " + storage.numel() + " elements; the file is corrupt");
    }
    FloatBuffer src = storage.floats().duplicate();
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
    String text = new String(readEntry(zip, entry, where), StandardCharsets.US_ASCII).trim();
    return switch (text) {
      case "little" -> ByteOrder.LITTLE_ENDIAN;
      case "big" -> ByteOrder.BIG_ENDIAN;
      default -> throw new CheckpointException(where + ": unknown byte order '" + text + "' in '"
          + entry.getName() + "'");
    };
  }

  private static byte[] readEntry(ZipFile zip, ZipEntry entry, String where) {
    try (InputStream in = zip.getInputStream(entry)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new CheckpointException(where + ": corrupt zip entry '" + entry.getName() + "' ("
          + e.getMessage() + ")", e);
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

  private static String typeName(Object value) {
    return value == null ? "None" : value.getClass().getSimpleName();
  }
}

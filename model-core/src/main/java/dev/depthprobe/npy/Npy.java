package dev.depthprobe.npy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes NumPy {@code .npy} files (format 1.0-3.0, little-endian, C order). */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  private Npy() {}

  public static NpyArray read(Path file) throws IOException {
    return read(Files.readAllBytes(file), file.toString());
  }

  public static NpyArray read(InputStream in, String name) throws IOException {
    return read(in.readAllBytes(), name);
  }

  static NpyArray read(byte[] bytes, String name) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes.length <= i || bytes[i] != MAGIC[i]) {
        throw new IOException(name + ": not a .npy file (bad magic)");
      }
    }
    int major = bytes[6];
    if (bytes.length < (major == 1 ? 10 : 12)) {
      throw new IOException(name + ": truncated .npy file (" + bytes.length + " bytes)");
    }
    int headerLen;
    int headerStart;
    if (major == 1) {
      headerLen = b.getShort(8) & 0xffff;
      headerStart = 10;
    } else {
      headerLen = b.getInt(8);
      headerStart = 12;
    }
    if (headerLen < 0 || headerLen > bytes.length - headerStart) {
      throw new IOException(name + ": truncated .npy file (a header of " + headerLen + " bytes in a file of "
          + bytes.length + ")");
    }
    String header = new String(bytes, headerStart, headerLen, StandardCharsets.ISO_8859_1);
    String descr = group(DESCR, header, name);
    if (group(FORTRAN, header, name).equals("True")) {
      throw new IOException(name + ": Fortran-order arrays are not supported");
    }
    if (descr.startsWith(">")) {
      throw new IOException(name + ": big-endian dtype " + descr + " is not supported");
    }
    String dtype = descr.startsWith("|") ? "<" + descr.substring(1) : descr;
    List<Long> dims = new ArrayList<>();
    for (String part : group(SHAPE, header, name).split(",")) {
      if (!part.isBlank()) {
        dims.add(Long.parseLong(part.trim()));
      }
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    int offset = headerStart + headerLen;
    requireData(shape, itemBytes(dtype, name), bytes.length - offset, name);
    ByteBuffer data = ByteBuffer.wrap(bytes, offset, bytes.length - offset).slice().order(ByteOrder.LITTLE_ENDIAN);
    return new NpyArray(dtype, shape, data);
  }

  /** The bytes of one value of a dtype such as {@code <f4} or {@code <u1}: its digits. */
  private static int itemBytes(String dtype, String name) throws IOException {
    int bytes;
    try {
      bytes = Integer.parseInt(dtype.substring(2));
    } catch (RuntimeException e) {
      bytes = 0;
    }
    if (bytes < 1) {
      throw new IOException(name + ": unsupported npy dtype " + dtype);
    }
    return bytes;
  }

  /**
   * The data must hold exactly the values the shape declares, checked before any array is sized by the header: a
   * header may declare billions of values in a file of a few bytes.
   */
  private static void requireData(long[] shape, int itemBytes, long dataBytes, String name) throws IOException {
    long values = 1;
    for (long dim : shape) {
      if (dim < 0 || (dim > 0 && values > Long.MAX_VALUE / itemBytes / dim)) {
        throw new IOException(name + ": npy shape " + Arrays.toString(shape) + " is not a size");
      }
      values *= dim;
    }
    if (values * itemBytes != dataBytes) {
      throw new IOException(name + ": npy shape " + Arrays.toString(shape) + " needs " + values * itemBytes
          + " bytes of data, the file holds " + dataBytes);
    }
  }

  private static String group(Pattern p, String header, String name) throws IOException {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new IOException(name + ": malformed .npy header: " + header.trim());
    }
    return m.group(1);
  }

  public static void writeFloat(Path file, float[] values, long... shape) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    write(file, "<f4", shape, b.array());
  }

  public static void writeLong(Path file, long[] values, long... shape) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    write(file, "<i8", shape, b.array());
  }

  public static void write(Path file, String dtype, long[] shape, byte[] data) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      write(out, dtype, shape, data);
    }
  }

  public static void write(OutputStream out, String dtype, long[] shape, byte[] data) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String shapeText = shape.length == 1 ? "(" + shape[0] + ",)"
        : "(" + (shape.length == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
    String header = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
    int total = MAGIC.length + 4 + header.length() + 1;
    int pad = (64 - total % 64) % 64;
    header = header + " ".repeat(pad) + "\n";
    out.write(MAGIC);
    out.write(new byte[] {1, 0, (byte) (header.length() & 0xff), (byte) (header.length() >> 8)});
    out.write(header.getBytes(StandardCharsets.ISO_8859_1));
    out.write(data);
  }
}

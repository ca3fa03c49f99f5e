package dev.depthprobe.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** An array read from a NumPy {@code .npy} file: its dtype descriptor, shape and raw little-endian bytes. */
public record NpyArray(String dtype, long[] shape, ByteBuffer data) {

  public long size() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  public int dim(int i) {
    return (int) shape[i < 0 ? shape.length + i : i];
  }

  /** The values as float32, converting from any numeric dtype. */
  public float[] toFloatArray() {
    int n = Math.toIntExact(size());
    float[] out = new float[n];
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    switch (kind()) {
      case "f4" -> b.asFloatBuffer().get(out);
      case "f8" -> { for (int i = 0; i < n; i++) out[i] = (float) b.getDouble(i * 8); }
      case "i8" -> { for (int i = 0; i < n; i++) out[i] = b.getLong(i * 8); }
      case "i4" -> { for (int i = 0; i < n; i++) out[i] = b.getInt(i * 4); }
      case "u1" -> { for (int i = 0; i < n; i++) out[i] = b.get(i) & 0xff; }
      case "u2" -> { for (int i = 0; i < n; i++) out[i] = b.getShort(i * 2) & 0xffff; }
      default -> throw new IllegalStateException("cannot convert npy dtype " + dtype + " to float");
    }
    return out;
  }

  /** The values as int64; integer dtypes only. */
  public long[] toLongArray() {
    int n = Math.toIntExact(size());
    long[] out = new long[n];
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    switch (kind()) {
      case "i8" -> b.asLongBuffer().get(out);
      case "i4" -> { for (int i = 0; i < n; i++) out[i] = b.getInt(i * 4); }
      case "u1" -> { for (int i = 0; i < n; i++) out[i] = b.get(i) & 0xff; }
      case "u2" -> { for (int i = 0; i < n; i++) out[i] = b.getShort(i * 2) & 0xffff; }
      default -> throw new IllegalStateException("npy dtype " + dtype + " is not an integer type");
    }
    return out;
  }

  /** The values as unsigned bytes widened to int; uint8 only. */
  public int[] toUint8Array() {
    if (!kind().equals("u1")) {
      throw new IllegalStateException("npy dtype " + dtype + " is not uint8");
    }
    int n = Math.toIntExact(size());
    int[] out = new int[n];
    for (int i = 0; i < n; i++) out[i] = data.get(data.position() + i) & 0xff;
    return out;
  }

  private String kind() {
    return dtype.substring(1);
  }

  @Override
  public String toString() {
    return "NpyArray[" + dtype + " " + Arrays.toString(shape) + "]";
  }
}

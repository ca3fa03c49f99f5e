package dev.depthprobe.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Widens checkpoint element types (safetensors names: F32, F16, BF16, F64, I64, I32) to float32. */
final class DTypes {
  private DTypes() {}

  /** Bytes per element of {@code dtype}, or 0 when the dtype is not supported. */
  static int width(String dtype) {
    return switch (dtype) {
      case "F32", "I32" -> 4;
      case "F16", "BF16" -> 2;
      case "F64", "I64" -> 8;
      default -> 0;
    };
  }

  /** {@code raw} holds {@code count} little-endian elements of {@code dtype}. */
  static FloatBuffer toFloat32(String dtype, ByteBuffer raw, int count) {
    return toFloat32(dtype, raw, count, ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * {@code raw} holds {@code count} elements of {@code dtype} in byte {@code order}. F32 comes back
   * as a view of {@code raw} (no copy); every other type is converted into a new array.
   */
  static FloatBuffer toFloat32(String dtype, ByteBuffer raw, int count, ByteOrder order) {
    ByteBuffer b = raw.duplicate().order(order);
    if (dtype.equals("F32")) {
      return b.limit(b.position() + 4 * count).slice().order(order).asFloatBuffer();
    }
    int base = b.position();
    float[] out = new float[count];
    switch (dtype) {
      case "F16" -> { for (int i = 0; i < count; i++) out[i] = halfToFloat(b.getShort(base + 2 * i)); }
      case "BF16" -> { for (int i = 0; i < count; i++) out[i] = bfloat16ToFloat(b.getShort(base + 2 * i)); }
      case "F64" -> { for (int i = 0; i < count; i++) out[i] = (float) b.getDouble(base + 8 * i); }
      case "I64" -> { for (int i = 0; i < count; i++) out[i] = b.getLong(base + 8 * i); }
      case "I32" -> { for (int i = 0; i < count; i++) out[i] = b.getInt(base + 4 * i); }
      default -> throw new IllegalArgumentException("unsupported dtype " + dtype);
    }
    return FloatBuffer.wrap(out);
  }

  /** IEEE 754 binary16 to float32, exact (subnormals, infinities and NaN included). */
  static float halfToFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** bfloat16 is the upper half of a float32, so widening is a shift. */
  static float bfloat16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }
}

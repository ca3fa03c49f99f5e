package dev.depthprobe.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Widens checkpoint element types to float32. */
final class DTypes {
  private DTypes() {}

  /** {@code raw} holds {@code count} little-endian elements of {@code dtype} (safetensors names). */
  static FloatBuffer toFloat32(String dtype, ByteBuffer raw, int count) {
    ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (dtype.equals("F32")) {
      return b.asFloatBuffer();
    }
    float[] out = new float[count];
    switch (dtype) {
      case "F16" -> { for (int i = 0; i < count; i++) out[i] = halfToFloat(b.getShort(2 * i)); }
      case "BF16" -> { for (int i = 0; i < count; i++) out[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16); }
      case "F64" -> { for (int i = 0; i < count; i++) out[i] = (float) b.getDouble(8 * i); }
      case "I64" -> { for (int i = 0; i < count; i++) out[i] = b.getLong(8 * i); }
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
}

package dev.depthprobe.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DTypesTest {

  private static float half(int bits) {
    return DTypes.halfToFloat((short) bits);
  }

  private static float bf16(int bits) {
    return DTypes.bfloat16ToFloat((short) bits);
  }

  @Test
  void halfWidensSignedZerosSubnormalsExtremesInfinitiesAndNan() {
    assertEquals(0x00000000, Float.floatToRawIntBits(half(0x0000)));
    assertEquals(0x80000000, Float.floatToRawIntBits(half(0x8000)));
    assertEquals(0x1p-24f, half(0x0001));
    assertEquals(-0x1p-24f, half(0x8001));
    assertEquals(1023 * 0x1p-24f, half(0x03ff));
    assertEquals(0x1p-14f, half(0x0400));
    assertEquals(1.0f, half(0x3c00));
    assertEquals(-2.0f, half(0xc000));
    assertEquals(0.333251953125f, half(0x3555));
    assertEquals(65504f, half(0x7bff));
    assertEquals(Float.POSITIVE_INFINITY, half(0x7c00));
    assertEquals(Float.NEGATIVE_INFINITY, half(0xfc00));
    assertTrue(Float.isNaN(half(0x7e00)));
    assertTrue(Float.isNaN(half(0xfc01)));
  }

  @Test
  void halfWidensEveryFiniteBitPatternToItsExactValue() {
    for (int bits = 0; bits < 0x10000; bits++) {
      int exp = (bits >>> 10) & 0x1f;
      if (exp == 0x1f) {
        continue;
      }
      int mant = bits & 0x3ff;
      double magnitude = exp == 0 ? mant * Math.pow(2, -24) : (1024 + mant) * Math.pow(2, exp - 25);
      double expected = (bits & 0x8000) != 0 ? -magnitude : magnitude;
      assertEquals(expected, half(bits), 0.0, "bits 0x" + Integer.toHexString(bits));
    }
  }

  @Test
  void bfloat16WidensToTheUpperHalfOfFloat32() {
    assertEquals(1.0f, bf16(0x3f80));
    assertEquals(-2.0f, bf16(0xc000));
    assertEquals(3.140625f, bf16(0x4049));
    assertEquals(0x1p-133f, bf16(0x0001));
    assertEquals(0x80000000, Float.floatToRawIntBits(bf16(0x8000)));
    assertEquals(Float.POSITIVE_INFINITY, bf16(0x7f80));
    assertEquals(Float.NEGATIVE_INFINITY, bf16(0xff80));
    assertTrue(Float.isNaN(bf16(0x7fc0)));
  }
}

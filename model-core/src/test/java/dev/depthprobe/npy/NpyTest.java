package dev.depthprobe.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A .npy header is a claim about the data: the data must hold what it declares before any array is sized by it. */
class NpyTest {
  @TempDir
  Path dir;

  @Test
  void whatIsWrittenReadsBack() throws IOException {
    Path file = dir.resolve("a.npy");
    Npy.writeFloat(file, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);

    NpyArray array = Npy.read(file);

    assertArrayEquals(new long[] {2, 3}, array.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, array.toFloatArray());
  }

  @Test
  void aHeaderDeclaringMoreValuesThanTheFileHoldsIsRefusedBeforeAnyArrayIsSized() {
    // 40000 x 40000 float32: 6.4 GB declared in a file of a hundred bytes
    byte[] bomb = npy("<f4", "(40000, 40000)", new byte[16]);

    IOException e = assertThrows(IOException.class, () -> Npy.read(bomb, "bomb.npy"));

    assertEquals("bomb.npy: npy shape [40000, 40000] needs 6400000000 bytes of data, the file holds 16", e.getMessage());
  }

  @Test
  void negativeOrOverflowingShapesAndUnknownDtypesAreRefused() {
    IOException negative = assertThrows(IOException.class, () -> Npy.read(npy("<f4", "(-4, 1)", new byte[0]), "n.npy"));
    IOException overflow = assertThrows(IOException.class,
        () -> Npy.read(npy("<f8", "(4294967296, 4294967296)", new byte[0]), "o.npy"));
    IOException object = assertThrows(IOException.class, () -> Npy.read(npy("|O", "(1,)", new byte[8]), "x.npy"));

    assertEquals("n.npy: npy shape [-4, 1] is not a size", negative.getMessage());
    assertEquals("o.npy: npy shape [4294967296, 4294967296] is not a size", overflow.getMessage());
    assertEquals("x.npy: unsupported npy dtype <O", object.getMessage());
  }

  @Test
  void aHeaderLengthPastTheFileIsATruncation() {
    byte[] file = npy("<f4", "(1,)", new byte[4]);
    file[8] = (byte) 0xff; // header length 0x??ff
    file[9] = (byte) 0x7f;

    IOException e = assertThrows(IOException.class, () -> Npy.read(file, "t.npy"));

    assertEquals("t.npy: truncated .npy file (a header of 32767 bytes in a file of " + file.length + ")",
        e.getMessage());
  }

  /** A version 1.0 .npy file: magic, version, header length, the header dict padded with spaces, then {@code data}. */
  private static byte[] npy(String descr, String shape, byte[] data) {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int padded = (dict.length() + 10 + 1 + 63) / 64 * 64 - 10;
    String header = dict + " ".repeat(padded - dict.length() - 1) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.write(header.length() & 0xff);
    out.write(header.length() >> 8);
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(data);
    return out.toByteArray();
  }
}

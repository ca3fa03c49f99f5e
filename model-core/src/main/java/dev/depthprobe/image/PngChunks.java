package dev.depthprobe.image;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The chunks of a PNG file, walked by their declared lengths without inflating any of them. A
 * decoder given {@link #pixelChunksOnly} never sees the compressed metadata (zTXt, iTXt, iCCP) that
 * ImageIO's PNG metadata reader would inflate without a cap, however far it inflates.
 */
public final class PngChunks {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  /** Length, type, CRC: the bytes of a chunk around its data. */
  private static final int FRAME = 12;

  private PngChunks() {}

  public static boolean isPng(byte[] bytes) {
    return bytes.length >= SIGNATURE.length && Arrays.equals(bytes, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length);
  }

  /**
   * The file with only the chunks that make its pixels: the critical ones (IHDR, PLTE, IDAT, IEND, any other
   * whose type starts with a capital) and tRNS; every other ancillary chunk is dropped unread. A chunk cut
   * short by the end of the file is kept as it is, so that the decoder still reports the truncation.
   */
  public static byte[] pixelChunksOnly(byte[] png) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(png.length);
    out.write(png, 0, SIGNATURE.length);
    int at = SIGNATURE.length;
    while (at < png.length) {
      long end = chunkEnd(png, at);
      if (end > png.length) {
        out.write(png, at, png.length - at);
        break;
      }
      if (isCritical(png, at) || isType(png, at, "tRNS")) {
        out.write(png, at, (int) end - at);
      }
      at = (int) end;
    }
    return out.toByteArray();
  }

  /** The data of the first complete eXIf chunk (a TIFF block), or null when there is none. */
  static byte[] exif(byte[] png) {
    int at = SIGNATURE.length;
    while (at + 8 <= png.length) {
      long end = chunkEnd(png, at);
      if (end > png.length) {
        return null;
      }
      if (isType(png, at, "eXIf")) {
        return Arrays.copyOfRange(png, at + 8, (int) end - 4);
      }
      at = (int) end;
    }
    return null;
  }

  /** Where the chunk starting at {@code at} ends, as declared; beyond the file when it is cut short. */
  private static long chunkEnd(byte[] png, int at) {
    if (at + 8 > png.length) {
      return Long.MAX_VALUE;
    }
    long length = (png[at] & 0xffL) << 24 | (png[at + 1] & 0xff) << 16 | (png[at + 2] & 0xff) << 8 | png[at + 3] & 0xff;
    return at + FRAME + length;
  }

  private static boolean isCritical(byte[] png, int at) {
    return (png[at + 4] & 0x20) == 0;
  }

  private static boolean isType(byte[] png, int at, String type) {
    for (int i = 0; i < 4; i++) {
      if (png[at + 4 + i] != type.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}

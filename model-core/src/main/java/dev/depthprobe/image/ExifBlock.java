package dev.depthprobe.image;

import java.util.Arrays;

/**
 * Finds the EXIF block (a TIFF structure) of an encoded image in a segment whose size the format bounds,
 * without any decompression: a JPEG's first APP1 {@code Exif} segment (at most 64 KB), a PNG's eXIf chunk,
 * a WebP's EXIF chunk. These are where Pillow reads the EXIF that {@code exif_transpose} uses.
 */
final class ExifBlock {
  private static final byte[] EXIF_HEADER = {'E', 'x', 'i', 'f', 0, 0};

  private ExifBlock() {}

  /** The TIFF block, or null when the image carries none in a place read here. */
  static byte[] find(byte[] encoded) {
    if (encoded.length > 2 && (encoded[0] & 0xff) == 0xff && (encoded[1] & 0xff) == 0xd8) {
      return jpeg(encoded);
    }
    if (PngChunks.isPng(encoded)) {
      return withoutHeader(PngChunks.exif(encoded));
    }
    if (encoded.length > 12 && startsWith(encoded, 0, "RIFF") && startsWith(encoded, 8, "WEBP")) {
      return withoutHeader(webp(encoded));
    }
    return null;
  }

  /** Markers up to the first scan; each segment's 16-bit length bounds it. */
  private static byte[] jpeg(byte[] b) {
    int at = 2;
    while (at + 4 <= b.length) {
      if ((b[at] & 0xff) != 0xff) {
        return null;
      }
      int marker = b[at + 1] & 0xff;
      if (marker == 0xff) {
        at++; // fill byte
        continue;
      }
      if (marker == 0x01 || marker >= 0xd0 && marker <= 0xd8) {
        at += 2; // markers without a length
        continue;
      }
      if (marker == 0xda || marker == 0xd9) {
        return null; // start of scan or end of image: no metadata after it is read
      }
      int length = (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
      int end = at + 2 + length;
      if (length < 2 || end > b.length) {
        return null;
      }
      if (marker == 0xe1 && length - 2 >= EXIF_HEADER.length
          && Arrays.equals(b, at + 4, at + 4 + EXIF_HEADER.length, EXIF_HEADER, 0, EXIF_HEADER.length)) {
        return Arrays.copyOfRange(b, at + 4 + EXIF_HEADER.length, end);
      }
      at = end;
    }
    return null;
  }

  /** RIFF chunks after the WEBP form type: four-character code, little-endian size, data padded to even. */
  private static byte[] webp(byte[] b) {
    int at = 12;
    while (at + 8 <= b.length) {
      long size = (b[at + 4] & 0xffL) | (b[at + 5] & 0xff) << 8 | (b[at + 6] & 0xff) << 16 | (b[at + 7] & 0xffL) << 24;
      long end = at + 8 + size;
      if (end > b.length) {
        return null;
      }
      if (startsWith(b, at, "EXIF")) {
        return Arrays.copyOfRange(b, at + 8, (int) end);
      }
      at = (int) (end + (size & 1));
    }
    return null;
  }

  /** Some writers put JPEG's "Exif\0\0" before the TIFF block; Pillow skips it too. */
  private static byte[] withoutHeader(byte[] block) {
    if (block != null && block.length >= EXIF_HEADER.length
        && Arrays.equals(block, 0, EXIF_HEADER.length, EXIF_HEADER, 0, EXIF_HEADER.length)) {
      return Arrays.copyOfRange(block, EXIF_HEADER.length, block.length);
    }
    return block;
  }

  private static boolean startsWith(byte[] b, int at, String text) {
    for (int i = 0; i < text.length(); i++) {
      if (b[at + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}

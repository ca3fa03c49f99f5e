package dev.depthprobe.image;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pillow's {@code ImageOps.exif_transpose}: reads the EXIF Orientation tag (0x0112 in IFD0) and
 * turns the stored pixels upright. Orientation 1, a missing tag or unreadable metadata leave the
 * image as stored. The tag is read from the bounded block {@link ExifBlock} finds; nothing is
 * inflated. Unlike Pillow, an orientation given only in XMP is not read.
 */
final class ExifOrientation {
  private static final Logger LOG = LoggerFactory.getLogger(ExifOrientation.class);

  private ExifOrientation() {}

  /** The Orientation tag (1..8) of an encoded image, or 1 when there is none. */
  static int read(byte[] encoded, String name) {
    byte[] tiff = ExifBlock.find(encoded);
    if (tiff == null) {
      return 1;
    }
    try {
      return orientation(tiff);
    } catch (IndexOutOfBoundsException | ArithmeticException e) {
      LOG.debug("{}: no readable EXIF orientation ({})", name, e.toString());
      return 1;
    }
  }

  /** Tag 0x0112 of IFD0 in a TIFF block (byte order "II" or "MM", magic 42), or 1 when it is absent. */
  static int orientation(byte[] tiff) {
    boolean little = tiff[0] == 'I' && tiff[1] == 'I';
    if (!little && !(tiff[0] == 'M' && tiff[1] == 'M') || u16(tiff, 2, little) != 42) {
      return 1;
    }
    int ifd = Math.toIntExact(u32(tiff, 4, little));
    int entries = u16(tiff, ifd, little);
    for (int i = 0; i < entries; i++) {
      int entry = ifd + 2 + i * 12;
      if (u16(tiff, entry, little) == 0x0112) {
        int type = u16(tiff, entry + 2, little);
        // SHORT (3) as written; LONG (4) read as Pillow reads any integer type
        return type == 4 ? (int) u32(tiff, entry + 8, little) : u16(tiff, entry + 8, little);
      }
    }
    return 1;
  }

  private static int u16(byte[] b, int at, boolean little) {
    Objects.checkFromIndexSize(at, 2, b.length);
    return little ? (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 : (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
  }

  private static long u32(byte[] b, int at, boolean little) {
    Objects.checkFromIndexSize(at, 4, b.length);
    return little
        ? (b[at] & 0xffL) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xffL) << 24
        : (b[at] & 0xffL) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
  }

  /** The image as a viewer honouring {@code orientation} shows it; values outside 2..8 change nothing. */
  static RgbImage apply(RgbImage in, int orientation) {
    if (orientation < 2 || orientation > 8) {
      return in;
    }
    int w = in.width();
    int h = in.height();
    boolean swap = orientation >= 5;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    byte[] src = in.pixels();
    byte[] dst = new byte[src.length];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        // (sy, sx): the stored pixel shown at (y, x); PIL method named per case
        int sy;
        int sx;
        switch (orientation) {
          case 2 -> { sy = y; sx = w - 1 - x; }          // FLIP_LEFT_RIGHT
          case 3 -> { sy = h - 1 - y; sx = w - 1 - x; }  // ROTATE_180
          case 4 -> { sy = h - 1 - y; sx = x; }          // FLIP_TOP_BOTTOM
          case 5 -> { sy = x; sx = y; }                  // TRANSPOSE
          case 6 -> { sy = h - 1 - x; sx = y; }          // ROTATE_270 (90 degrees clockwise)
          case 7 -> { sy = h - 1 - x; sx = w - 1 - y; }  // TRANSVERSE
          default -> { sy = x; sx = w - 1 - y; }         // 8: ROTATE_90 (90 degrees counter-clockwise)
        }
        System.arraycopy(src, (sy * w + sx) * 3, dst, (y * ow + x) * 3, 3);
      }
    }
    return new RgbImage(ow, oh, dst);
  }
}

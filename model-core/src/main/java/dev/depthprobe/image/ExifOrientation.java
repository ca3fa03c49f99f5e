package dev.depthprobe.image;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pillow's {@code ImageOps.exif_transpose}: reads the EXIF Orientation tag (0x0112 in IFD0) and
 * turns the stored pixels upright. Orientation 1, a missing tag or unreadable metadata leave the
 * image as stored.
 */
final class ExifOrientation {
  private static final Logger LOG = LoggerFactory.getLogger(ExifOrientation.class);

  private ExifOrientation() {}

  /** The Orientation tag (1..8) of an encoded image, or 1 when there is none. */
  static int read(byte[] encoded, String name) {
    try {
      Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(encoded), encoded.length);
      ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
      Integer orientation = ifd0 == null ? null : ifd0.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
      return orientation == null ? 1 : orientation;
    } catch (ImageProcessingException | IOException | RuntimeException e) {
      LOG.debug("{}: no readable EXIF orientation ({})", name, e.toString());
      return 1;
    }
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

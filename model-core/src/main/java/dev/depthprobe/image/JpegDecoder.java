package dev.depthprobe.image;

import java.awt.image.Raster;
import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.Node;

/**
 * Decodes a JPEG as Pillow 9.4 + libjpeg do, then {@code convert("RGB")}: the raw components are
 * read without any colour management (embedded ICC profiles are ignored, as Pillow ignores them)
 * and converted here. The source colour space is guessed as libjpeg's
 * {@code default_decompress_parms} does; Pillow treats every 4-component JPEG as Adobe-inverted
 * CMYK ({@code "CMYK;I"}).
 */
final class JpegDecoder {
  private static final String METADATA_FORMAT = "javax_imageio_jpeg_image_1.0";

  enum ColorSpace { GRAY, RGB, YCBCR, CMYK, YCCK }

  private JpegDecoder() {}

  /** @param reader a JPEG reader whose input is set; image 0 is decoded (the first frame of an MPO) */
  static RgbImage decode(ImageReader reader, String name) throws IOException {
    ColorSpace space = colorSpace(reader.getImageMetadata(0), name);
    Raster raster = reader.readRaster(0, null);
    return convert(raster, space);
  }

  static ColorSpace colorSpace(IIOMetadata metadata, String name) {
    Node root = metadata.getAsTree(METADATA_FORMAT);
    Node sof = find(root, "sof");
    if (sof == null) {
      throw new ImageDecodeException(name + ": cannot decode image: JPEG without a frame header");
    }
    int precision = intAttribute(sof, "samplePrecision");
    if (precision != 8) {
      throw new ImageDecodeException(name + ": cannot decode image: unsupported " + precision + "-bit JPEG");
    }
    int[] ids = componentIds(sof);
    boolean jfif = find(root, "app0JFIF") != null;
    Node adobe = find(root, "app14Adobe");
    int transform = adobe == null ? -1 : intAttribute(adobe, "transform");
    return switch (ids.length) {
      case 1 -> ColorSpace.GRAY;
      case 3 -> {
        if (jfif) {
          yield ColorSpace.YCBCR;
        }
        if (adobe != null) {
          yield transform == 0 ? ColorSpace.RGB : ColorSpace.YCBCR;
        }
        yield ids[0] == 'R' && ids[1] == 'G' && ids[2] == 'B' ? ColorSpace.RGB : ColorSpace.YCBCR;
      }
      case 4 -> adobe == null || transform == 0 ? ColorSpace.CMYK : ColorSpace.YCCK;
      default -> throw new ImageDecodeException(name + ": cannot decode image: unsupported JPEG with "
          + ids.length + " components");
    };
  }

  static RgbImage convert(Raster raster, ColorSpace space) {
    return RasterRows.toRgb(raster, (row, w, bands, out, offset) -> {
      for (int x = 0; x < w; x++) {
        int i = x * bands;
        int o = offset + x * 3;
        int rgb = switch (space) {
          case GRAY -> pack(row[i], row[i], row[i]);
          case RGB -> pack(row[i], row[i + 1], row[i + 2]);
          case YCBCR -> pack(JpegColor.red(row[i], row[i + 2]), JpegColor.green(row[i], row[i + 1], row[i + 2]),
              JpegColor.blue(row[i], row[i + 1]));
          // stored inverted (Adobe); Pillow's "CMYK;I" undoes it: c = 255 - stored
          case CMYK -> cmyk(255 - row[i], 255 - row[i + 1], 255 - row[i + 2], 255 - row[i + 3]);
          // libjpeg: c = 255 - R(ycc), k passes through; Pillow inverts both, so c = R(ycc)
          case YCCK -> cmyk(JpegColor.red(row[i], row[i + 2]), JpegColor.green(row[i], row[i + 1], row[i + 2]),
              JpegColor.blue(row[i], row[i + 1]), 255 - row[i + 3]);
        };
        out[o] = (byte) (rgb >> 16);
        out[o + 1] = (byte) (rgb >> 8);
        out[o + 2] = (byte) rgb;
      }
    });
  }

  private static int pack(int r, int g, int b) {
    return r << 16 | g << 8 | b;
  }

  private static int cmyk(int c, int m, int y, int k) {
    return pack(JpegColor.cmykToRgb(c, k), JpegColor.cmykToRgb(m, k), JpegColor.cmykToRgb(y, k));
  }

  private static int[] componentIds(Node sof) {
    int n = 0;
    for (Node c = sof.getFirstChild(); c != null; c = c.getNextSibling()) {
      n += c.getNodeName().equals("componentSpec") ? 1 : 0;
    }
    int[] ids = new int[n];
    int i = 0;
    for (Node c = sof.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c.getNodeName().equals("componentSpec")) {
        ids[i++] = intAttribute(c, "componentId");
      }
    }
    return ids;
  }

  private static Node find(Node node, String name) {
    if (node.getNodeName().equals(name)) {
      return node;
    }
    for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
      Node found = find(c, name);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static int intAttribute(Node node, String name) {
    return Integer.parseInt(node.getAttributes().getNamedItem(name).getNodeValue());
  }
}

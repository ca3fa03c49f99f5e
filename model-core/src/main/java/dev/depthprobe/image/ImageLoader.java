package dev.depthprobe.image;

import com.twelvemonkeys.imageio.plugins.bmp.BMPImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes an encoded image as transformers' {@code load_image} does: Pillow open,
 * {@code ImageOps.exif_transpose}, {@code convert("RGB")}. JPEG (baseline, progressive, CMYK,
 * YCCK, the first frame of an MPO), PNG (1 to 16 bits, grey, palette, alpha), GIF (first frame),
 * BMP and WebP; embedded ICC profiles are ignored, as Pillow's conversion ignores them.
 *
 * <p>The size declared in the header is checked against a pixel limit before any pixel data is
 * decoded. The default limit is where Pillow raises {@code DecompressionBombError}: twice
 * {@code Image.MAX_IMAGE_PIXELS}, so every image transformers can load loads here; above
 * {@code MAX_IMAGE_PIXELS} a warning is logged, as Pillow warns. Thread-safe.
 *
 * <p>Decoding reads no unbounded metadata: a PNG reaches the decoder with its ancillary chunks other
 * than tRNS removed ({@link PngChunks}), so compressed text (zTXt, iTXt) and ICC profiles (iCCP) are
 * never inflated, and the EXIF orientation comes from a segment whose size the format bounds
 * ({@link ExifBlock}). A JPEG of more than {@link JpegScans#MAX_SCANS} scans is refused before decoding: each scan
 * passes over the whole image. Pillow inflates text chunks up to 1 MB each and refuses a PNG with a larger
 * one ("Decompressed Data Too Large"); this loader decodes its pixels.
 *
 * <p>Known differences from Pillow, both from the JDK's GIF reader: a GIF whose first frame is
 * smaller than its logical screen decodes at the frame's size (Pillow pads it to the screen), and
 * interlaced GIFs under 5 rows high lose rows.
 */
public final class ImageLoader {
  /** Pillow's {@code Image.MAX_IMAGE_PIXELS}: above it Pillow warns of a decompression bomb. */
  public static final long PILLOW_MAX_IMAGE_PIXELS = 89_478_485L;
  /** Pillow's error threshold, {@code 2 * MAX_IMAGE_PIXELS}. */
  public static final long DEFAULT_MAX_PIXELS = 2 * PILLOW_MAX_IMAGE_PIXELS;

  /** Bytes a pixel of the widest raster a decoder makes (16-bit RGBA): no image file needs more. */
  private static final long MAX_FILE_BYTES_PER_PIXEL = 8;

  private static final Logger LOG = LoggerFactory.getLogger(ImageLoader.class);
  private static final Set<String> FORMATS = Set.of("jpeg", "png", "gif", "bmp", "webp");

  static {
    registerPlugins();
  }

  private final long maxPixels;

  public ImageLoader() {
    this(DEFAULT_MAX_PIXELS);
  }

  /** @param maxPixels images whose declared width * height exceeds this are refused undecoded */
  public ImageLoader(long maxPixels) {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
    }
    this.maxPixels = maxPixels;
  }

  /**
   * The largest file read for an image of at most {@code maxPixels} pixels: 8 bytes a pixel, at most
   * {@link Integer#MAX_VALUE} (what a Java array and Spark's {@code binaryFile} source can hold).
   */
  public static long maxFileBytes(long maxPixels) {
    // the pixels capped first: 8 times a limit over 2^60 would overflow
    return Math.min(Integer.MAX_VALUE, MAX_FILE_BYTES_PER_PIXEL * Math.min(maxPixels, Integer.MAX_VALUE));
  }

  /**
   * Why a file of {@code length} bytes is not read for images of at most {@code maxPixels} pixels (it is over
   * {@link #maxFileBytes}), or null when it is read.
   */
  public static String tooLargeToRead(long length, long maxPixels) {
    long limit = maxFileBytes(maxPixels);
    return length <= limit ? null
        : "file of " + length + " bytes is over the limit of " + limit + " (8 bytes a pixel of the pixel limit); not read";
  }

  /** Reads and decodes a file; one over {@link #maxFileBytes} of this loader's pixel limit is not read. */
  public RgbImage load(Path file) {
    byte[] bytes;
    try {
      String tooLarge = tooLargeToRead(Files.size(file), maxPixels);
      if (tooLarge != null) {
        throw new ImageDecodeException(file + ": " + tooLarge);
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ImageDecodeException(file + ": cannot read file (" + e + ")", e);
    }
    return load(bytes, file.toString());
  }

  /** @param name names the input in error messages and logs (a path or an image id) */
  public RgbImage load(byte[] bytes, String name) {
    if (bytes.length == 0) {
      throw failure(name, "empty input (0 bytes)");
    }
    RgbImage stored = decode(bytes, name);
    return ExifOrientation.apply(stored, ExifOrientation.read(bytes, name));
  }

  /**
   * The image's header: stored size, samples and EXIF orientation, read without decoding any pixel data or
   * inflating any metadata; the pixel limit is not applied.
   */
  public static ImageHeader probe(byte[] bytes, String name) {
    if (bytes.length == 0) {
      throw failure(name, "empty input (0 bytes)");
    }
    byte[] pixelBytes = pixelChunksOnly(bytes);
    try (ImageInputStream in = new ByteArrayImageInputStream(pixelBytes)) {
      ImageReader reader = reader(in, name);
      try {
        reader.setInput(in, false, !isJpeg(reader));
        return ImageHeader.of(reader, pixelBytes, ExifOrientation.read(bytes, name));
      } finally {
        reader.dispose();
      }
    } catch (ImageDecodeException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ImageDecodeException(name + ": cannot decode image: corrupt image header (" + oneLine(e) + ")", e);
    }
  }

  private RgbImage decode(byte[] bytes, String name) {
    JpegScans scans = JpegScans.of(bytes);
    if (scans.tooMany()) {
      throw failure(name, scans.refusal());
    }
    try (ImageInputStream in = new ByteArrayImageInputStream(pixelChunksOnly(bytes))) {
      ImageReader reader = reader(in, name);
      try {
        // JpegDecoder reads the JFIF and Adobe markers from the metadata: JPEG segments are at most 64 KB each
        reader.setInput(in, false, !isJpeg(reader));
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        checkPixelLimit(reader.getWidth(0), reader.getHeight(0), name);
        RgbImage image;
        if (isJpeg(reader)) {
          image = JpegDecoder.decode(reader, name);
        } else if (isEightBitRgbPng(bytes)) {
          image = RgbDestination.read(reader);
        } else {
          image = RasterToRgb.convert(reader.read(0), isSixteenBitGrayPng(bytes, name), name);
        }
        if (isTruncatedJpeg(warnings)) {
          throw failure(name, "truncated image data (" + String.join("; ", warnings) + ")");
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (ImageDecodeException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      String reason = hasCause(e, EOFException.class) || lacksEndMarker(bytes) ? "truncated" : "corrupt";
      throw new ImageDecodeException(name + ": cannot decode image: " + reason + " image data (" + oneLine(e) + ")", e);
    }
  }

  private static byte[] pixelChunksOnly(byte[] bytes) {
    return PngChunks.isPng(bytes) ? PngChunks.pixelChunksOnly(bytes) : bytes;
  }

  private static ImageReader reader(ImageInputStream in, String name) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw failure(name, "unsupported or unrecognised image format");
    }
    ImageReader reader = readers.next();
    String format = reader.getFormatName().toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      reader.dispose();
      throw failure(name, "unsupported image format " + format + " (supported: JPEG, PNG, GIF, BMP, WebP)");
    }
    return reader;
  }

  private void checkPixelLimit(int width, int height, String name) {
    long pixels = (long) width * height;
    if (pixels > maxPixels) {
      throw failure(name, "too many pixels: " + width + "x" + height + " = " + pixels
          + " exceeds the limit of " + maxPixels + " (possible decompression bomb)");
    }
    if (pixels > PILLOW_MAX_IMAGE_PIXELS) {
      LOG.warn("{}: {}x{} = {} pixels exceeds Pillow's MAX_IMAGE_PIXELS {} (possible decompression bomb)",
          name, width, height, pixels, PILLOW_MAX_IMAGE_PIXELS);
    }
  }

  private static boolean isJpeg(ImageReader reader) throws IOException {
    return reader.getFormatName().equalsIgnoreCase("jpeg");
  }

  /** PNG IHDR (fixed at bytes 16..28): bit depth 8, colour type 2 (RGB without alpha): already Pillow's RGB. */
  private static boolean isEightBitRgbPng(byte[] bytes) {
    return PngChunks.isPng(bytes) && bytes.length > 25 && bytes[24] == 8 && bytes[25] == 2;
  }

  /** PNG IHDR (fixed at bytes 16..28): bit depth 16, colour type 0 (greyscale without alpha). */
  private static boolean isSixteenBitGrayPng(byte[] bytes, String name) {
    boolean gray16 = bytes.length > 25 && bytes[0] == (byte) 0x89 && bytes[1] == 'P'
        && bytes[24] == 16 && bytes[25] == 0;
    if (gray16) {
      LOG.warn("{}: 16-bit greyscale PNG; as Pillow's convert(\"RGB\") does, values above 255 are clipped to 255",
          name);
    }
    return gray16;
  }

  /**
   * libjpeg fills a truncated JPEG with grey and only warns; Pillow fails with "image file is
   * truncated". The input ran out (no EOI) while a data segment was still being read.
   */
  private static boolean isTruncatedJpeg(List<String> warnings) {
    boolean noEoi = warnings.stream().anyMatch(w -> w.contains("Missing EOI"));
    boolean cutShort = warnings.stream().anyMatch(w -> w.toLowerCase(Locale.ROOT).contains("premature end"));
    return noEoi && cutShort;
  }

  /** The file does not end as a complete PNG (IEND chunk), JPEG (EOI marker) or GIF (trailer) does. */
  private static boolean lacksEndMarker(byte[] b) {
    int n = b.length;
    if (n > 12 && b[0] == (byte) 0x89 && b[1] == 'P') {
      return !(b[n - 8] == 'I' && b[n - 7] == 'E' && b[n - 6] == 'N' && b[n - 5] == 'D');
    }
    if (n > 4 && b[0] == (byte) 0xff && b[1] == (byte) 0xd8) {
      return !(b[n - 2] == (byte) 0xff && b[n - 1] == (byte) 0xd9);
    }
    if (n > 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
      return b[n - 1] != 0x3b;
    }
    return false;
  }

  private static ImageDecodeException failure(String name, String reason) {
    return new ImageDecodeException(name + ": cannot decode image: " + reason);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String oneLine(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      text.append(text.length() == 0 ? "" : ": ").append(message.lines().findFirst().orElse(""));
    }
    return text.toString();
  }

  /** ImageIO finds plugins through the context class loader, which Spark executors may not set. */
  private static void registerPlugins() {
    IIORegistry registry = IIORegistry.getDefaultInstance();
    for (ImageReaderSpi spi : List.of(new JPEGImageReaderSpi(), new BMPImageReaderSpi(), new WebPImageReaderSpi())) {
      if (registry.getServiceProviderByClass(spi.getClass()) == null) {
        registry.registerServiceProvider(spi);
      }
    }
  }
}

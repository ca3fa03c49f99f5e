package dev.depthprobe.datasets;

import dev.depthprobe.image.ImageLoader;
import dev.depthprobe.image.PngChunks;
import dev.depthprobe.model.DepthMap;
import dev.depthprobe.npy.Npy;
import dev.depthprobe.npy.NpyArray;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads one depth ground-truth file on an executor: a KITTI 16-bit grayscale PNG (metres =
 * value / 256) or a {@code .npy} of float32 metres, shape (H, W). In both, 0 is invalid.
 *
 * <p>Within the image inputs' bounds: a file over {@link ImageLoader#maxFileBytes} of the default pixel
 * limit is not read, a PNG's header must declare at most {@link ImageLoader#DEFAULT_MAX_PIXELS} pixels and
 * reaches the decoder without its metadata chunks, and a {@code .npy} must hold the values its header declares.
 */
public final class DepthGroundTruthLoader {
  /** KITTI's depth PNGs store metres times 256. */
  public static final float KITTI_SCALE = 256f;

  private DepthGroundTruthLoader() {}

  /**
   * Opens a path or URI (as {@code depth_gt_path} holds it) through Hadoop's file systems, with
   * the Hadoop configuration found on the classpath.
   */
  public static DepthMap load(String location) throws IOException {
    Path path = new Path(location);
    FileSystem fs = path.getFileSystem(HadoopConf.INSTANCE);
    requireReadable(fs.getFileStatus(path).getLen(), path.getName());
    try (InputStream in = fs.open(path)) {
      return read(in.readAllBytes(), path.getName());
    }
  }

  public static DepthMap load(java.nio.file.Path file) throws IOException {
    requireReadable(Files.size(file), file.getFileName().toString());
    return read(Files.readAllBytes(file), file.getFileName().toString());
  }

  private static void requireReadable(long length, String name) throws IOException {
    String tooLarge = ImageLoader.tooLargeToRead(length, ImageLoader.DEFAULT_MAX_PIXELS);
    if (tooLarge != null) {
      throw new IOException(name + ": " + tooLarge);
    }
  }

  /** Decodes the bytes of a file named {@code name}; its extension selects the format. */
  public static DepthMap read(byte[] bytes, String name) throws IOException {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".png")) {
      return readKitti16(bytes, name);
    }
    if (lower.endsWith(".npy")) {
      return readNpy(bytes, name);
    }
    throw new IOException(name + ": depth ground truth must be a KITTI 16-bit .png or a float32 .npy");
  }

  private static DepthMap readKitti16(byte[] bytes, String name) throws IOException {
    Raster raster = decodeRaster(bytes, name);
    if (raster.getNumBands() != 1 || raster.getSampleModel().getSampleSize(0) != 16) {
      throw new IOException(name + ": expected a 16-bit grayscale PNG (KITTI depth), got " + raster.getNumBands()
          + " band(s) of " + raster.getSampleModel().getSampleSize(0) + " bits");
    }
    int width = raster.getWidth();
    int height = raster.getHeight();
    float[] metres = new float[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        metres[y * width + x] = raster.getSample(x, y, 0) / KITTI_SCALE;
      }
    }
    return new DepthMap(height, width, metres);
  }

  private static Raster decodeRaster(byte[] bytes, String name) throws IOException {
    if (!PngChunks.isPng(bytes)) {
      throw new IOException(name + ": not a readable PNG");
    }
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(
        PngChunks.pixelChunksOnly(bytes)))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IOException(name + ": not a readable PNG");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        // the header's size, before the decoder sizes a raster by it
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if ((long) width * height > ImageLoader.DEFAULT_MAX_PIXELS) {
          throw new IOException(name + ": too many pixels: " + width + "x" + height + " exceeds the limit of "
              + ImageLoader.DEFAULT_MAX_PIXELS + " (possible decompression bomb)");
        }
        return reader.read(0).getRaster();
      } finally {
        reader.dispose();
      }
    }
  }

  private static DepthMap readNpy(byte[] bytes, String name) throws IOException {
    NpyArray array = Npy.read(new ByteArrayInputStream(bytes), name);
    if (array.shape().length != 2) {
      throw new IOException(name + ": expected a (height, width) array of metres, got " + array);
    }
    return new DepthMap(array.dim(0), array.dim(1), array.toFloatArray());
  }

  /** One Hadoop configuration per JVM: building one parses the XML resources. */
  private static final class HadoopConf {
    static final Configuration INSTANCE = new Configuration();
  }
}

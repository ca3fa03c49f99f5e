package dev.depthprobe.datasets;

import static org.apache.spark.sql.functions.col;

import dev.depthprobe.image.ImageLoader;
import dev.depthprobe.image.JpegScans;
import dev.depthprobe.image.PngChunks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.ml.image.ImageSchema$;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Files decoded as Spark's {@code image} data source decodes them, in the {@link InputSchema}: the decoded
 * pixels (OpenCV order: B,G,R or B,G,R,A, or gray) are encoded again as a lossless PNG in R,G,B(,A) order.
 * {@code source} is the file path as Spark's {@code binaryFile} source prints it, and {@code image_id} is that
 * path relative to the root. A file the image source cannot decode keeps its row with empty content (an empty
 * file too), so the job reports it as an error.
 *
 * <p>The files are read with {@code binaryFile} and decoded here with the image source's own decoder
 * ({@code ImageSchema.decode}: javax.imageio, EXIF orientation ignored), after checks the image source lacks: a
 * header declaring more pixels than the limit, or a JPEG of more scans than {@link JpegScans#MAX_SCANS}, is not
 * decoded (its row keeps the original bytes, which the job's loader refuses alike: an error row naming the size or
 * the scans, not a dead or stalled task), and a PNG reaches
 * the decoder without its ancillary metadata chunks other than tRNS, so compressed text and ICC profiles are
 * never inflated (the pixels do not depend on them).
 */
public final class SparkImageSourceReader {
  private static final Logger LOG = LoggerFactory.getLogger(SparkImageSourceReader.class);

  private static final StructType FILES = new StructType()
      .add("path", DataTypes.StringType, false)
      .add("content", DataTypes.BinaryType, true)
      .add(InputSchema.READ_ERROR, DataTypes.StringType, true);

  private SparkImageSourceReader() {}

  /** {@link #read(SparkSession, String, long)} with the image loader's default pixel limit. */
  public static Dataset<Row> read(SparkSession spark, String location) {
    return read(spark, location, ImageLoader.DEFAULT_MAX_PIXELS);
  }

  /**
   * Reads a folder (recursively, image extensions only) or a glob.
   *
   * @param maxPixels a file whose header declares more pixels is not decoded (as {@code --max-image-pixels})
   */
  public static Dataset<Row> read(SparkSession spark, String location, long maxPixels) {
    DatasetRoot root = DatasetRoot.resolve(spark, location);
    Column path = col("path");
    Column imageId = root.relativeId(path);
    // the select after the map makes Spark encode its rows: the jobs read them by column name
    return ImageFilesReader.imageFiles(spark, location, root, maxPixels)
        .map(decodeAsImageSource(maxPixels), Encoders.row(FILES))
        .select(imageId.as(InputSchema.IMAGE_ID), path.as(InputSchema.SOURCE),
            col("content").as(InputSchema.CONTENT), col(InputSchema.READ_ERROR));
  }

  private static MapFunction<Row, Row> decodeAsImageSource(long maxPixels) {
    return row -> {
      String path = row.getString(0);
      byte[] file = row.getAs(1);
      return RowFactory.create(path, file == null ? null : content(file, path, maxPixels), row.getString(2));
    };
  }

  /** The row's content: the image source's pixels as a PNG, the file itself when over a limit, else empty. */
  static byte[] content(byte[] file, String path, long maxPixels) {
    if (file.length == 0) {
      return file;
    }
    byte[] decodable = PngChunks.isPng(file) ? PngChunks.pixelChunksOnly(file) : file;
    long pixels = declaredPixels(decodable);
    if (pixels > maxPixels) {
      LOG.warn("{}: the header declares {} pixels, over the limit of {}; not decoded", path, pixels, maxPixels);
      return file;
    }
    JpegScans scans = JpegScans.of(decodable);
    if (scans.tooMany()) {
      LOG.warn("{}: {}; not decoded", path, scans.refusal());
      return file;
    }
    Option<Row> decoded = ImageSchema$.MODULE$.decode(path, decodable);
    if (decoded.isEmpty()) {
      LOG.warn("{}: the image source could not decode this file; its row keeps empty content", path);
      return new byte[0];
    }
    // Row(Row(origin, height, width, nChannels, mode, data))
    Row image = decoded.get().getStruct(0);
    int height = image.getInt(1);
    int width = image.getInt(2);
    int channels = image.getInt(3);
    byte[] data = (byte[]) image.get(5);
    return PngEncoder.encode(bgrToRgb(data, channels), width, height, channels);
  }

  /** Width * height as the header declares them to javax.imageio; 0 when no reader recognises the file. */
  static long declaredPixels(byte[] file) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(file))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return 0;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        return (long) reader.getWidth(0) * reader.getHeight(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return 0; // the decoder then fails on it too: an empty row
    }
  }

  /** OpenCV's B,G,R(,A) pixel order to R,G,B(,A); one channel (gray) is returned as is. */
  static byte[] bgrToRgb(byte[] bgr, int channels) {
    if (channels == 1) {
      return bgr;
    }
    byte[] rgb = bgr.clone();
    for (int i = 0; i < rgb.length; i += channels) {
      rgb[i] = bgr[i + 2];
      rgb[i + 2] = bgr[i];
    }
    return rgb;
  }
}

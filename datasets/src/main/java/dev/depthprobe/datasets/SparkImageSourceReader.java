package dev.depthprobe.datasets;

import static org.apache.spark.sql.functions.col;

import java.net.URI;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows of Spark's {@code image} data source converted to the {@link InputSchema}: the decoded
 * pixels (OpenCV order: B,G,R or B,G,R,A, or gray) are encoded again as a lossless PNG in R,G,B(,A)
 * order. {@code source} is the file path as Spark's {@code binaryFile} source prints it (the
 * source's {@code origin} is a URI with escapes), and {@code image_id} is that path relative to the
 * root. A file the image source could not decode (height -1, no data) keeps its row with empty
 * content, so the job reports it as an error.
 *
 * <p>The image source decodes with javax.imageio and ignores EXIF orientation; the
 * {@code binaryFile} readers keep the original bytes and so give the loader the whole file.
 */
public final class SparkImageSourceReader {
  private static final Logger LOG = LoggerFactory.getLogger(SparkImageSourceReader.class);

  static final StructType SCHEMA = new StructType()
      .add(InputSchema.IMAGE_ID, DataTypes.StringType, false)
      .add(InputSchema.SOURCE, DataTypes.StringType, false)
      .add(InputSchema.CONTENT, DataTypes.BinaryType, false);

  private SparkImageSourceReader() {}

  /** Reads a folder (recursively, image extensions only) or a glob with the {@code image} source. */
  public static Dataset<Row> read(SparkSession spark, String location) {
    DatasetRoot root = DatasetRoot.resolve(spark, location);
    Dataset<Row> images = spark.read().format("image")
        .option("recursiveFileLookup", !root.glob())
        .load(location);
    Dataset<Row> selected = root.glob() ? images : images.where(ImagePaths.hasImageExtension(col("image.origin")));
    return toInputSchema(selected, root.prefix())
        .where(ImagePaths.isVisible(col(InputSchema.IMAGE_ID)));
  }

  /** Converts rows with an {@code image} struct column; ids are relative to {@code rootPrefix}. */
  public static Dataset<Row> toInputSchema(Dataset<Row> images, String rootPrefix) {
    return images.select(col("image")).map(toInputRow(rootPrefix), Encoders.row(SCHEMA));
  }

  private static MapFunction<Row, Row> toInputRow(String rootPrefix) {
    return row -> {
      Row image = row.getStruct(0);
      String path = new Path(URI.create(image.getAs("origin"))).toString();
      return RowFactory.create(DatasetRoot.relativize(rootPrefix, path), path, toPng(image, path));
    };
  }

  private static byte[] toPng(Row image, String path) {
    int width = image.getAs("width");
    int height = image.getAs("height");
    int channels = image.getAs("nChannels");
    byte[] data = image.getAs("data");
    if (height < 0 || data.length == 0) {
      LOG.warn("{}: the image source could not decode this file; its row keeps empty content", path);
      return new byte[0];
    }
    return PngEncoder.encode(bgrToRgb(data, channels), width, height, channels);
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

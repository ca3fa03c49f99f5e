package dev.depthprobe.datasets;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Image files under a folder (recursively) or matching a glob, through Spark's {@code binaryFile}
 * source: one row per file in the {@link InputSchema} with {@code image_id} the path relative to
 * the folder (for a glob, to the folder before the first wildcard). Files are read by the tasks;
 * nothing is collected on the driver. Spark's scan skips empty (0-byte) files: the driver lists them
 * ({@link EmptyFiles}) and adds them with empty content, so that the jobs give each an error row.
 *
 * <p>For a folder only files with an image extension ({@link ImagePaths#IMAGE_EXTENSIONS}, any
 * letter case) are kept; a glob selects the files itself. Hidden files and folders (names starting
 * with a dot) are skipped either way. Spark's file listing also skips names that start with an
 * underscore, such as {@code _DSC0001.JPG}.
 */
public final class ImageFilesReader {
  private static final Logger LOG = LoggerFactory.getLogger(ImageFilesReader.class);

  private ImageFilesReader() {}

  public static Dataset<Row> read(SparkSession spark, String location) {
    DatasetRoot root = DatasetRoot.resolve(spark, location);
    LOG.info("Reading image files from {} (image ids relative to {})", location, root.prefix());
    Column path = col("path");
    return imageFiles(spark, location, root)
        .select(root.relativeId(path).as(InputSchema.IMAGE_ID), path.as(InputSchema.SOURCE),
            col("content").as(InputSchema.CONTENT));
  }

  /**
   * The visible image files under {@code location} as {@code (path, content)}: with an image extension
   * unless a glob selects them, empty ones included (Spark 4.0 skips them; {@link EmptyFiles} adds each
   * back once).
   */
  static Dataset<Row> imageFiles(SparkSession spark, String location, DatasetRoot root) {
    Column path = col("path");
    Dataset<Row> files = spark.read().format("binaryFile")
        .option("recursiveFileLookup", !root.glob())
        .load(location)
        .where(col("length").gt(0))
        .select(path, col("content"))
        .union(EmptyFiles.read(spark, location));
    Dataset<Row> images = root.glob() ? files : files.where(ImagePaths.hasImageExtension(path));
    return images.where(ImagePaths.isVisible(root.relativeId(path)));
  }
}

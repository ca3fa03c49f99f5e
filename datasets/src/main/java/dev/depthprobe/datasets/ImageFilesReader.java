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
 * nothing is collected on the driver.
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
    Dataset<Row> files = spark.read().format("binaryFile")
        .option("recursiveFileLookup", !root.glob())
        .load(location);
    Column path = col("path");
    Dataset<Row> images = root.glob() ? files : files.where(ImagePaths.hasImageExtension(path));
    Column imageId = root.relativeId(path);
    return images
        .where(ImagePaths.isVisible(imageId))
        .select(imageId.as(InputSchema.IMAGE_ID), path.as(InputSchema.SOURCE),
            col("content").as(InputSchema.CONTENT));
  }
}

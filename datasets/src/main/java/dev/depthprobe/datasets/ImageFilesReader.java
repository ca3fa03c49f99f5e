package dev.depthprobe.datasets;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.depthprobe.image.ImageLoader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Image files under a folder (recursively) or matching a glob, through Spark's {@code binaryFile}
 * source: one row per file in the {@link InputSchema} with {@code image_id} the path relative to
 * the folder (for a glob, to the folder before the first wildcard). Files are read by the tasks;
 * nothing is collected on the driver. Spark's scan skips empty (0-byte) files, and this one skips
 * files larger than {@link ImageLoader#maxFileBytes} unread (Spark's source fails the whole scan on a
 * file over 2 GiB, and would otherwise hold a file of nearly that size in one task's heap): the driver
 * lists both ({@link UnscannedFiles}) and adds their rows, an empty file with empty content, a large one
 * with null content and a {@link InputSchema#READ_ERROR}, so that the jobs give each an error row. A
 * local folder whose symbolic links loop back into it is refused before Spark lists it ({@link SymlinkLoops}).
 *
 * <p>For a folder only files with an image extension ({@link ImagePaths#IMAGE_EXTENSIONS}, any
 * letter case) are kept; a glob selects the files itself. Hidden files and folders (names starting
 * with a dot) are skipped either way. Spark's file listing also skips names that start with an
 * underscore, such as {@code _DSC0001.JPG}.
 */
public final class ImageFilesReader {
  private static final Logger LOG = LoggerFactory.getLogger(ImageFilesReader.class);

  private ImageFilesReader() {}

  /** {@link #read(SparkSession, String, long)} with the image loader's default pixel limit. */
  public static Dataset<Row> read(SparkSession spark, String location) {
    return read(spark, location, ImageLoader.DEFAULT_MAX_PIXELS);
  }

  /** @param maxImagePixels {@code --max-image-pixels}: a file over {@link ImageLoader#maxFileBytes} of it is not read */
  public static Dataset<Row> read(SparkSession spark, String location, long maxImagePixels) {
    DatasetRoot root = DatasetRoot.resolve(spark, location);
    LOG.info("Reading image files from {} (image ids relative to {})", location, root.prefix());
    Column path = col("path");
    return imageFiles(spark, location, root, maxImagePixels)
        .select(root.relativeId(path).as(InputSchema.IMAGE_ID), path.as(InputSchema.SOURCE),
            col("content").as(InputSchema.CONTENT), col(InputSchema.READ_ERROR));
  }

  /**
   * The visible image files under {@code location} as {@code (path, content, read_error)}: with an image
   * extension unless a glob selects them, with the files the scan leaves out ({@link UnscannedFiles}): the empty
   * ones and those over {@link ImageLoader#maxFileBytes} of {@code maxImagePixels}, whose bytes the source does not
   * read (its {@code length} filter applies before it opens a file).
   */
  static Dataset<Row> imageFiles(SparkSession spark, String location, DatasetRoot root, long maxImagePixels) {
    SymlinkLoops.refuse(root);
    long maxFileBytes = ImageLoader.maxFileBytes(maxImagePixels);
    Column path = col("path");
    Column length = col("length");
    Dataset<Row> files = spark.read().format("binaryFile")
        .option("recursiveFileLookup", !root.glob())
        .load(location)
        .where(length.gt(0).and(length.leq(maxFileBytes)))
        .select(path, col("content"), lit(null).cast(DataTypes.StringType).as(InputSchema.READ_ERROR))
        .union(UnscannedFiles.read(spark, location, maxImagePixels));
    Dataset<Row> images = root.glob() ? files : files.where(ImagePaths.hasImageExtension(path));
    return images.where(ImagePaths.isVisible(root.relativeId(path)));
  }
}

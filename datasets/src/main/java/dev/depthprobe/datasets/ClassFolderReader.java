package dev.depthprobe.datasets;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;

import dev.depthprobe.image.ImageLoader;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * An image folder with one sub-folder per class, as torchvision's {@code ImageFolder} reads it:
 * {@code root/<class>/.../<file>} gives {@code label = <class>}. With split folders,
 * {@code root/<split>/<class>/.../<file>} also gives {@code split = <split>}, and only the named
 * splits are read. Files not inside a class folder are left out. Image ids stay relative to
 * {@code root} ({@code train/cat/00017.png}).
 */
public final class ClassFolderReader {
  private ClassFolderReader() {}

  public static Dataset<Row> read(SparkSession spark, String root) {
    return read(spark, root, ImageLoader.DEFAULT_MAX_PIXELS);
  }

  /** @param maxImagePixels {@code --max-image-pixels}, which bounds the files read ({@link ImageFilesReader}) */
  public static Dataset<Row> read(SparkSession spark, String root, long maxImagePixels) {
    Column segments = split(col(InputSchema.IMAGE_ID), "/");
    return ImageFilesReader.read(spark, root, maxImagePixels)
        .where(size(segments).geq(2))
        .withColumn(InputSchema.LABEL, element_at(segments, 1));
  }

  public static Dataset<Row> read(SparkSession spark, String root, List<String> splitDirs) {
    return read(spark, root, splitDirs, ImageLoader.DEFAULT_MAX_PIXELS);
  }

  public static Dataset<Row> read(SparkSession spark, String root, List<String> splitDirs, long maxImagePixels) {
    if (splitDirs.isEmpty()) {
      throw new IllegalArgumentException("splitDirs is empty; use read(spark, root) for a folder without splits");
    }
    Column segments = split(col(InputSchema.IMAGE_ID), "/");
    Column split = element_at(segments, 1);
    return ImageFilesReader.read(spark, root, maxImagePixels)
        .where(size(segments).geq(3).and(split.isin(splitDirs.toArray())))
        .withColumn(InputSchema.LABEL, element_at(segments, 2))
        .withColumn(InputSchema.SPLIT, split);
  }
}

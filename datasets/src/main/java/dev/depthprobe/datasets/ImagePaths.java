package dev.depthprobe.datasets;

import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.regexp_extract;

import java.util.List;
import org.apache.spark.sql.Column;

/** Column expressions on file paths: image extensions, hidden entries, file-name stems. */
final class ImagePaths {
  /** Extensions of the formats the image loader decodes, lower case. */
  static final List<String> IMAGE_EXTENSIONS =
      List.of("jpg", "jpeg", "png", "bmp", "gif", "webp", "tif", "tiff", "mpo");

  /**
   * Case-insensitive by the regex's own flag: Spark 4's {@code lower()} initialises ICU's case tables on first use,
   * about two seconds of every job's first task.
   */
  private static final String IMAGE_NAME = "(?i)\\.(" + String.join("|", IMAGE_EXTENSIONS) + ")$";
  /** A segment that starts with a dot, at the start or after a slash. */
  private static final String HIDDEN_SEGMENT = "(^|/)\\.";
  /** The last segment without its last extension: {@code a/b.c.png -> b.c}. */
  private static final String STEM = "([^/]*?)(\\.[^./]*)?$";

  private ImagePaths() {}

  /** True where the path ends in an image extension, in any letter case. */
  static Column hasImageExtension(Column path) {
    return path.rlike(IMAGE_NAME);
  }

  /** True where no segment of the relative path is hidden (starts with a dot). */
  static Column isVisible(Column relativePath) {
    return not(relativePath.rlike(HIDDEN_SEGMENT));
  }

  /** The file name without its extension. */
  static Column stem(Column path) {
    return regexp_extract(path, STEM, 1);
  }
}

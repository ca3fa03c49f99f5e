package dev.depthprobe.jobs;

import static org.apache.spark.sql.functions.col;

import dev.depthprobe.datasets.CifarReader;
import dev.depthprobe.datasets.ClassFolderReader;
import dev.depthprobe.datasets.ImageFilesReader;
import dev.depthprobe.datasets.InputSchema;
import dev.depthprobe.datasets.ParquetImagesReader;
import dev.depthprobe.datasets.SparkImageSourceReader;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** {@code --input-format}: the readers of the datasets module, by the name the option takes. */
enum InputFormat {
  FILES("files"),
  PARQUET("parquet"),
  CLASS_FOLDERS("class-folders"),
  CIFAR10("cifar10"),
  CIFAR100("cifar100"),
  SPARK_IMAGE("spark-image");

  private final String optionValue;

  InputFormat(String optionValue) {
    this.optionValue = optionValue;
  }

  String optionValue() {
    return optionValue;
  }

  /** Whether {@code --split-dirs} applies. */
  boolean hasSplits() {
    return this == CLASS_FOLDERS || this == CIFAR10 || this == CIFAR100;
  }

  /** The format named {@code value}, if a command that reads {@code accepted} takes it; else a {@link UserException}. */
  static InputFormat parse(String value, List<InputFormat> accepted) {
    for (InputFormat format : accepted) {
      if (format.optionValue.equals(value)) {
        return format;
      }
    }
    throw new UserException("--input-format must be one of " + accepted.stream().map(InputFormat::optionValue)
        .collect(Collectors.joining(", ")) + ", got '" + value + "'");
  }

  /**
   * The input in the input schema.
   *
   * @param labelColumn a Parquet input's label column, or {@code null}
   * @param splitDirs the splits to keep ({@link #hasSplits()}), or {@code null} for all
   * @param maxImagePixels {@code --max-image-pixels}, for the formats that decode while reading or read files
   */
  Dataset<Row> read(SparkSession spark, String input, ParquetColumns parquet, String labelColumn,
      List<String> splitDirs, long maxImagePixels) {
    return switch (this) {
      case PARQUET -> ParquetImagesReader.read(spark, input, parquet.imageColumn, parquet.idColumn, labelColumn);
      case SPARK_IMAGE -> SparkImageSourceReader.read(spark, input, maxImagePixels);
      case CLASS_FOLDERS -> splitDirs == null ? ClassFolderReader.read(spark, input, maxImagePixels)
          : ClassFolderReader.read(spark, input, splitDirs, maxImagePixels);
      case CIFAR10, CIFAR100 -> splitDirs == null ? CifarReader.read(spark, input)
          : CifarReader.read(spark, input).where(col(InputSchema.SPLIT).isin(splitDirs.toArray()));
      case FILES -> ImageFilesReader.read(spark, input, maxImagePixels);
    };
  }
}

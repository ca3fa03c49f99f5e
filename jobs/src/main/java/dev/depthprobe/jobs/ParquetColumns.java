package dev.depthprobe.jobs;

import picocli.CommandLine.Option;

/** {@code --image-column} and {@code --id-column}: where a Parquet input keeps its images and their ids. */
final class ParquetColumns {
  @Option(names = "--image-column", paramLabel = "C",
      description = "Parquet input: the image column (binary or struct<bytes, path>); features finds it when not "
          + "given (the Hugging Face Image feature, else the one such column).")
  String imageColumn;

  @Option(names = "--id-column", paramLabel = "C",
      description = "Parquet input: the image id column; features defaults to the image struct's path when set and "
          + "unique, else <file>#<row>.")
  String idColumn;

  boolean complete() {
    return imageColumn != null && idColumn != null;
  }
}

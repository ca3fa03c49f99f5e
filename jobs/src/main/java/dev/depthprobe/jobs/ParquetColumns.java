package dev.depthprobe.jobs;

import picocli.CommandLine.Option;

/** {@code --image-column} and {@code --id-column}: where a Parquet input keeps its images and their ids. */
final class ParquetColumns {
  @Option(names = "--image-column", paramLabel = "C")
  String imageColumn;

  @Option(names = "--id-column", paramLabel = "C")
  String idColumn;

  boolean complete() {
    return imageColumn != null && idColumn != null;
  }
}

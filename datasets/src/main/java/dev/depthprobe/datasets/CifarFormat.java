package dev.depthprobe.datasets;

/**
 * The two CIFAR binary layouts. A record is the label byte(s) followed by 3,072 pixel bytes: the
 * 32x32 red plane, then green, then blue, each row-major. CIFAR-100 records carry the coarse label
 * byte before the fine one, and the fine label is the one used.
 */
enum CifarFormat {
  CIFAR_10("CIFAR-10", 1, "batches.meta.txt"),
  CIFAR_100("CIFAR-100", 2, "fine_label_names.txt");

  static final int SIDE = 32;
  static final int PIXEL_BYTES = 3 * SIDE * SIDE;

  private final String displayName;
  private final int labelBytes;
  private final String classNamesFile;

  CifarFormat(String displayName, int labelBytes, String classNamesFile) {
    this.displayName = displayName;
    this.labelBytes = labelBytes;
    this.classNamesFile = classNamesFile;
  }

  int recordLength() {
    return labelBytes + PIXEL_BYTES;
  }

  /** Offset of the label byte used inside a record: the fine label for CIFAR-100. */
  int labelOffset() {
    return labelBytes - 1;
  }

  /** The text file that names the classes, one per line in label order. */
  String classNamesFile() {
    return classNamesFile;
  }

  @Override
  public String toString() {
    return displayName;
  }
}

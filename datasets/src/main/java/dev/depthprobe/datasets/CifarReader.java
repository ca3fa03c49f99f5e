package dev.depthprobe.datasets;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
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
 * CIFAR-10 and CIFAR-100 binary batches ({@code data_batch_N.bin}, {@code test_batch.bin};
 * {@code train.bin}, {@code test.bin}) as {@link InputSchema} rows: {@code image_id} is
 * {@code <file name>/<record index>}, {@code source} is {@code <file path>#<record index>},
 * {@code content} is the 32x32 RGB image as a lossless PNG, {@code label} is the class name (the
 * fine one for CIFAR-100) and {@code split} is {@code test} for files whose name starts with
 * {@code test}, else {@code train}.
 *
 * <p>The layout follows from the class-name file beside the batches: {@code batches.meta.txt} for
 * CIFAR-10, {@code fine_label_names.txt} for CIFAR-100. The driver reads only that file and the
 * listing; each task reads one batch file through Spark's {@code binaryFile} source and cuts it into
 * records.
 */
public final class CifarReader {
  private static final Logger LOG = LoggerFactory.getLogger(CifarReader.class);
  private static final String BATCH_EXTENSION = ".bin";
  /** The class-name file is read on the driver: a bound far above CIFAR-100's hundred names. */
  private static final long MAX_CLASS_NAMES_BYTES = 1 << 20;

  static final StructType SCHEMA = new StructType()
      .add(InputSchema.IMAGE_ID, DataTypes.StringType, false)
      .add(InputSchema.SOURCE, DataTypes.StringType, false)
      .add(InputSchema.CONTENT, DataTypes.BinaryType, false)
      .add(InputSchema.LABEL, DataTypes.StringType, false)
      .add(InputSchema.SPLIT, DataTypes.StringType, false);

  private CifarReader() {}

  /** Reads every {@code .bin} batch of a folder, or the one batch file given. */
  public static Dataset<Row> read(SparkSession spark, String location) {
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] batches = fs.getFileStatus(path).isDirectory()
          ? fs.listStatus(path, p -> p.getName().endsWith(BATCH_EXTENSION))
          : new FileStatus[] {fs.getFileStatus(path)};
      Arrays.sort(batches);
      if (batches.length == 0) {
        throw new IllegalArgumentException(location + ": no CIFAR batch files (*" + BATCH_EXTENSION + ")");
      }
      Path folder = batches[0].getPath().getParent();
      CifarFormat format = detectFormat(fs, folder);
      String[] classNames = readClassNames(fs, new Path(folder, format.classNamesFile()));
      List<String> files = new ArrayList<>();
      for (FileStatus batch : batches) {
        requireWholeRecords(batch, format);
        files.add(batch.getPath().toString());
      }
      LOG.info("Reading {} {} batch files from {} ({} classes)", files.size(), format, folder, classNames.length);
      return spark.read().format("binaryFile").load(files.toArray(String[]::new))
          .select(col("path"), col("content"))
          .flatMap(records(format, classNames), Encoders.row(SCHEMA));
    } catch (IOException e) {
      throw new UncheckedIOException(location + ": cannot list the CIFAR batches", e);
    }
  }

  private static CifarFormat detectFormat(FileSystem fs, Path folder) throws IOException {
    for (CifarFormat format : new CifarFormat[] {CifarFormat.CIFAR_100, CifarFormat.CIFAR_10}) {
      if (fs.exists(new Path(folder, format.classNamesFile()))) {
        return format;
      }
    }
    throw new IllegalArgumentException(folder + ": neither " + CifarFormat.CIFAR_10.classNamesFile()
        + " (CIFAR-10) nor " + CifarFormat.CIFAR_100.classNamesFile() + " (CIFAR-100) beside the batches");
  }

  private static String[] readClassNames(FileSystem fs, Path file) throws IOException {
    long length = fs.getFileStatus(file).getLen();
    if (length > MAX_CLASS_NAMES_BYTES) {
      throw new IllegalArgumentException(file + ": " + length + " bytes is not a class-name file (at most "
          + MAX_CLASS_NAMES_BYTES + " bytes; CIFAR-100's is 1 KB)");
    }
    try (InputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::strip)
          .filter(name -> !name.isEmpty())
          .toArray(String[]::new);
    }
  }

  private static void requireWholeRecords(FileStatus batch, CifarFormat format) {
    if (batch.getLen() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(batch.getPath() + ": " + batch.getLen() + " bytes is more than one batch "
          + "file can hold (Spark reads a file into one array, at most 2 GiB; a CIFAR batch is about 30 MB)");
    }
    if (batch.getLen() % format.recordLength() != 0) {
      throw new IllegalArgumentException(batch.getPath() + ": " + batch.getLen() + " bytes is not a whole number of "
          + format.recordLength() + "-byte " + format + " records");
    }
  }

  private static FlatMapFunction<Row, Row> records(CifarFormat format, String[] classNames) {
    return file -> {
      String path = file.getString(0);
      byte[] content = file.getAs(1);
      String name = new Path(path).getName();
      String split = name.startsWith("test") ? "test" : "train";
      int count = content.length / format.recordLength();
      return IntStream.range(0, count)
          .mapToObj(i -> RowFactory.create(name + "/" + i, path + "#" + i,
              recordPng(content, i * format.recordLength(), format), label(content, i, format, classNames, name),
              split))
          .iterator();
    };
  }

  private static String label(byte[] content, int record, CifarFormat format, String[] classNames, String file) {
    int index = content[record * format.recordLength() + format.labelOffset()] & 0xff;
    if (index >= classNames.length) {
      throw new IllegalArgumentException(file + " record " + record + ": label " + index
          + " has no class name (" + classNames.length + " names)");
    }
    return classNames[index];
  }

  private static byte[] recordPng(byte[] content, int recordStart, CifarFormat format) {
    int pixelStart = recordStart + format.labelOffset() + 1;
    return PngEncoder.encode(planarToInterleaved(content, pixelStart), CifarFormat.SIDE, CifarFormat.SIDE, 3);
  }

  /** R plane, G plane, B plane (each 32x32) -> R,G,B per pixel, row-major. */
  static byte[] planarToInterleaved(byte[] planes, int offset) {
    int pixels = CifarFormat.SIDE * CifarFormat.SIDE;
    byte[] rgb = new byte[3 * pixels];
    for (int p = 0; p < pixels; p++) {
      for (int c = 0; c < 3; c++) {
        rgb[3 * p + c] = planes[offset + c * pixels + p];
      }
    }
    return rgb;
  }
}

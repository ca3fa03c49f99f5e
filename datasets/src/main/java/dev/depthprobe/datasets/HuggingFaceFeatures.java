package dev.depthprobe.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * The column description that Hugging Face's {@code datasets} library writes into a Parquet file's
 * key-value metadata under {@code huggingface}: {@code {"info": {"features": {"image": {"_type":
 * "Image"}, "label": {"_type": "ClassLabel", "names": [...]}}}}}. Read from the footer of the first
 * data file of a table (the library writes the same description into every shard). Driver-only.
 */
public final class HuggingFaceFeatures {
  /** The key-value metadata key. */
  public static final String KEY = "huggingface";
  public static final String IMAGE = "Image";
  public static final String CLASS_LABEL = "ClassLabel";
  /** The most the description may hold; the library writes a few KB (a ClassLabel of 1000 names: some 20 KB). */
  static final long MAX_DESCRIPTION_BYTES = 16L << 20;
  /** The most a footer may hold for its metadata to be read (its length is checked before it is read). */
  static final long MAX_FOOTER_BYTES = 64L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HuggingFaceFeatures NONE = new HuggingFaceFeatures(JSON.createObjectNode());

  private final JsonNode features;

  private HuggingFaceFeatures(JsonNode features) {
    this.features = features;
  }

  /** No description: a Parquet file not written by {@code datasets}. */
  public static HuggingFaceFeatures none() {
    return NONE;
  }

  /** From the metadata value; a value that is not the expected JSON counts as no description. */
  public static HuggingFaceFeatures parse(String json) {
    if (json == null) {
      return NONE;
    }
    try {
      JsonNode features = JSON.readTree(json).path("info").path("features");
      return features.isObject() ? new HuggingFaceFeatures(features) : NONE;
    } catch (IOException e) {
      return NONE;
    }
  }

  /**
   * The description in the footer of the first Parquet data file at {@code path} (a file, a folder,
   * searched recursively in path order, or a glob), or {@link #none()}. A footer over
   * {@link #MAX_FOOTER_BYTES} (checked before it is read) or a description over
   * {@link #MAX_DESCRIPTION_BYTES} is a one-line {@link IllegalArgumentException}.
   */
  public static HuggingFaceFeatures read(Configuration conf, String path) {
    try {
      Optional<Path> first = firstDataFile(conf, new Path(path));
      if (first.isEmpty()) {
        return NONE;
      }
      requireFooterWithinCap(first.get(), conf);
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(first.get(), conf))) {
        String description = reader.getFileMetaData().getKeyValueMetaData().get(KEY);
        long bytes = description == null ? 0 : description.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_DESCRIPTION_BYTES) {
          throw new IllegalArgumentException(first.get() + ": the Parquet metadata '" + KEY + "' holds " + bytes
              + " bytes, more than the " + MAX_DESCRIPTION_BYTES + " a features description may hold; refused");
        }
        return parse(description);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot read the Parquet footer: " + e.getMessage(), e);
    }
  }

  /**
   * Refuses a file whose footer (its length is the 4 bytes before the closing {@code PAR1}) is over
   * {@link #MAX_FOOTER_BYTES}, before the Parquet reader allocates it; too short a file is left to that reader.
   */
  private static void requireFooterWithinCap(Path file, Configuration conf) throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    long length = fs.getFileStatus(file).getLen();
    if (length < 8) {
      return;
    }
    byte[] tail = new byte[4];
    try (FSDataInputStream in = fs.open(file)) {
      in.readFully(length - 8, tail);
    }
    long footer = Integer.toUnsignedLong(ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN).getInt());
    if (footer > MAX_FOOTER_BYTES) {
      throw new IllegalArgumentException(file + ": Parquet footer of " + footer + " bytes, more than the "
          + MAX_FOOTER_BYTES + " read for its metadata; refused");
    }
  }

  /** The columns whose {@code _type} is {@code type}, in the description's order. */
  public List<String> columnsOfType(String type) {
    List<String> columns = new ArrayList<>();
    features.fields().forEachRemaining(f -> {
      if (type.equals(f.getValue().path("_type").asText())) {
        columns.add(f.getKey());
      }
    });
    return columns;
  }

  /** The class names of a {@code ClassLabel} column, index order. */
  public Optional<List<String>> classNames(String column) {
    JsonNode feature = features.path(column);
    if (!CLASS_LABEL.equals(feature.path("_type").asText()) || !feature.path("names").isArray()) {
      return Optional.empty();
    }
    List<String> names = new ArrayList<>();
    feature.path("names").forEach(n -> names.add(n.asText()));
    return Optional.of(List.copyOf(names));
  }

  private static Optional<Path> firstDataFile(Configuration conf, Path path) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    FileStatus[] matches = fs.globStatus(path);
    if (matches == null) {
      return Optional.empty();
    }
    List<Path> files = new ArrayList<>();
    for (FileStatus match : matches) {
      if (match.isFile()) {
        files.add(match.getPath());
        continue;
      }
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(match.getPath(), true);
      while (it.hasNext()) {
        Path file = it.next().getPath();
        if (isDataFile(file, match.getPath())) {
          files.add(file);
        }
      }
    }
    return files.stream().min(Comparator.comparing(Path::toString));
  }

  /** As Spark lists a table: no file or folder under the root whose name starts with _ or . */
  private static boolean isDataFile(Path file, Path root) {
    for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
      String name = p.getName();
      if (name.startsWith("_") && !name.contains("=") || name.startsWith(".")) {
        return false;
      }
    }
    return true;
  }
}

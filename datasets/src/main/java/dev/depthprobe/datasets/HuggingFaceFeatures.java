package dev.depthprobe.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
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
   * searched recursively in path order, or a glob), or {@link #none()}.
   */
  public static HuggingFaceFeatures read(Configuration conf, String path) {
    try {
      Optional<Path> first = firstDataFile(conf, new Path(path));
      if (first.isEmpty()) {
        return NONE;
      }
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(first.get(), conf))) {
        return parse(reader.getFileMetaData().getKeyValueMetaData().get(KEY));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot read the Parquet footer: " + e.getMessage(), e);
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

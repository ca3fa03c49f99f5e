package dev.depthprobe.tests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes a Parquet file the way Hugging Face's {@code datasets} library writes an image classification
 * set: {@code image struct<bytes: binary, path: string>}, {@code label int64}, no id column, and the
 * features description (Image, ClassLabel with names) under the key-value metadata key
 * {@code huggingface}.
 */
final class HuggingFaceParquet {
  private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
      message schema {
        optional group image {
          optional binary bytes;
          optional binary path (STRING);
        }
        optional int64 label;
      }
      """);

  /** One row: the encoded image, its path ({@code null}: not set) and label index. */
  record Image(byte[] bytes, String path, long label) {}

  private HuggingFaceParquet() {}

  static void write(Path file, List<Image> rows, List<String> classNames) throws IOException {
    ObjectNode description = new ObjectMapper().createObjectNode();
    ObjectNode features = description.putObject("info").putObject("features");
    features.putObject("image").put("_type", "Image");
    ObjectNode label = features.putObject("label");
    classNames.forEach(label.putArray("names")::add);
    label.put("_type", "ClassLabel");
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> writer = ExampleParquetWriter
        .builder(new org.apache.hadoop.fs.Path(file.toUri()))
        .withConf(new Configuration())
        .withType(SCHEMA)
        .withExtraMetaData(Map.of("huggingface", description.toString()))
        .build()) {
      for (Image row : rows) {
        Group group = groups.newGroup();
        Group image = group.addGroup("image");
        image.append("bytes", Binary.fromConstantByteArray(row.bytes()));
        if (row.path() != null) {
          image.append("path", row.path());
        }
        group.append("label", row.label());
        writer.write(group);
      }
    }
  }
}

package dev.depthprobe.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HuggingFaceFeaturesTest {
  private static final MessageType SCHEMA = MessageTypeParser.parseMessageType(
      "message schema { optional binary image; optional int64 label; }");
  private static final String DESCRIPTION = "{\"info\": {\"features\": {\"image\": {\"_type\": \"Image\"}, "
      + "\"label\": {\"_type\": \"ClassLabel\", \"names\": [\"cat\", \"dog\"]}}}}";

  @TempDir
  Path tmp;

  /** A one-row Parquet file with {@code description} under the key-value metadata key {@code huggingface}. */
  private Path parquet(String name, String description) throws IOException {
    Path file = tmp.resolve(name);
    try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
        .withConf(new Configuration())
        .withType(SCHEMA)
        .withExtraMetaData(Map.of(HuggingFaceFeatures.KEY, description))
        .build()) {
      writer.write(new SimpleGroupFactory(SCHEMA).newGroup().append("image", Binary.fromString("png"))
          .append("label", 1L));
    }
    return file;
  }

  @Test
  void theDescriptionInTheFooterGivesTheImageAndClassLabelColumns() throws IOException {
    Path file = parquet("train.parquet", DESCRIPTION);

    HuggingFaceFeatures features = HuggingFaceFeatures.read(new Configuration(), file.toString());

    assertEquals(List.of("image"), features.columnsOfType(HuggingFaceFeatures.IMAGE));
    assertEquals(List.of("cat", "dog"), features.classNames("label").orElseThrow());
  }

  @Test
  void aDescriptionOverItsCapIsRefusedInOneLine() throws IOException {
    String description = "{\"info\": {\"padding\": \"" + "x".repeat((int) HuggingFaceFeatures.MAX_DESCRIPTION_BYTES)
        + "\"}}";
    Path file = parquet("huge.parquet", description);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HuggingFaceFeatures.read(new Configuration(), file.toString()));

    assertTrue(e.getMessage().contains("huge.parquet: the Parquet metadata 'huggingface' holds "
        + description.length() + " bytes, more than the 16777216 a features description may hold"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void aFooterOverItsCapIsRefusedBeforeItIsRead() throws IOException {
    // a sparse file: PAR1, a hole, a footer length of 65 MiB and PAR1; the reader would allocate the footer whole
    Path file = tmp.resolve("big-footer.parquet");
    long footer = HuggingFaceFeatures.MAX_FOOTER_BYTES + (1 << 20);
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      out.write("PAR1".getBytes(StandardCharsets.US_ASCII));
      out.seek(4 + footer);
      out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) footer).array());
      out.write("PAR1".getBytes(StandardCharsets.US_ASCII));
    }

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HuggingFaceFeatures.read(new Configuration(), file.toString()));

    assertTrue(e.getMessage().contains("big-footer.parquet: Parquet footer of " + footer + " bytes, more than the "
        + HuggingFaceFeatures.MAX_FOOTER_BYTES), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }
}

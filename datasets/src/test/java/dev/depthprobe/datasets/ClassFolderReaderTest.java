package dev.depthprobe.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassFolderReaderTest {
  private static SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.start(ClassFolderReaderTest.class);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void labelIsTheClassFolderName() {
    Map<String, String> labels = labelsById(
        ClassFolderReader.read(spark, TestFiles.resource("/cifar10/png/train").toString()).collectAsList());

    assertEquals(300, labels.size());
    assertEquals("frog", labels.get("frog/00000.png"));
    assertEquals("truck", labels.get("truck/00001.png"));
    assertEquals(10, Set.copyOf(labels.values()).size());
  }

  @Test
  void splitFoldersAddASplitColumnAndOnlyTheNamedSplitsAreRead() {
    String png = TestFiles.resource("/cifar10/png").toString();
    List<Row> both = ClassFolderReader.read(spark, png, List.of("train", "test")).collectAsList();
    List<Row> test = ClassFolderReader.read(spark, png, List.of("test")).collectAsList();

    assertEquals(300, both.stream().filter(r -> r.getAs("split").equals("train")).count());
    assertEquals(100, both.stream().filter(r -> r.getAs("split").equals("test")).count());
    assertEquals(100, test.size());
    assertEquals("cat", labelsById(test).get("test/cat/00000.png"));
  }

  @Test
  void filesOutsideClassFoldersAreLeftOut() throws Exception {
    TestFiles.write(tmp.resolve("stray.png"), new byte[] {1});
    TestFiles.write(tmp.resolve("dog/1.png"), new byte[] {2});
    TestFiles.write(tmp.resolve("dog/puppies/2.png"), new byte[] {3});

    Map<String, String> labels = labelsById(ClassFolderReader.read(spark, tmp.toString()).collectAsList());

    assertEquals(Map.of("dog/1.png", "dog", "dog/puppies/2.png", "dog"), labels);
  }

  @Test
  void anEmptyImageInAClassFolderIsARowWithItsLabel() throws Exception {
    TestFiles.write(tmp.resolve("train/dog/1.png"), new byte[] {2});
    TestFiles.write(tmp.resolve("train/dog/empty.jpg"), new byte[0]);

    List<Row> rows = ClassFolderReader.read(spark, tmp.toString(), List.of("train")).collectAsList();

    assertEquals(Map.of("train/dog/1.png", "dog", "train/dog/empty.jpg", "dog"), labelsById(rows));
    assertEquals(0, rows.stream().filter(r -> r.getAs("image_id").equals("train/dog/empty.jpg"))
        .map(r -> r.<byte[]>getAs("content").length).findFirst().orElseThrow());
  }

  @Test
  void emptySplitListIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> ClassFolderReader.read(spark, tmp.toString(), List.of()));
  }

  private static Map<String, String> labelsById(List<Row> rows) {
    Map<String, String> labels = new TreeMap<>();
    rows.forEach(r -> labels.put(r.getAs("image_id"), r.getAs("label")));
    return labels;
  }
}

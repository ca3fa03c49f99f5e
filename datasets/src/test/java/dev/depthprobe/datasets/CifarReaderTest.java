package dev.depthprobe.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {
  private static final int RECORD = 3073;
  private static SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.start(CifarReaderTest.class);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void binaryBatchesAndPngClassFoldersYieldTheSameLabelledImages() {
    Map<String, Row> binary = new HashMap<>();
    for (Row row : CifarReader.read(spark, binDir().toString()).collectAsList()) {
      String[] fileAndIndex = row.<String>getAs("image_id").split("/");
      binary.put(row.getAs("split") + "/" + Integer.parseInt(fileAndIndex[1]), row);
    }
    Map<String, Row> folders = new HashMap<>();
    List<Row> pngRows = ClassFolderReader.read(spark, TestFiles.resource("/cifar10/png").toString(),
        List.of("train", "test")).collectAsList();
    for (Row row : pngRows) {
      String id = row.getAs("image_id");
      int index = Integer.parseInt(id.substring(id.lastIndexOf('/') + 1, id.length() - ".png".length()));
      folders.put(row.getAs("split") + "/" + index, row);
    }

    assertEquals(400, binary.size());
    assertEquals(binary.keySet(), folders.keySet());
    for (Map.Entry<String, Row> entry : binary.entrySet()) {
      Row fromFolder = folders.get(entry.getKey());
      assertEquals(fromFolder.<String>getAs("label"), entry.getValue().getAs("label"), entry.getKey());
      assertArrayEquals(TestFiles.rgb(fromFolder.getAs("content")), TestFiles.rgb(entry.getValue().getAs("content")),
          entry.getKey());
    }
  }

  @Test
  void firstRecordsCarryTheOfficialLabelsAndPixels() {
    Map<String, Row> byId = new HashMap<>();
    CifarReader.read(spark, binDir().toString()).collectAsList().forEach(r -> byId.put(r.getAs("image_id"), r));

    Row train0 = byId.get("data_batch_1_first300.bin/0");
    assertEquals("frog", train0.getAs("label"));
    assertEquals("train", train0.getAs("split"));
    assertTrue(train0.<String>getAs("source").endsWith("data_batch_1_first300.bin#0"));
    assertArrayEquals(new int[] {59, 43, 50, 68, 98, 119, 139, 145, 149, 149}, firstReds(train0));
    Row test0 = byId.get("test_batch_first100.bin/0");
    assertEquals("cat", test0.getAs("label"));
    assertEquals("test", test0.getAs("split"));
    assertArrayEquals(new int[] {158, 159, 165, 166, 160, 156, 162, 159, 158, 159}, firstReds(test0));
    List<String> firstTrainLabels = List.of("frog", "truck", "truck", "deer", "automobile");
    for (int i = 0; i < firstTrainLabels.size(); i++) {
      assertEquals(firstTrainLabels.get(i), byId.get("data_batch_1_first300.bin/" + i).getAs("label"));
    }
  }

  @Test
  void cifar100RecordsAreLabelledWithTheFineClass() throws Exception {
    byte[] cifar10 = Files.readAllBytes(binDir().resolve("data_batch_1_first300.bin"));
    ByteArrayOutputStream records = new ByteArrayOutputStream();
    for (int i = 0; i < 2; i++) {
      records.write(new byte[] {(byte) 1, (byte) (2 - i)}); // coarse label, fine label
      records.write(cifar10, i * RECORD + 1, RECORD - 1);
    }
    Path dir = tmp.resolve("cifar-100-binary");
    TestFiles.write(dir.resolve("train.bin"), records.toByteArray());
    Files.writeString(dir.resolve("fine_label_names.txt"), "apple\naquarium_fish\nbaby\n");
    Files.writeString(dir.resolve("coarse_label_names.txt"), "aquatic_mammals\nfish\n");

    List<Row> rows = CifarReader.read(spark, dir.toString()).orderBy("image_id").collectAsList();

    assertEquals(List.of("train.bin/0", "train.bin/1"), rows.stream().map(r -> r.<String>getAs("image_id")).toList());
    assertEquals(List.of("baby", "aquarium_fish"), rows.stream().map(r -> r.<String>getAs("label")).toList());
    assertEquals("train", rows.get(0).getAs("split"));
    assertArrayEquals(new int[] {59, 43, 50, 68, 98, 119, 139, 145, 149, 149}, firstReds(rows.get(0)));
  }

  @Test
  void batchThatIsNotWholeRecordsIsRejected() throws Exception {
    Path dir = tmp.resolve("cut");
    byte[] cifar10 = Files.readAllBytes(binDir().resolve("test_batch_first100.bin"));
    TestFiles.write(dir.resolve("test_batch.bin"), Arrays.copyOf(cifar10, 2 * RECORD + 5));
    Files.copy(binDir().resolve("batches.meta.txt"), dir.resolve("batches.meta.txt"));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CifarReader.read(spark, dir.toString()));
    assertTrue(e.getMessage().endsWith("test_batch.bin: 6151 bytes is not a whole number of 3073-byte CIFAR-10 records"),
        e.getMessage());
  }

  @Test
  void aBatchOverWhatOneArrayHoldsAndAHugeClassNameFileAreRejectedUnread() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("huge"));
    Files.copy(binDir().resolve("batches.meta.txt"), dir.resolve("batches.meta.txt"));
    try (RandomAccessFile batch = new RandomAccessFile(dir.resolve("data_batch_1.bin").toFile(), "rw")) {
      batch.setLength(3073L * 1_000_000); // sparse: a million whole records, 3 GB
    }
    Path names = Files.createDirectories(tmp.resolve("huge-names"));
    Files.copy(binDir().resolve("test_batch_first100.bin"), names.resolve("test_batch.bin"));
    try (RandomAccessFile meta = new RandomAccessFile(names.resolve("batches.meta.txt").toFile(), "rw")) {
      meta.setLength(3L << 30); // sparse, 3 GiB: read on the driver
    }

    IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
        () -> CifarReader.read(spark, dir.toString()));
    IllegalArgumentException meta = assertThrows(IllegalArgumentException.class,
        () -> CifarReader.read(spark, names.toString()));

    assertTrue(batch.getMessage().endsWith("data_batch_1.bin: 3073000000 bytes is more than one batch file can hold "
        + "(Spark reads a file into one array, at most 2 GiB; a CIFAR batch is about 30 MB)"), batch.getMessage());
    assertTrue(meta.getMessage().endsWith("batches.meta.txt: 3221225472 bytes is not a class-name file (at most "
        + "1048576 bytes; CIFAR-100's is 1 KB)"), meta.getMessage());
  }

  @Test
  void planesBecomeInterleavedPixels() {
    byte[] planes = new byte[3 * 1024 + 1];
    planes[1] = 10; // R of pixel 0
    planes[1 + 1024] = 20; // G of pixel 0
    planes[1 + 2048 + 1023] = 30; // B of the last pixel
    byte[] rgb = CifarReader.planarToInterleaved(planes, 1);
    assertArrayEquals(new byte[] {10, 20, 0}, Arrays.copyOf(rgb, 3));
    assertEquals(30, rgb[3 * 1023 + 2]);
  }

  private static Path binDir() {
    return TestFiles.resource("/cifar10/cifar-10-batches-bin");
  }

  private static int[] firstReds(Row row) {
    int[] rgb = TestFiles.rgb(row.getAs("content"));
    return Arrays.stream(rgb, 0, 10).map(p -> p >> 16).toArray();
  }
}

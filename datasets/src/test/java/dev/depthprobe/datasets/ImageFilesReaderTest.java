package dev.depthprobe.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.image.ImageLoader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesReaderTest {
  private static SparkSession spark;

  @TempDir
  Path root;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.start(ImageFilesReaderTest.class);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @BeforeEach
  void writeFiles() throws Exception {
    for (String name : List.of("a.jpg", "sub/B.JPG", "with space/d é.png", ".hidden.jpg", ".cache/c.png",
        "notes.txt", "sub/deeper/e.webp")) {
      TestFiles.write(root.resolve(name), name.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void folderGivesIdsRelativeToTheRootAndSkipsHiddenAndNonImageFiles() {
    Map<String, Row> byId = byId(ImageFilesReader.read(spark, root.toString()).collectAsList());

    assertEquals(List.of("a.jpg", "sub/B.JPG", "sub/deeper/e.webp", "with space/d é.png"), List.copyOf(byId.keySet()));
    Row row = byId.get("with space/d é.png");
    assertEquals("file:" + root.resolve("with space/d é.png"), row.getAs("source"));
    assertArrayEquals("with space/d é.png".getBytes(StandardCharsets.UTF_8), row.getAs("content"));
  }

  @Test
  void emptyImageFilesAreRowsWithEmptyContentAndOtherEmptyFilesAreNot() throws Exception {
    for (String name : List.of("empty.jpg", "sub/deeper/EMPTY.PNG", ".hidden-empty.jpg", "_staging/empty.jpg",
        "empty.txt")) {
      TestFiles.write(root.resolve(name), new byte[0]);
    }

    Map<String, Row> byId = byId(ImageFilesReader.read(spark, root.toString()).collectAsList());

    assertEquals(List.of("a.jpg", "empty.jpg", "sub/B.JPG", "sub/deeper/EMPTY.PNG", "sub/deeper/e.webp",
        "with space/d é.png"), List.copyOf(byId.keySet()));
    assertArrayEquals(new byte[0], byId.get("empty.jpg").getAs("content"));
    assertEquals("file:" + root.resolve("sub/deeper/EMPTY.PNG"), byId.get("sub/deeper/EMPTY.PNG").getAs("source"));
  }

  @Test
  void aFileOverTheLimitIsARowWithoutContentThatSaysWhyAndTheOthersAreRead() throws Exception {
    // 2.5 GB, sparse: Spark's source fails its whole scan on a file over 2 GiB
    try (RandomAccessFile huge = new RandomAccessFile(root.resolve("huge.jpg").toFile(), "rw")) {
      huge.setLength(2_500_000_000L);
    }

    Map<String, Row> byId = byId(ImageFilesReader.read(spark, root.toString()).collectAsList());

    assertEquals(List.of("a.jpg", "huge.jpg", "sub/B.JPG", "sub/deeper/e.webp", "with space/d é.png"),
        List.copyOf(byId.keySet()));
    assertNull(byId.get("huge.jpg").getAs("content"));
    assertEquals("file of 2500000000 bytes is over the limit of 1431655760 (8 bytes a pixel of the pixel limit); "
        + "not read", byId.get("huge.jpg").getAs(InputSchema.READ_ERROR));
    assertArrayEquals("a.jpg".getBytes(StandardCharsets.UTF_8), byId.get("a.jpg").getAs("content"));
    assertNull(byId.get("a.jpg").getAs(InputSchema.READ_ERROR));
  }

  @Test
  void aSymbolicLinkBackIntoTheFolderIsRefusedBeforeSparkListsItAndALinkElsewhereIsFollowed(@TempDir Path other)
      throws Exception {
    TestFiles.write(other.resolve("shared.png"), "shared".getBytes(StandardCharsets.UTF_8));
    Files.createSymbolicLink(root.resolve("linked"), other);

    Map<String, Row> byId = byId(ImageFilesReader.read(spark, root.toString()).collectAsList());
    assertArrayEquals("shared".getBytes(StandardCharsets.UTF_8), byId.get("linked/shared.png").getAs("content"));

    // two links back: Spark's listing would follow 2^40 paths
    Files.createSymbolicLink(root.resolve("sub/back"), root);
    Files.createSymbolicLink(root.resolve("sub/deeper/back"), root);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageFilesReader.read(spark, root.toString()));
    assertTrue(e.getMessage().matches(".*/sub/(deeper/)?back is a symbolic link to a folder that holds it: Spark's "
        + "listing would follow the loop without end"), e.getMessage());
  }

  @Test
  void theFileLimitIsEightBytesAPixelOfThePixelLimit() {
    // "sub/deeper/e.webp" is 17 bytes, over 2 pixels' 16; "a.jpg" is 5 bytes
    Map<String, Row> byId = byId(ImageFilesReader.read(spark, root.toString(), 2).collectAsList());

    assertNull(byId.get("sub/deeper/e.webp").getAs("content"));
    assertEquals("a.jpg", new String((byte[]) byId.get("a.jpg").getAs("content"), StandardCharsets.UTF_8));
    assertEquals(Integer.MAX_VALUE, ImageLoader.maxFileBytes(1L << 40));
  }

  @Test
  void aPixelLimitTooLargeToMultiplyStillReadsEveryFile() {
    // 8 times 2^61 or more wraps around a long: a limit of 0 or less would refuse every file
    assertEquals(Integer.MAX_VALUE, ImageLoader.maxFileBytes(Long.MAX_VALUE));
    assertEquals(Integer.MAX_VALUE, ImageLoader.maxFileBytes(1L << 61));
    Map<String, Row> byId = byId(ImageFilesReader.read(spark, root.toString(), Long.MAX_VALUE).collectAsList());

    assertEquals("a.jpg", new String((byte[]) byId.get("a.jpg").getAs("content"), StandardCharsets.UTF_8));
    assertNull(byId.get("sub/deeper/e.webp").getAs(InputSchema.READ_ERROR));
  }

  @Test
  void aGlobMatchingAnEmptyFileGivesItsRow() throws Exception {
    TestFiles.write(root.resolve("sub/empty.jpg"), new byte[0]);

    List<Row> rows = ImageFilesReader.read(spark, root + "/sub/*.{jpg,JPG}").collectAsList();

    assertEquals(List.of("B.JPG", "empty.jpg"), List.copyOf(byId(rows).keySet()));
  }

  @Test
  void globIdsAreRelativeToTheFolderBeforeTheWildcard() {
    List<Row> rows = ImageFilesReader.read(spark, root + "/*/*.png").collectAsList();

    assertEquals(List.of("with space/d é.png"), List.copyOf(byId(rows).keySet()));
  }

  @Test
  void singleFileIdIsItsName() {
    List<Row> rows = ImageFilesReader.read(spark, root.resolve("sub/B.JPG").toString()).collectAsList();

    assertEquals(List.of("B.JPG"), List.copyOf(byId(rows).keySet()));
  }

  @Test
  void bundledSampleHoldsFiveImagesAndNoDocumentation() throws Exception {
    Path sample = TestFiles.resource("/sample");
    Map<String, Row> byId = byId(ImageFilesReader.read(spark, sample.toString()).collectAsList());

    assertEquals(List.of("china_truncated_40pct.jpg", "rocket_exif_orientation6.jpg", "skimage_chelsea.png",
        "sklearn_flower.jpg", "tum_rgbd_office.png"), List.copyOf(byId.keySet()));
    assertArrayEquals(Files.readAllBytes(sample.resolve("tum_rgbd_office.png")),
        byId.get("tum_rgbd_office.png").getAs("content"));
  }

  @Test
  void outputMatchesTheInputSchema() {
    InputSchema.validate(ImageFilesReader.read(spark, root.toString()).schema());
  }

  @Test
  void globPrefixStopsAtTheLastSlashBeforeAWildcard() {
    assertEquals("/data/imgs", DatasetRoot.globFreePrefix("/data/imgs/2024-??/a*.jpg"));
    assertEquals("s3a://bucket/x", DatasetRoot.globFreePrefix("s3a://bucket/x/{a,b}/*.png"));
    assertEquals(".", DatasetRoot.globFreePrefix("*.jpg"));
  }

  private static Map<String, Row> byId(List<Row> rows) {
    Map<String, Row> byId = new TreeMap<>();
    rows.forEach(r -> byId.put(r.getAs("image_id"), r));
    return byId;
  }
}

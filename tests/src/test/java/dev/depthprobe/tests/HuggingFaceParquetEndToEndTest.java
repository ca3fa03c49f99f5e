package dev.depthprobe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.datasets.HuggingFaceFeatures;
import dev.depthprobe.datasets.ParquetImagesReader;
import dev.depthprobe.jobs.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * features and probe on Parquet files written as Hugging Face's {@code datasets} writes them (image
 * struct, int64 ClassLabel, no id column, the description in the footer), made here from the bundled
 * CIFAR-10 subset's PNGs, with the bundled tiny ImageGPT.
 */
class HuggingFaceParquetEndToEndTest {
  private static final Path PNG = Path.of("../datasets/src/test/resources/cifar10/png");
  private static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
      "frog", "horse", "ship", "truck");
  private static SparkCli cli;

  @TempDir
  Path dir;

  @BeforeAll
  static void startSpark() {
    cli = SparkCli.start(HuggingFaceParquetEndToEndTest.class);
  }

  @AfterAll
  static void stopSpark() {
    cli.close();
  }

  @Test
  void aDatasetsParquetWorksAsItComesAndTheProbeReportsClassNames() throws IOException {
    Path data = Files.createDirectories(dir.resolve("cifar10/data"));
    HuggingFaceParquet.write(data.resolve("train-00000-of-00001.parquet"), cifar("train", true), CLASSES);

    var r = cli.run("features", "--input", dir.resolve("cifar10").toString(), "--input-format", "parquet",
        "--layers", "2", "--output", dir.resolve("features").toString(), "--run-id", "hf", "--batch-size", "32");

    assertEquals(ExitCodes.OK, r.code(), r.err());
    List<Row> rows = cli.spark().read().parquet(dir.resolve("features").toString())
        .orderBy("image_id").collectAsList();
    assertEquals(300, rows.size());
    assertTrue(rows.stream().allMatch(row -> "ok".equals(row.getAs("status"))));
    // the id is the image struct's path (set and unique); the label the ClassLabel name of the index
    Row first = rows.get(0);
    String id = first.getAs("image_id");
    assertTrue(Files.exists(PNG.resolve("train/" + first.getAs("label") + "/" + id)), id);

    r = cli.run("probe", "--train", dir.resolve("features").toString(), "--test-fraction", "0.3", "--output",
        dir.resolve("probe").toString(), "--run-id", "hf", "--reg-params", "1", "--max-iter", "30");

    assertEquals(ExitCodes.OK, r.code(), r.err());
    JsonNode metrics = new ObjectMapper().readTree(dir.resolve("probe/run_id=hf/metrics.json").toFile());
    List<String> classes = new ArrayList<>();
    metrics.path("classes").forEach(c -> classes.add(c.asText()));
    assertEquals(CLASSES, classes); // names, not indices
    assertTrue(metrics.path("per_class").has("airplane"));
    assertEquals(91, metrics.path("counts").path("test").asLong()); // round(0.3 n) per class, as in the folders
  }

  @Test
  void withoutPathsTheIdIsFileAndRowAndAnIndexOutsideTheNamesIsUnlabelled() throws IOException {
    List<HuggingFaceParquet.Image> images = new ArrayList<>(cifar("test", false).subList(0, 3));
    images.add(new HuggingFaceParquet.Image(images.get(0).bytes(), null, -1)); // datasets' "no label"
    Path file = dir.resolve("test-00000-of-00001.parquet");
    HuggingFaceParquet.write(file, images, CLASSES);

    var r = cli.run("features", "--input", file.toString(), "--input-format", "parquet", "--layers", "1",
        "--output", dir.resolve("features").toString(), "--run-id", "t");

    assertEquals(ExitCodes.OK, r.code(), r.err());
    List<Row> rows = cli.spark().read().parquet(dir.resolve("features").toString()).orderBy("image_id")
        .collectAsList();
    assertEquals(List.of("test-00000-of-00001.parquet#0", "test-00000-of-00001.parquet#1",
        "test-00000-of-00001.parquet#2", "test-00000-of-00001.parquet#3"),
        rows.stream().map(row -> row.<String>getAs("image_id")).toList());
    assertEquals(CLASSES.get((int) images.get(0).label()), rows.get(0).getAs("label"));
    assertNull(rows.get(3).getAs("label"));
  }

  @Test
  void pathsThatRepeatAreNotUsedAsIds() throws IOException {
    List<HuggingFaceParquet.Image> images = new ArrayList<>();
    for (HuggingFaceParquet.Image image : cifar("test", true).subList(0, 2)) {
      images.add(new HuggingFaceParquet.Image(image.bytes(), "image.png", image.label()));
    }
    Path file = dir.resolve("same.parquet");
    HuggingFaceParquet.write(file, images, CLASSES);

    List<String> ids = ParquetImagesReader.read(cli.spark(), file.toString(), null, null, null)
        .select("image_id").orderBy("image_id").as(Encoders.STRING()).collectAsList();

    assertEquals(List.of("same.parquet#0", "same.parquet#1"), ids);
  }

  @Test
  void theFooterDescriptionIsReadFromTheFirstDataFile() throws IOException {
    Path data = Files.createDirectories(dir.resolve("table"));
    HuggingFaceParquet.write(data.resolve("part-0.parquet"), cifar("test", true).subList(0, 1), CLASSES);
    Files.writeString(data.resolve("_SUCCESS"), "");

    HuggingFaceFeatures features = HuggingFaceFeatures.read(new Configuration(), data.toString());

    assertEquals(List.of("label"), features.columnsOfType(HuggingFaceFeatures.CLASS_LABEL));
    assertEquals(List.of("image"), features.columnsOfType(HuggingFaceFeatures.IMAGE));
    assertEquals(CLASSES, features.classNames("label").orElseThrow());
  }

  /** The bundled PNGs of a split as rows: bytes, file name as path (or none), label index. */
  private static List<HuggingFaceParquet.Image> cifar(String split, boolean withPath) throws IOException {
    List<HuggingFaceParquet.Image> images = new ArrayList<>();
    for (int label = 0; label < CLASSES.size(); label++) {
      try (Stream<Path> files = Files.list(PNG.resolve(split).resolve(CLASSES.get(label)))) {
        for (Path png : files.sorted().toList()) {
          images.add(new HuggingFaceParquet.Image(Files.readAllBytes(png),
              withPath ? png.getFileName().toString() : null, label));
        }
      }
    }
    return images;
  }
}

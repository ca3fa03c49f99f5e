package dev.depthprobe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depthprobe.jobs.ExitCodes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import nu.validator.client.EmbeddedValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code depthprobe report} on outputs made here from the bundled samples: a depth run of the sample images
 * (one with ground truth, one corrupt), its evaluation, a features run of the CIFAR-10 subset's test images and
 * a probe on it. The page passes the W3C Nu HTML Checker and every image it shows is a PNG of the stated size.
 */
class ReportEndToEndTest {
  private static final Path SAMPLE = Path.of("../datasets/src/main/resources/sample");
  private static final Path SAMPLE_GT = Path.of("../datasets/src/main/resources/sample-ground-truth");
  private static final Path CIFAR_TEST = Path.of("../datasets/src/test/resources/cifar10/png/test");
  private static final Path GLPN_TINY = Path.of("../jobs/src/main/resources/sample-model/glpn-tiny");
  private static final Path IMAGEGPT_TINY = Path.of("../jobs/src/main/resources/sample-model/imagegpt-tiny");
  private static final Pattern IMG = Pattern.compile(
      "<img src=\"([^\"]+)\" width=\"(\\d+)\" height=\"(\\d+)\" alt=\"[^\"]+\">");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  private static SparkCli cli;
  private static String depthRun;
  private static String evaluation;
  private static String featuresRun;
  private static String probeRun;

  @BeforeAll
  static void runTheJobs() {
    cli = SparkCli.start(ReportEndToEndTest.class);
    ok(cli.run("depth", "--input", SAMPLE.toString(), "--model", GLPN_TINY.toString(),
        "--output", dir.resolve("depth").toString(), "--run-id", "r1"));
    depthRun = dir.resolve("depth/run_id=r1").toString();
    evaluation = dir.resolve("evaluation").toString();
    ok(cli.run("evaluate-depth", "--predictions", depthRun, "--ground-truth", SAMPLE_GT.toString(),
        "--output", evaluation));
    ok(cli.run("features", "--input", CIFAR_TEST.toString(), "--input-format", "class-folders",
        "--model", IMAGEGPT_TINY.toString(), "--layers", "2", "--output", dir.resolve("features").toString(),
        "--run-id", "r1"));
    featuresRun = dir.resolve("features/run_id=r1").toString();
    ok(cli.run("probe", "--train", featuresRun, "--test-fraction", "0.3", "--reg-params", "0.01,1",
        "--max-iter", "30", "--output", dir.resolve("probe").toString(), "--run-id", "r1"));
    probeRun = dir.resolve("probe/run_id=r1").toString();
  }

  @AfterAll
  static void stopSpark() {
    cli.close();
  }

  @Test
  void aReportOfAllFourIsValidHtmlWhoseImagesAllExistAtTheirStatedSize() throws IOException {
    Path report = dir.resolve("report-all");

    SparkCli.Result r = cli.run("report", "--run", depthRun, "--run", evaluation, "--run", featuresRun,
        "--run", probeRun, "--output", report.toString());

    ok(r);
    Path index = report.resolve("index.html");
    assertValidHtml(index);
    String html = Files.readString(index).replace("\n", "");
    List<String> images = assertImagesExist(report, html);
    assertTrue(images.contains("depth_histogram.png"), images.toString());
    assertTrue(images.contains("confusion_layer2.png"), images.toString());
    // five sample images: four ok cards with input and depth, the one with ground truth also gt and error
    assertEquals(5, count(html, "<div class=\"card\">"));
    assertEquals(4, images.stream().filter(p -> p.endsWith("-depth.png")).count());
    assertEquals(4, images.stream().filter(p -> p.endsWith("-input.png")).count());
    assertEquals(1, images.stream().filter(p -> p.endsWith("-gt.png")).count());
    assertEquals(1, images.stream().filter(p -> p.endsWith("-error.png")).count());
    String tumCard = card(html, "tum_rgbd_office.png");
    assertTrue(tumCard.contains("-gt.png") && tumCard.contains("-error.png") && tumCard.contains("abs rel / rmse"),
        tumCard);
    assertTrue(card(html, "china_truncated_40pct.jpg").contains("<p class=\"error\">decode: "), html);
    assertTrue(card(html, "skimage_chelsea.png").contains("<th>not evaluated</th><td>no_ground_truth</td>"), html);
    for (String label : List.of("airplane", "automobile", "truck")) {
      assertTrue(html.contains("<th>" + label + "</th>"), label);
    }
    JsonNode metrics = JSON.readTree(Path.of(probeRun, "metrics.json").toFile());
    assertTrue(html.contains("<th>accuracy</th><td>" + String.format(java.util.Locale.ROOT, "%.4f",
        metrics.path("accuracy").asDouble()) + "</td>"), html);
    assertTrue(html.contains("<h2>Features run r1</h2>") && html.contains("<h2>Depth evaluation</h2>"), html);
    assertFalse(html.contains("<script"), html);
    assertFalse(html.contains("http://") || html.contains("https://"), "fetches nothing");
  }

  @Test
  void maxImagesLimitsTheCardsAndARerunReplacesTheEarlierReport() throws IOException {
    Path report = dir.resolve("report-two");
    ok(cli.run("report", "--run", dir.resolve("depth").toString(), "--output", report.toString()));

    ok(cli.run("report", "--run", depthRun, "--max-images", "2", "--output", report.toString()));

    String html = Files.readString(report.resolve("index.html"));
    assertEquals(2, count(html, "<div class=\"card\">"));
    List<String> images = assertImagesExist(report, html);
    try (var files = Files.list(report.resolve("img"))) {
      assertEquals(images.stream().filter(p -> p.startsWith("img/")).count(), files.count(), "no stale images");
    }
  }

  @Test
  void aLayerSweepShowsItsChartTableAndTheBestLayersFigures() throws IOException {
    Path sweep = Files.createDirectories(dir.resolve("sweep/run_id=s1"));
    ObjectNode metrics = (ObjectNode) JSON.readTree(Path.of(probeRun, "metrics.json").toFile());
    ObjectNode layers = JSON.createObjectNode();
    var list = layers.putArray("layers");
    double[] accuracy = {0.2, 0.35, 0.3};
    for (int layer = 0; layer < 3; layer++) {
      metrics.put("layer", layer).put("accuracy", accuracy[layer]);
      Files.createDirectories(sweep.resolve("layer=" + layer));
      JSON.writeValue(sweep.resolve("layer=" + layer + "/metrics.json").toFile(), metrics);
      list.addObject().put("layer", layer).put("accuracy", accuracy[layer]).put("macro_f1", accuracy[layer] - 0.05)
          .put("reg_param", 0.01);
    }
    layers.put("best_layer", 1);
    JSON.writeValue(sweep.resolve("layer_sweep.json").toFile(), layers);
    Path report = dir.resolve("report-sweep");

    ok(cli.run("report", "--run", dir.resolve("sweep").toString(), "--output", report.toString()));

    Path index = report.resolve("index.html");
    assertValidHtml(index);
    String html = Files.readString(index).replace("\n", "");
    List<String> images = assertImagesExist(report, html);
    assertTrue(images.containsAll(List.of("layer_sweep.png", "confusion_layer1.png")), images.toString());
    assertTrue(html.contains("<th>1 (best)</th><td>0.3500</td><td>0.3000</td>"), html);
    assertTrue(html.contains("<h3>Best layer 1</h3>"), html);
  }

  @Test
  void aFolderThatIsNoJobOutputIsOneLineAndExitCode2() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("nothing"));

    SparkCli.Result r = cli.run("report", "--run", empty.toString(), "--output", dir.resolve("r").toString());

    assertEquals(ExitCodes.USAGE, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("depthprobe: --run " + empty + ": not a depth or features run"), r.err());
    assertFalse(Files.exists(dir.resolve("r/index.html")));
  }

  @Test
  void twoDepthRunsAreOneLineAndExitCode2() {
    SparkCli.Result r = cli.run("report", "--run", depthRun, "--run", depthRun, "--output",
        dir.resolve("r2").toString());

    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("a second depth run"), r.err());
  }

  /** The W3C checker's messages, none expected: no errors and no warnings. */
  private static void assertValidHtml(Path index) throws IOException {
    EmbeddedValidator validator = new EmbeddedValidator();
    validator.setOutputFormat(EmbeddedValidator.OutputFormat.TEXT);
    validator.setNoLangDetect(true);
    String messages;
    try {
      messages = validator.validate(index);
    } catch (org.xml.sax.SAXException e) {
      throw new AssertionError("vnu could not check " + index, e);
    }
    List<String> problems = messages.lines().filter(l -> l.startsWith("Error") || l.startsWith("Warning")
        || l.startsWith("Fatal")).toList();
    assertEquals(List.of(), problems, messages);
  }

  /** Every img of the page, a PNG in the report's folder at the width and height the page states. */
  private static List<String> assertImagesExist(Path report, String html) throws IOException {
    List<String> paths = new ArrayList<>();
    Matcher m = IMG.matcher(html);
    while (m.find()) {
      Path file = report.resolve(m.group(1));
      assertTrue(Files.isRegularFile(file), file.toString());
      BufferedImage image = ImageIO.read(file.toFile());
      assertNotNull(image, file + " is not a readable image");
      assertEquals(Integer.parseInt(m.group(2)), image.getWidth(), file.toString());
      assertEquals(Integer.parseInt(m.group(3)), image.getHeight(), file.toString());
      paths.add(m.group(1));
    }
    assertEquals(count(html, "<img "), paths.size(), "every img has src, width, height and alt");
    return paths;
  }

  /** The card of one image: from its heading to the next card. */
  private static String card(String html, String imageId) {
    int start = html.indexOf("<h4>" + imageId + "</h4>");
    assertTrue(start >= 0, imageId);
    int end = html.indexOf("<div class=\"card\">", start);
    return html.substring(start, end < 0 ? html.length() : end);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  private static void ok(SparkCli.Result r) {
    assertEquals(ExitCodes.OK, r.code(), r.out() + r.err());
  }
}

package dev.depthprobe.jobs.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class LayerSweepTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theSummaryListsEachLayerInOrderAndTheBestLayerTiesGoingToTheLowerLayer() {
    List<JsonNode> reports = List.of(report(0, 0.20, 0.18, 1.0), report(2, 0.35, 0.33, 0.01),
        report(4, 0.35, 0.30, 0.1));

    ObjectNode sweep = LayerSweep.summary(reports);

    assertEquals(List.of("layers", "best_layer"), fieldNames(sweep));
    assertEquals(3, sweep.path("layers").size());
    JsonNode second = sweep.path("layers").get(1);
    assertEquals(List.of("layer", "accuracy", "macro_f1", "reg_param"), fieldNames(second));
    assertEquals(2, second.path("layer").asInt());
    assertEquals(0.35, second.path("accuracy").asDouble());
    assertEquals(0.33, second.path("macro_f1").asDouble());
    assertEquals(0.01, second.path("reg_param").asDouble());
    assertEquals(2, sweep.path("best_layer").asInt());
  }

  @Test
  void theChartIsAPngWithTheBestLayerMarkedInRed() throws IOException {
    List<LayerSweepChart.Point> points = List.of(new LayerSweepChart.Point(0, 0.15),
        new LayerSweepChart.Point(1, 0.22), new LayerSweepChart.Point(2, 0.31), new LayerSweepChart.Point(3, 0.27));

    byte[] png = LayerSweepChart.png(points, 2, 0.1, "tiny ImageGPT, recipe hidden, 10 classes, 100 test images");

    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(LayerSweepChart.WIDTH, image.getWidth());
    assertEquals(LayerSweepChart.HEIGHT, image.getHeight());
    int red = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y) & 0xffffff;
        if (rgb == 0xd62728) {
          red++;
        }
      }
    }
    assertTrue(red > 50, "the best layer's marker and label are drawn in red: " + red + " pixels");
  }

  private static JsonNode report(int layer, double accuracy, double macroF1, double reg) {
    ObjectNode report = JSON.createObjectNode().put("layer", layer).put("accuracy", accuracy).put("macro_f1", macroF1);
    report.putObject("regularisation").put("chosen", reg);
    return report;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}

package dev.depthprobe.imagegpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.image.FixtureImages;
import dev.depthprobe.image.FixtureImages.Case;
import dev.depthprobe.image.RgbImage;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageGptImageProcessorTest {
  private static final ImageGptImageProcessor TINY = processor("fixtures/imagegpt-tiny/model/preprocessor_config.json");
  private static final ImageGptImageProcessor REAL_PALETTE =
      processor("fixtures/imagegpt-real-palette/processor/preprocessor_config.json");

  private static ImageGptImageProcessor processor(String config) {
    return ImageGptImageProcessor.fromConfig(FixtureImages.json(FixtureImages.resource(config)));
  }

  static Stream<Arguments> cases() {
    return Stream.concat(
        FixtureImages.cases("imagegpt-tiny").stream().map(c -> Arguments.of("tiny", c)),
        FixtureImages.cases("imagegpt-real-palette").stream().map(c -> Arguments.of("real-palette", c)));
  }

  private static ImageGptImageProcessor processorFor(String fixture) {
    return fixture.equals("tiny") ? TINY : REAL_PALETTE;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void resizedImageEqualsPillowExactly(String fixture, Case c) {
    RgbImage expected = FixtureImages.fromChw(c.npy("resized_uint8.npy"));

    RgbImage resized = processorFor(fixture).resize(c.image());

    assertEquals(0, FixtureImages.differingSamples(expected, resized), "samples differing from Pillow");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void normalizedPixelsEqualTransformersExactly(String fixture, Case c) {
    float[] chw = c.npy("normalized.npy").toFloatArray();
    int plane = chw.length / 3;

    float[] hwc = processorFor(fixture).normalized(c.image());

    float[] expected = new float[chw.length];
    for (int p = 0; p < plane; p++) {
      for (int ch = 0; ch < 3; ch++) {
        expected[p * 3 + ch] = chw[ch * plane + p];
      }
    }
    assertArrayEquals(expected, hwc, 0f);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void inputIdsEqualTransformersExactly(String fixture, Case c) {
    long[] expected = c.npy("input_ids.npy").toLongArray();

    long[] ids = processorFor(fixture).inputIds(c.image());

    assertArrayEquals(expected, ids);
  }

  @Test
  void sizesComeFromTheConfig() {
    assertEquals(64, TINY.sequenceLength());
    assertEquals(1024, REAL_PALETTE.sequenceLength());
    assertEquals(512, REAL_PALETTE.numClusters());
  }

  @Test
  void equidistantClustersResolveToTheLowestIndex() {
    double[][] clusters = {{0.5, 0.5, 0.5}, {-1, -1, -1}, {-1, -1, -1}, {1, 1, 1}};
    ImageGptImageProcessor processor = new ImageGptImageProcessor(clusters, 1, 2);
    // 0 -> -1 (cluster 1 and its duplicate 2); 255 -> +1 (cluster 3)
    RgbImage image = new RgbImage(2, 1, new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});

    assertArrayEquals(new long[] {1, 3}, processor.inputIds(image));
  }

  @Test
  void legacyIntegerSizeMeansASquare() {
    ObjectNode config = new ObjectMapper().createObjectNode();
    config.put("feature_extractor_type", "ImageGPTFeatureExtractor").put("size", 4);
    config.putArray("clusters").addArray().add(0.0).add(0.0).add(0.0);

    ImageGptImageProcessor processor = ImageGptImageProcessor.fromConfig(config);

    assertEquals(16, processor.sequenceLength());
    assertEquals(1, processor.numClusters());
    assertEquals(4, processor.resize(new RgbImage(7, 3, new byte[7 * 3 * 3])).width());
  }

  @Test
  void configWithoutColourQuantisationIsRejected() {
    JsonNode config = ((ObjectNode) FixtureImages.json(
        FixtureImages.resource("fixtures/imagegpt-tiny/model/preprocessor_config.json")))
        .put("do_color_quantize", false);

    assertThrows(CheckpointException.class, () -> ImageGptImageProcessor.fromConfig(config));
  }

  @Test
  void clustersMustHaveThreeValues() {
    assertThrows(IllegalArgumentException.class,
        () -> new ImageGptImageProcessor(new double[][] {{0, 0}}, 2, 2));
  }

  @Test
  void sizesAndClustersOutsideSaneBoundsAreRefusedNamingTheFileAndKey() {
    ObjectNode zero = new ObjectMapper().createObjectNode().put("size", 0);
    zero.putArray("clusters").addArray().add(0.0).add(0.0).add(0.0);
    ObjectNode huge = new ObjectMapper().createObjectNode();
    huge.putObject("size").put("height", 32).put("width", 1_000_000);
    huge.putArray("clusters").addArray().add(0.0).add(0.0).add(0.0);
    ObjectNode twoValues = new ObjectMapper().createObjectNode().put("size", 32);
    twoValues.putArray("clusters").addArray().add(0.0).add(0.0);

    assertEquals("preprocessor_config.json: size is 0; must be an integer from 1 to 4096",
        assertThrows(CheckpointException.class, () -> ImageGptImageProcessor.fromConfig(zero)).getMessage());
    assertEquals("preprocessor_config.json: width is 1000000; must be an integer from 1 to 4096",
        assertThrows(CheckpointException.class, () -> ImageGptImageProcessor.fromConfig(huge)).getMessage());
    assertEquals("preprocessor_config.json: clusters[0] must be a list of 3 numbers",
        assertThrows(CheckpointException.class, () -> ImageGptImageProcessor.fromConfig(twoValues)).getMessage());
  }
}

package dev.depthprobe.glpn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.image.FixtureImages;
import dev.depthprobe.image.FixtureImages.Case;
import dev.depthprobe.image.RgbImage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GlpnImageProcessorTest {
  private static final GlpnImageProcessor PROCESSOR = GlpnImageProcessor.fromConfig(
      FixtureImages.json(FixtureImages.resource("fixtures/glpn-tiny/model/preprocessor_config.json")));

  static List<Case> cases() {
    return FixtureImages.cases("glpn-tiny");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resizedImageEqualsPillowExactly(Case c) {
    RgbImage expected = FixtureImages.fromChw(c.npy("resized_uint8.npy"));

    RgbImage resized = PROCESSOR.resize(c.image());

    assertEquals(0, FixtureImages.differingSamples(expected, resized), "samples differing from Pillow");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void pixelValuesEqualTransformersExactly(Case c) {
    float[] expected = c.npy("pixel_values.npy").toFloatArray();

    float[] pixelValues = PROCESSOR.pixelValues(c.image());

    assertArrayEquals(expected, pixelValues, 0f);
  }

  @Test
  void batchPixelValuesAreTheSingleImagesStacked() {
    JsonNode manifest = FixtureImages.json(FixtureImages.resource("fixtures/glpn-tiny/manifest.json"));
    Map<String, Case> byName = cases().stream().collect(Collectors.toMap(Case::name, Function.identity()));
    float[] expected = FixtureImages.npy(FixtureImages.resource("fixtures/glpn-tiny/batch/pixel_values.npy"))
        .toFloatArray();

    int offset = 0;
    for (JsonNode name : manifest.path("batch").path("case_names")) {
      float[] single = PROCESSOR.pixelValues(byName.get(name.asText()).image());
      assertArrayEquals(Arrays.copyOfRange(expected, offset, offset + single.length), single, 0f, name.asText());
      offset += single.length;
    }
    assertEquals(expected.length, offset);
  }

  @Test
  void processedSizeRoundsEachSideDownToTheDivisor() {
    assertArrayEquals(new int[] {96, 96}, PROCESSOR.processedSize(97, 123));
    assertArrayEquals(new int[] {224, 320}, PROCESSOR.processedSize(240, 320));
    assertArrayEquals(new int[] {32, 32}, PROCESSOR.processedSize(63, 32));
  }

  @Test
  void sideShorterThanTheDivisorIsRejectedAsTransformersDoes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PROCESSOR.processedSize(31, 640));

    assertTrue(e.getMessage().startsWith("height and width must be > 0"), e.getMessage());
  }

  @Test
  void legacyFeatureExtractorConfigTakesTransformersDefaults() {
    JsonNode legacy = new ObjectMapper().createObjectNode().put("feature_extractor_type", "GLPNFeatureExtractor");
    GlpnImageProcessor processor = GlpnImageProcessor.fromConfig(legacy);
    RgbImage image = new RgbImage(40, 33, new byte[40 * 33 * 3]);
    Arrays.fill(image.pixels(), (byte) 255);

    float[] values = processor.pixelValues(image);

    assertArrayEquals(new int[] {32, 32}, processor.processedSize(33, 40));
    assertEquals(3 * 32 * 32, values.length);
    assertEquals((float) (255 * (1 / 255.0)), values[0], 0f);
  }

  @Test
  void rescaleSwitchedOffKeepsTheUint8Values() {
    JsonNode config = new ObjectMapper().createObjectNode().put("do_rescale", false).put("do_resize", false);
    GlpnImageProcessor processor = GlpnImageProcessor.fromConfig(config);
    RgbImage image = new RgbImage(1, 1, new byte[] {10, (byte) 200, 30});

    assertArrayEquals(new float[] {10f, 200f, 30f}, processor.pixelValues(image), 0f);
  }

  @Test
  void otherProcessorTypeIsRejected() {
    JsonNode config = new ObjectMapper().createObjectNode().put("image_processor_type", "ViTImageProcessor");

    assertThrows(CheckpointException.class, () -> GlpnImageProcessor.fromConfig(config));
  }

  @Test
  void aSizeDivisorOfZeroIsRefusedNamingTheFileAndKey() {
    JsonNode zero = new ObjectMapper().createObjectNode().put("size_divisor", 0);
    JsonNode text = new ObjectMapper().createObjectNode().put("size_divisor", "32");
    JsonNode resample = new ObjectMapper().createObjectNode().put("resample", 1);

    CheckpointException e = assertThrows(CheckpointException.class, () -> GlpnImageProcessor.fromConfig(zero));
    assertEquals("preprocessor_config.json: size_divisor is 0; must be an integer from 1 to 4096", e.getMessage());
    assertThrows(CheckpointException.class, () -> GlpnImageProcessor.fromConfig(text));
    CheckpointException r = assertThrows(CheckpointException.class, () -> GlpnImageProcessor.fromConfig(resample));
    assertTrue(r.getMessage().startsWith("preprocessor_config.json: resample 1 is not supported"), r.getMessage());
  }
}

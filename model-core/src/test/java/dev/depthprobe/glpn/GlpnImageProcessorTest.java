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
import dev.depthprobe.image.PillowResize;
import dev.depthprobe.image.ResampleFilter;
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
  void modelPixelLimitGivesTheLargestSizeWithinItInMultiplesOfTheDivisor() {
    GlpnImageProcessor limited = PROCESSOR.withMaxModelPixels(1_000_000);

    // a 4000x3000 photo: sides times sqrt(1e6 / 12e6) = 1154.7 x 866.0, down to multiples of 32
    assertArrayEquals(new int[] {864, 1152}, limited.processedSize(3000, 4000));
    // 960x1024 = 983040 fits: as without a limit
    assertArrayEquals(new int[] {960, 1024}, limited.processedSize(970, 1030));
    // a long strip: one divisor high, as wide as the limit leaves
    assertArrayEquals(new int[] {32, 31232}, limited.processedSize(40, 100_000));
  }

  @Test
  void modelPixelLimitRaisesASideWhereThatStillFits() {
    // 97x123 at 4096 pixels: sqrt(4096 / 11931) gives 56.8 x 72.1, down to 32 x 64 (2048); 64 x 64 fits, nearer 97:123
    assertArrayEquals(new int[] {64, 64}, PROCESSOR.withMaxModelPixels(4096).processedSize(97, 123));
    // 240x320 at 20000: 122.5 x 163.3, down to 96 x 160; 96 x 192 fits but is further from 3:4, 128 x 160 does not fit
    assertArrayEquals(new int[] {96, 160}, PROCESSOR.withMaxModelPixels(20_000).processedSize(240, 320));
    int[] hw = PROCESSOR.withMaxModelPixels(2_000_000).processedSize(10_000, 15_000);
    assertTrue((long) hw[0] * hw[1] <= 2_000_000, Arrays.toString(hw));
    assertEquals(0, hw[0] % 32);
    assertEquals(0, hw[1] % 32);
    assertEquals(1.5, (double) hw[1] / hw[0], 0.03, Arrays.toString(hw));
  }

  @Test
  void modelPixelLimitBelowOneDivisorSquaredIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PROCESSOR.withMaxModelPixels(1023));

    assertTrue(e.getMessage().contains("1024"), e.getMessage());
  }

  @Test
  void modelPixelLimitShrinksThePixelValuesWithOnePillowResize() {
    RgbImage image = FixtureImages.cases("glpn-tiny").stream().filter(c -> c.name().equals("coco_cats_240x320"))
        .findFirst().orElseThrow().image();
    GlpnImageProcessor limited = PROCESSOR.withMaxModelPixels(20_000);
    int[] hw = limited.processedSize(240, 320);
    GlpnImageProcessor plain = new GlpnImageProcessor(true, 32, ResampleFilter.BILINEAR, true,
        1 / 255.0);

    float[] values = limited.pixelValues(image);

    assertArrayEquals(new int[] {96, 160}, hw);
    RgbImage resized = PillowResize.resize(image, 160, 96,
        ResampleFilter.BILINEAR);
    assertArrayEquals(plain.pixelValues(resized), values);
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

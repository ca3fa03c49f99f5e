package dev.depthprobe.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.npy.Npy;
import dev.depthprobe.npy.NpyArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test data from the classpath: the reference fixtures and the photos, with the images they were made from. */
public final class FixtureImages {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ImageLoader LOADER = new ImageLoader();

  /** One fixture case: its folder and the input image after ImageLoader (the *_rgb cases are converted). */
  public record Case(String name, Path dir, RgbImage image) {
    public NpyArray npy(String file) {
      return FixtureImages.npy(dir.resolve(file));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private FixtureImages() {}

  /** A file or folder under src/test/resources, e.g. {@code fixtures/glpn-tiny}. */
  public static Path resource(String path) {
    URL url = FixtureImages.class.getResource("/" + path);
    if (url == null) {
      throw new IllegalStateException("test resource not found: " + path);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static NpyArray npy(Path file) {
    try {
      return Npy.read(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every case listed in {@code fixtures/<fixture>/manifest.json}, with its image decoded. */
  public static List<Case> cases(String fixture) {
    Path root = resource("fixtures/" + fixture);
    List<Case> cases = new ArrayList<>();
    for (JsonNode c : json(root.resolve("manifest.json")).path("cases")) {
      String name = c.path("name").asText();
      RgbImage image = LOADER.load(root.resolve(c.path("image").asText()).normalize());
      cases.add(new Case(name, root.resolve("cases").resolve(name), image));
    }
    return cases;
  }

  /** A uint8 {@code [1, 3, h, w]} array as an RgbImage. */
  public static RgbImage fromChw(NpyArray chw) {
    int h = chw.dim(2);
    int w = chw.dim(3);
    int[] v = chw.toUint8Array();
    byte[] px = new byte[h * w * 3];
    for (int c = 0; c < 3; c++) {
      for (int p = 0; p < h * w; p++) {
        px[p * 3 + c] = (byte) v[c * h * w + p];
      }
    }
    return new RgbImage(w, h, px);
  }

  /** How many bytes of two images differ (the images must have the same size). */
  public static int differingSamples(RgbImage expected, RgbImage actual) {
    if (expected.width() != actual.width() || expected.height() != actual.height()) {
      throw new AssertionError("size " + actual.width() + "x" + actual.height() + " != expected "
          + expected.width() + "x" + expected.height());
    }
    int n = 0;
    for (int i = 0; i < expected.pixels().length; i++) {
      n += expected.pixels()[i] != actual.pixels()[i] ? 1 : 0;
    }
    return n;
  }
}

package dev.depthprobe.glpn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.compute.Nd4jThreads;
import dev.depthprobe.npy.Npy;
import dev.depthprobe.npy.NpyArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The glpn-tiny fixtures on the test classpath, the tiny model built once, and the tolerance checks. */
public final class GlpnFixtures {
  private static final Logger LOG = LoggerFactory.getLogger(GlpnFixtures.class);
  static final String ROOT = "/fixtures/glpn-tiny/";
  public static final List<String> CASES = List.of("gradient_64x80", "odd_97x123", "gray_70x90_rgb", "rgba_64x64_rgb",
      "palette_50x60_rgb", "coco_cats_240x320");

  private static GlpnForDepthEstimation model;

  private GlpnFixtures() {}

  /** The tiny model; the calling thread's ND4J ops run single-threaded (the tiny model gains nothing from more). */
  public static synchronized GlpnForDepthEstimation model() {
    Nd4jThreads.setForCurrentThread(1);
    if (model == null) {
      model = GlpnForDepthEstimation.load(checkpoint());
    }
    return model;
  }

  public static Checkpoint checkpoint() {
    return Checkpoint.open(resourcePath(ROOT + "model"));
  }

  public static Path resourcePath(String name) {
    try {
      return Path.of(GlpnFixtures.class.getResource(name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource " + name, e);
    }
  }

  public static NpyArray npy(String relative) {
    try (InputStream in = GlpnFixtures.class.getResourceAsStream(ROOT + relative)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + ROOT + relative);
      }
      return Npy.read(in, relative);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static INDArray array(String relative) {
    NpyArray a = npy(relative);
    return Nd4j.create(a.toFloatArray(), a.shape(), 'c');
  }

  /**
   * Asserts equal shapes and {@code max|expected - actual| <= tolerance}; logs and returns the measured
   * maximum difference.
   */
  public static double assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    double maxDiff = expected.castTo(actual.dataType()).sub(actual).amaxNumber().doubleValue();
    LOG.info("{}: max |diff| {} (tolerance {})", what, String.format("%.3g", maxDiff),
        String.format("%.3g", tolerance));
    assertTrue(maxDiff <= tolerance, what + ": max |diff| " + maxDiff + " > " + tolerance);
    return maxDiff;
  }

  /** As {@link #assertClose}, with the tolerance {@code relative} times the reference's largest magnitude. */
  public static double assertCloseRelative(INDArray expected, INDArray actual, double relative, String what) {
    return assertClose(expected, actual, relative * expected.amaxNumber().doubleValue(), what);
  }
}

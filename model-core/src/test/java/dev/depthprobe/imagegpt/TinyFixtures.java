package dev.depthprobe.imagegpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.checkpoint.Checkpoint;
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

/** The imagegpt-tiny fixtures on the test classpath, the tiny model built once, and the tolerance check. */
final class TinyFixtures {
  private static final Logger LOG = LoggerFactory.getLogger(TinyFixtures.class);
  static final String ROOT = "/fixtures/imagegpt-tiny/";
  static final List<String> CASES = List.of("gradient_64x80", "odd_97x123", "gray_70x90_rgb", "rgba_64x64_rgb",
      "palette_50x60_rgb", "coco_cats_240x320");
  /** 1e-4 of the reference tensor's largest magnitude; float32 vs float64 in PyTorch differs by <= 3.7e-7. */
  static final double RELATIVE_TOLERANCE = 1e-4;

  private static ImageGptModel model;

  private TinyFixtures() {}

  static synchronized ImageGptModel model() {
    if (model == null) {
      model = ImageGptModel.load(checkpoint());
    }
    return model;
  }

  static Checkpoint checkpoint() {
    return Checkpoint.open(resourcePath(ROOT + "model"));
  }

  static Path resourcePath(String name) {
    try {
      return Path.of(TinyFixtures.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static NpyArray npy(String relative) {
    try (InputStream in = TinyFixtures.class.getResourceAsStream(ROOT + relative)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + ROOT + relative);
      }
      return Npy.read(in, relative);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** input_ids.npy (int64 [N, S]) as an ND4J LONG array. */
  static INDArray inputIds(String relative) {
    NpyArray ids = npy(relative);
    return Nd4j.createFromArray(ids.toLongArray()).reshape(ids.shape());
  }

  /** Slice {@code index} along the first axis of a float array of the given shape. */
  static float[] slice(NpyArray array, int index) {
    float[] all = array.toFloatArray();
    int size = all.length / array.dim(0);
    float[] out = new float[size];
    System.arraycopy(all, index * size, out, 0, size);
    return out;
  }

  /**
   * Asserts {@code max |actual - expected| <= RELATIVE_TOLERANCE * max |expected|} and returns the measured
   * ratio of the two.
   */
  static double assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double maxRef = 0;
    double maxDiff = 0;
    for (int i = 0; i < expected.length; i++) {
      maxRef = Math.max(maxRef, Math.abs(expected[i]));
      maxDiff = Math.max(maxDiff, Math.abs((double) actual[i] - expected[i]));
    }
    double relative = maxDiff / maxRef;
    LOG.debug("{}: max abs diff {} ({} of max |ref| {})", what, maxDiff, relative, maxRef);
    assertTrue(maxDiff <= RELATIVE_TOLERANCE * maxRef,
        what + ": max abs diff " + maxDiff + " exceeds " + RELATIVE_TOLERANCE + " x max |ref| " + maxRef);
    return relative;
  }

  static float[] flatten(float[][] rows) {
    int width = rows[0].length;
    float[] out = new float[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * width, width);
    }
    return out;
  }
}

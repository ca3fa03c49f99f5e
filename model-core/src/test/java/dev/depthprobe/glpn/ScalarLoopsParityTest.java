package dev.depthprobe.glpn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthprobe.compute.Simd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The plain Java loops that stand in for the Vector API when a JVM runs without jdk.incubator.vector: GLPN's parity
 * with transformers in a JVM of its own, started without the module (this JVM's tests run with it).
 */
class ScalarLoopsParityTest {
  @Test
  void withoutTheVectorApiGlpnStillMatchesTransformers() throws IOException, InterruptedException {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-cp", System.getProperty("java.class.path"), ScalarLoopsParityTest.class.getName())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
  }

  /** Runs the parity checks here, where the module is not loaded; exits 1 on the first failure. */
  public static void main(String[] args) {
    try {
      if (Simd.VECTOR_API) {
        throw new AssertionError("this JVM was meant to run without jdk.incubator.vector");
      }
      GlpnForDepthEstimationParityTest parity = new GlpnForDepthEstimationParityTest();
      for (String name : GlpnFixtures.CASES) {
        parity.encoderHiddenStatesAndPredictedDepthMatchTransformers(name);
      }
      parity.batchOfImagesMatchesTransformersBatch();
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }
}

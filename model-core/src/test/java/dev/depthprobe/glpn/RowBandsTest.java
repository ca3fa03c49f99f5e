package dev.depthprobe.glpn;

import dev.depthprobe.nn.Conv2d;
import dev.depthprobe.nn.Tokens;
import static dev.depthprobe.glpn.GlpnFixtures.assertCloseRelative;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.checkpoint.Tensor;
import dev.depthprobe.compute.Nd4jThreads;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Convolutions in bands of rows on two threads give what the single ND4J op gives on one. */
class RowBandsTest {
  /** Batch, height, width, kernel, stride, padding: GLPN's patch embeddings, decoder convs and sequence reduction. */
  @ParameterizedTest
  @CsvSource({"1, 37, 29, 3, 1, 1", "2, 16, 20, 3, 2, 1", "1, 40, 24, 7, 4, 3", "2, 16, 12, 4, 4, 0",
      "1, 19, 23, 2, 2, 0", "1, 3, 5, 3, 1, 1"})
  void convInBandsEqualsTheWholeConv(int batch, int height, int width, int kernel, int stride, int padding) {
    int in = 5;
    int out = 6;
    Nd4j.getRandom().setSeed(12);
    StateDict weights = new StateDict("test", Map.of(
        "c.weight", tensor("c.weight", Nd4j.randn(DataType.FLOAT, out, in, kernel, kernel)),
        "c.bias", tensor("c.bias", Nd4j.randn(DataType.FLOAT, out))));
    Conv2d conv = new Conv2d(weights, "c", in, out, kernel, stride, padding);
    Tokens x = Tokens.fromNhwc(Nd4j.randn(DataType.FLOAT, batch, height, width, in));
    assertSameOnTwoThreads(x, conv::forward, "conv " + kernel + "/" + stride + "/" + padding);
  }

  @Test
  void depthwiseConvWithGeluOnTwoThreadsEqualsOneThread() {
    int channels = 7;
    Nd4j.getRandom().setSeed(13);
    StateDict weights = new StateDict("test", Map.of(
        "dw.weight", tensor("dw.weight", Nd4j.randn(DataType.FLOAT, channels, 1, 3, 3)),
        "dw.bias", tensor("dw.bias", Nd4j.randn(DataType.FLOAT, channels))));
    DwConv conv = new DwConv(weights, "dw", channels);
    Tokens x = Tokens.fromNhwc(Nd4j.randn(DataType.FLOAT, 2, 33, 17, channels));
    assertSameOnTwoThreads(x, conv::forwardGelu, "depthwise");
  }

  private static void assertSameOnTwoThreads(Tokens x, Function<Tokens, Tokens> conv, String what) {
    Nd4jThreads.setForCurrentThread(1);
    Tokens whole = conv.apply(x);
    Tokens[] banded = new Tokens[1];
    Thread thread = new Thread(() -> {
      Nd4jThreads.setForCurrentThread(2);
      banded[0] = conv.apply(x);
    });
    thread.start();
    try {
      thread.join();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    assertCloseRelative(whole.nhwc(), banded[0].nhwc(), 1e-6, what + " in bands on 2 threads vs 1");
  }

  private static Tensor tensor(String name, INDArray values) {
    return new Tensor(name, values.shape(), FloatBuffer.wrap(values.dup('c').data().asFloat()));
  }
}

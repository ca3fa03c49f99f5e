package dev.depthprobe.imagegpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/** The hand-written causal softmax against ND4J's SoftMax op over scores masked as transformers masks them. */
class ImageGptCausalSoftmaxTest {

  @ParameterizedTest
  @CsvSource({"1, 7, 7, 0", "3, 5, 12, 7", "2, 16, 40, 24", "4, 3, 9, 2"})
  void equalsNd4jSoftmaxOfTheMaskedScores(int heads, int queries, int keys, int firstQuery) {
    INDArray scores = Nd4j.randn(DataType.FLOAT, heads, queries, keys).muli(4); // (heads, queries, keys)
    INDArray masked = scores.dup();
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < queries; i++) {
        for (int k = firstQuery + i + 1; k < keys; k++) {
          masked.putScalar(new long[] {h, i, k}, -Float.MAX_VALUE); // torch.where(causal_mask, w, finfo.min)
        }
      }
    }
    float[] expected = Nd4j.exec(new SoftMax(masked, masked.ulike(), 2))[0].data().asFloat();

    float[] actual = softmax(scores, firstQuery, 1);

    float maxDiff = 0;
    for (int i = 0; i < expected.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
      if (expected[i] == 0f) {
        assertEquals(0f, actual[i], "masked score " + i);
      }
    }
    assertTrue(maxDiff <= 1e-6f, "max abs diff " + maxDiff);
  }

  @ParameterizedTest
  @CsvSource({"2", "3", "5"})
  void threadsShareTheRowsWithoutChangingAnyValue(int threads) {
    INDArray scores = Nd4j.randn(DataType.FLOAT, 3, 37, 60);

    assertArrayEquals(softmax(scores, 23, 1), softmax(scores, 23, threads));
  }

  private static float[] softmax(INDArray scores, int firstQuery, int threads) {
    INDArray copy = scores.dup('c');
    CausalSoftmax.softmaxInPlace(copy, (int) copy.size(0), (int) copy.size(1), (int) copy.size(2), firstQuery,
        threads);
    return copy.data().asFloat();
  }
}

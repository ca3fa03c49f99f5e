package dev.depthprobe.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

class SoftmaxTest {
  @Test
  void columnsMatchNd4jsSoftmaxOfTheScaledTransposedScores() {
    int keys = 300;
    int queries = 37;
    float scale = 0.125f;
    Nd4j.getRandom().setSeed(11);
    INDArray scores = Nd4j.randn(DataType.FLOAT, queries, keys).muli(40); // logits up to ~20 after scaling
    // the ND4J op this replaced, on the (queries, keys) layout
    INDArray expected = scores.mul(scale);
    Nd4j.exec(new SoftMax(expected, expected, 1));
    float[] x = scores.transpose().dup('c').data().asFloat(); // (keys, queries)
    new Softmax(queries).columnsInPlace(x, keys, queries, scale);
    INDArray actual = Nd4j.create(x, new long[] {keys, queries}, 'c').transpose();
    double maxDiff = expected.sub(actual).amaxNumber().doubleValue();
    assertTrue(maxDiff <= 1e-6 * expected.amaxNumber().doubleValue(), "softmax vs ND4J: max |diff| " + maxDiff);
  }

  @Test
  void columnsSumToOneAndIgnoreAConstantShift() {
    // (keys 3, queries 2): column 1 is column 0 shifted by -1005
    float[] x = {1000f, -5f, 1001f, -4f, 999f, -6f};
    new Softmax(4).columnsInPlace(x, 3, 2, 1f);
    for (int k = 0; k < 3; k++) {
      assertEquals(x[2 * k], x[2 * k + 1], 1e-7, "key " + k);
    }
    assertEquals(1, x[0] + x[2] + x[4], 1e-6);
  }

  @Test
  void causalColumnsGiveNd4jsSoftmaxOfTheMaskedScoresAndExactZerosWhereMasked() {
    int keys = 40;
    int queries = 16;
    int firstQuery = 24; // queries at positions 24..39: query q sees keys 0..24 + q
    Nd4j.getRandom().setSeed(5);
    INDArray scores = Nd4j.randn(DataType.FLOAT, queries, keys).muli(4);
    INDArray expected = scores.dup();
    for (int q = 0; q < queries; q++) {
      for (int k = firstQuery + q + 1; k < keys; k++) {
        expected.putScalar(q, k, -Float.MAX_VALUE); // torch.where(causal_mask, w, finfo.min)
      }
    }
    Nd4j.exec(new SoftMax(expected, expected, 1));
    float[] x = scores.transpose().dup('c').data().asFloat(); // (keys, queries)

    new Softmax(queries).causalColumnsInPlace(x, keys, queries, firstQuery);

    INDArray actual = Nd4j.create(x, new long[] {keys, queries}, 'c').transpose();
    double maxDiff = expected.sub(actual).amaxNumber().doubleValue();
    assertTrue(maxDiff <= 1e-6, "causal softmax vs ND4J: max |diff| " + maxDiff);
    for (int q = 0; q < queries; q++) {
      for (int k = firstQuery + q + 1; k < keys; k++) {
        assertEquals(0f, actual.getFloat(q, k), "masked key " + k + " of query " + q);
      }
    }
  }

  @Test
  void rowsMatchADoublePrecisionSoftmaxOfTheScaledScores() {
    int queries = 37;
    int keys = 301; // not a whole number of vectors
    float scale = 0.125f;
    Nd4j.getRandom().setSeed(12);
    float[] scores = Nd4j.randn(DataType.FLOAT, queries, keys).muli(40).data().asFloat();
    float[] x = scores.clone();
    Softmax.rowsInPlace(x, queries, keys, scale);
    double worst = 0; // ND4J's own softmax is 1.1e-6 off here
    for (int q = 0; q < queries; q++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < keys; k++) {
        max = Math.max(max, scores[q * keys + k] * (double) scale);
      }
      double sum = 0;
      for (int k = 0; k < keys; k++) {
        sum += Math.exp(scores[q * keys + k] * (double) scale - max);
      }
      for (int k = 0; k < keys; k++) {
        double exact = Math.exp(scores[q * keys + k] * (double) scale - max) / sum;
        worst = Math.max(worst, Math.abs(exact - x[q * keys + k]));
      }
    }
    assertTrue(worst <= 5e-7, "row softmax vs double precision: max |diff| " + worst);
  }

  @Test
  void causalRowsGiveNd4jsSoftmaxOfTheMaskedScoresAndExactZerosWhereMasked() {
    int keys = 40;
    int queries = 16;
    int firstQuery = 24;
    Nd4j.getRandom().setSeed(6);
    INDArray scores = Nd4j.randn(DataType.FLOAT, queries, keys).muli(4);
    INDArray expected = scores.dup();
    for (int q = 0; q < queries; q++) {
      for (int k = firstQuery + q + 1; k < keys; k++) {
        expected.putScalar(q, k, -Float.MAX_VALUE);
      }
    }
    Nd4j.exec(new SoftMax(expected, expected, 1));
    float[] x = scores.dup('c').data().asFloat();

    Softmax.causalRowsInPlace(x, queries, keys, firstQuery);

    INDArray actual = Nd4j.create(x, new long[] {queries, keys}, 'c');
    double maxDiff = expected.sub(actual).amaxNumber().doubleValue();
    assertTrue(maxDiff <= 1e-6, "causal row softmax vs ND4J: max |diff| " + maxDiff);
    for (int q = 0; q < queries; q++) {
      for (int k = firstQuery + q + 1; k < keys; k++) {
        assertEquals(0f, actual.getFloat(q, k), "masked key " + k + " of query " + q);
      }
    }
  }
}

package dev.depthprobe.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;

/** One head's block of attention against ND4J's matmuls and SoftMax op on the same numbers. */
class BlockAttentionTest {

  /**
   * Contiguous operands (one head of all the columns), and a strided head with fewer keys than the head has
   * dimensions (the deepest stages of small images).
   */
  @ParameterizedTest(name = "{1} queries, {2} keys, columns {4}..{5} of {3}")
  @CsvSource({"3, 37, 50, 16, 0, 16, 0.25", "4, 20, 2, 24, 12, 24, 0.3"})
  void aHeadOfColumnsGivesNd4jsAttention(long seed, int queries, int keys, int columns, int headFrom, int headTo,
      float scale) {
    Nd4j.getRandom().setSeed(seed);
    INDArray q = Nd4j.randn(DataType.FLOAT, queries, columns);
    INDArray k = Nd4j.randn(DataType.FLOAT, keys, columns);
    INDArray v = Nd4j.randn(DataType.FLOAT, keys, columns);
    INDArray out = Nd4j.zeros(DataType.FLOAT, queries, columns);
    INDArrayIndex head = interval(headFrom, headTo);
    assertEquals(headTo - headFrom == columns, JavaFloats.isContiguous(q.get(all(), head)), "contiguous operands");

    BlockAttention.forCurrentThread(keys, queries, headTo - headFrom).attend(q.get(all(), head), k.get(all(), head),
        v.get(all(), head), out.get(all(), head), scale);

    assertClose(reference(q.get(all(), head).dup(), k.get(all(), head).dup(), v.get(all(), head).dup(), scale, -1),
        out.get(all(), head));
  }

  /** Head 1 of 3 as a strided column slice of q, k, v and the output, as the models pass it. */
  @ParameterizedTest
  @CsvSource({"0, 8", "8, 8", "40, 24", "0, 64"})
  void causalBlocksOfStridedHeadsGiveNd4jsMaskedAttention(int firstQuery, int queries) {
    Nd4j.getRandom().setSeed(firstQuery + queries);
    int keys = firstQuery + queries;
    int d = 8;
    INDArray qAll = Nd4j.randn(DataType.FLOAT, queries, 3 * d).muli(2);
    INDArray kAll = Nd4j.randn(DataType.FLOAT, keys, 3 * d).muli(2);
    INDArray vAll = Nd4j.randn(DataType.FLOAT, keys, 3 * d);
    INDArray outAll = Nd4j.zeros(DataType.FLOAT, queries, 3 * d);
    INDArrayIndex head = interval(d, 2 * d);

    BlockAttention.forCurrentThread(64, 64, d).attendCausal(qAll.get(all(), head), kAll.get(all(), head),
        vAll.get(all(), head), outAll.get(all(), head), firstQuery);

    INDArray expected = reference(qAll.get(all(), head).dup(), kAll.get(all(), head).dup(),
        vAll.get(all(), head).dup(), 1f, firstQuery);
    assertClose(expected, outAll.get(all(), head));
    assertTrue(outAll.get(all(), interval(0, d)).amaxNumber().doubleValue() == 0, "other heads untouched");
    assertTrue(outAll.get(all(), interval(2 * d, 3 * d)).amaxNumber().doubleValue() == 0, "other heads untouched");
  }

  /**
   * A causal pass's blocks, of growing key counts, run twice through one instance, on a fresh thread: the views kept
   * for a shape serve its next block, whatever came between.
   */
  @Test
  void blocksOfShapesSeenBeforeReuseTheirViewsAndStillGiveNd4jsAttention() throws InterruptedException {
    int d = 8;
    int block = 16;
    int seq = 3 * block;
    Nd4j.getRandom().setSeed(11);
    INDArray q = Nd4j.randn(DataType.FLOAT, seq, d);
    INDArray k = Nd4j.randn(DataType.FLOAT, seq, d);
    INDArray v = Nd4j.randn(DataType.FLOAT, seq, d);
    INDArray[] outs = {Nd4j.zeros(DataType.FLOAT, seq, d), Nd4j.zeros(DataType.FLOAT, seq, d)};
    Thread thread = new Thread(() -> {
      BlockAttention attention = BlockAttention.forCurrentThread(seq, block, d);
      for (INDArray out : outs) {
        for (int first = 0; first < seq; first += block) {
          attention.attendCausal(q.get(interval(first, first + block), all()), k.get(interval(0, first + block), all()),
              v.get(interval(0, first + block), all()), out.get(interval(first, first + block), all()), first);
        }
      }
    });
    thread.start();
    thread.join();

    for (int first = 0; first < seq; first += block) {
      INDArray expected = reference(q.get(interval(first, first + block), all()).dup(),
          k.get(interval(0, first + block), all()).dup(), v.get(interval(0, first + block), all()).dup(), 1f, first);
      for (INDArray out : outs) {
        assertClose(expected, out.get(interval(first, first + block), all()));
      }
    }
  }

  /** On fresh threads, so that other tests' blocks on this one do not count. */
  @Test
  void eachThreadKeepsOneInstanceGrownToTheLargestBlockAskedFor() throws InterruptedException {
    BlockAttention[] first = new BlockAttention[5];
    BlockAttention[] second = new BlockAttention[1];
    Thread thread = new Thread(() -> {
      first[0] = BlockAttention.forCurrentThread(10, 10, 8);
      first[1] = BlockAttention.forCurrentThread(5, 10, 8);
      first[2] = BlockAttention.forCurrentThread(20, 4, 8);
      first[3] = BlockAttention.forCurrentThread(20, 10, 8);
      first[4] = BlockAttention.forCurrentThread(20, 10, 16);
    });
    Thread other = new Thread(() -> second[0] = BlockAttention.forCurrentThread(5, 10, 8));
    thread.start();
    other.start();
    thread.join();
    other.join();

    assertSame(first[0], first[1], "a smaller block reuses the instance");
    assertNotSame(first[0], first[2], "more keys grow it");
    assertSame(first[2], first[3], "grown to 20 keys and kept 10 queries");
    assertNotSame(first[3], first[4], "a larger head grows it");
    assertNotSame(first[0], second[0], "another thread has its own");
  }

  /** softmax(scale q k^T, masked as transformers masks it: finfo.min after the query's position) v. */
  private static INDArray reference(INDArray q, INDArray k, INDArray v, float scale, int firstQuery) {
    INDArray scores = q.mmul(k.transpose()).muli(scale);
    if (firstQuery >= 0) {
      for (int i = 0; i < scores.rows(); i++) {
        for (int j = firstQuery + i + 1; j < scores.columns(); j++) {
          scores.putScalar(i, j, -Float.MAX_VALUE);
        }
      }
    }
    Nd4j.exec(new SoftMax(scores, scores, 1));
    return scores.mmul(v);
  }

  private static void assertClose(INDArray expected, INDArray actual) {
    double maxDiff = expected.sub(actual).amaxNumber().doubleValue();
    assertTrue(maxDiff <= 1e-5 * expected.amaxNumber().doubleValue(), "max |diff| " + maxDiff);
  }
}

package dev.depthprobe.nn;

import static dev.depthprobe.glpn.GlpnFixtures.array;
import static dev.depthprobe.glpn.GlpnFixtures.assertClose;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BilinearUpsample2xTest {
  @Test
  void matchesTorchUpsampleInTheDecoderTrace() {
    String trace = "trace/gradient_64x80/";
    assertClose(array(trace + "decoder.stages.2.upsample.npy"), upsample(array(trace + "decoder.stages.2.fusion.npy")),
        1e-6, "decoder.stages.2.upsample");
    assertClose(array(trace + "decoder.final_upsample.npy"), upsample(array(trace + "decoder.stages.3.npy")), 1e-6,
        "decoder.final_upsample");
  }

  @Test
  void matchesTorchsFormulaAtEveryBorder() {
    Nd4j.getRandom().setSeed(5);
    INDArray nchw = Nd4j.randn(DataType.FLOAT, 2, 3, 5, 7);
    assertClose(torchUpsample(nchw), upsample(nchw), 1e-6, "bilinear x2 vs PyTorch's formula");
  }

  @ParameterizedTest
  @CsvSource({"0, 12", "0, 1", "3, 8", "5, 6", "7, 12", "11, 12"})
  void rowsGiveTheSameValuesAsTheWholeUpsampledMap(int rowStart, int rowEnd) {
    Nd4j.getRandom().setSeed(6);
    Tokens x = Tokens.fromNchw(Nd4j.randn(DataType.FLOAT, 2, 4, 6, 5));
    INDArray whole = BilinearUpsample2x.forward(x).nhwc();
    INDArray rows = BilinearUpsample2x.rows(x, rowStart, rowEnd).nhwc();
    assertClose(whole.get(all(), interval(rowStart, rowEnd), all(), all()), rows, 0, "rows " + rowStart + "-" + rowEnd);
  }

  private static INDArray upsample(INDArray nchw) {
    return BilinearUpsample2x.forward(Tokens.fromNchw(nchw)).toNchw();
  }

  /** PyTorch's upsample_bilinear2d (align_corners=False, scale 2) in float64, straight from its definition. */
  private static INDArray torchUpsample(INDArray nchw) {
    long b = nchw.size(0);
    long c = nchw.size(1);
    int h = (int) nchw.size(2);
    int w = (int) nchw.size(3);
    INDArray out = Nd4j.create(DataType.DOUBLE, b, c, 2L * h, 2L * w);
    for (int n = 0; n < b; n++) {
      for (int ch = 0; ch < c; ch++) {
        for (int oy = 0; oy < 2 * h; oy++) {
          double sy = Math.max(0, (oy + 0.5) / 2 - 0.5);
          int y0 = (int) sy;
          int y1 = Math.min(y0 + 1, h - 1);
          double wy = sy - y0;
          for (int ox = 0; ox < 2 * w; ox++) {
            double sx = Math.max(0, (ox + 0.5) / 2 - 0.5);
            int x0 = (int) sx;
            int x1 = Math.min(x0 + 1, w - 1);
            double wx = sx - x0;
            double top = nchw.getDouble(n, ch, y0, x0) * (1 - wx) + nchw.getDouble(n, ch, y0, x1) * wx;
            double bottom = nchw.getDouble(n, ch, y1, x0) * (1 - wx) + nchw.getDouble(n, ch, y1, x1) * wx;
            out.putScalar(new long[] {n, ch, oy, ox}, top * (1 - wy) + bottom * wy);
          }
        }
      }
    }
    return out.castTo(DataType.FLOAT);
  }
}

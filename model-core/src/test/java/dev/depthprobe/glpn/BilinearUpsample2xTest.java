package dev.depthprobe.glpn;

import static dev.depthprobe.glpn.GlpnFixtures.array;
import static dev.depthprobe.glpn.GlpnFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.image.ResizeBilinear;
import org.nd4j.linalg.factory.Nd4j;

class BilinearUpsample2xTest {
  @Test
  void matchesTorchUpsampleInTheDecoderTrace() {
    String trace = "trace/gradient_64x80/";
    INDArray fused = array(trace + "decoder.stages.2.fusion.npy");
    assertClose(array(trace + "decoder.stages.2.upsample.npy"), BilinearUpsample2x.forward(fused), 1e-6,
        "decoder.stages.2.upsample");
    assertClose(array(trace + "decoder.final_upsample.npy"),
        BilinearUpsample2x.forward(array(trace + "decoder.stages.3.npy")), 1e-6, "decoder.final_upsample");
  }

  @Test
  void matchesNd4jResizeBilinearWithHalfPixelCenters() {
    Nd4j.getRandom().setSeed(5);
    INDArray nchw = Nd4j.randn(DataType.FLOAT, 2, 3, 5, 7);
    INDArray nhwc = nchw.permute(0, 2, 3, 1).dup('c');
    INDArray resized = Nd4j.create(DataType.FLOAT, 2, 10, 14, 3); // (B, 2H, 2W, C)
    Nd4j.exec(new ResizeBilinear(nhwc, resized, 10, 14, false, true));
    INDArray expected = resized.permute(0, 3, 1, 2);
    assertClose(expected, BilinearUpsample2x.forward(nchw), 1e-6, "bilinear x2 vs ND4J half-pixel");
  }

  @Test
  void rowsGiveTheSameValuesAsTheWholeUpsampledPlane() {
    Nd4j.getRandom().setSeed(6);
    INDArray nchw = Nd4j.randn(DataType.FLOAT, 1, 2, 6, 4);
    INDArray whole = BilinearUpsample2x.forward(nchw);
    float[] rows = BilinearUpsample2x.rows(JavaFloats.copyOut(nchw), 2, 6, 4, 3, 8);
    assertArrayEquals(JavaFloats.copyOut(whole.get(all(), all(), interval(3, 8), all())), rows);
  }
}

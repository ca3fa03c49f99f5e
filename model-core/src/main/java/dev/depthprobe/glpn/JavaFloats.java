package dev.depthprobe.glpn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/** Copies between float32 INDArrays and Java arrays, for the loops written in Java rather than ND4J ops. */
final class JavaFloats {
  private JavaFloats() {}

  /** The elements of {@code x} in c order. Views into another array are copied first. */
  static float[] copyOut(INDArray x) {
    boolean plain = x.ordering() == 'c' && Shape.hasDefaultStridesForShape(x) && x.offset() == 0;
    INDArray c = plain ? x : x.dup('c');
    return c.data().getFloatsAt(0, Math.toIntExact(c.length()));
  }

  /** A new c-ordered array (in the current workspace) holding {@code values}. */
  static INDArray copyIn(float[] values, long... shape) {
    return Nd4j.create(values, shape, 'c');
  }
}

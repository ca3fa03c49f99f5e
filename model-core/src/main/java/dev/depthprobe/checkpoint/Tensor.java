package dev.depthprobe.checkpoint;

import dev.depthprobe.compute.JavaFloats;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One named float32 tensor of a checkpoint, in C order. {@code data} may be a view of a memory-mapped
 * file; read it through {@link #toArray()} or {@link #toNd4j()}.
 */
public record Tensor(String name, long[] shape, FloatBuffer data) {

  public long size() {
    return Arrays.stream(shape).reduce(1, Math::multiplyExact);
  }

  public float[] toArray() {
    float[] out = new float[Math.toIntExact(size())];
    data.duplicate().get(out);
    return out;
  }

  /** A c-ordered float32 copy in native memory, copied in bulk (no zero fill first, no Java array between). */
  public INDArray toNd4j() {
    if (size() == 0) {
      return Nd4j.create(DataType.FLOAT, shape.clone());
    }
    INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape.clone(), 'c');
    FloatBuffer values = data.duplicate();
    JavaFloats.view(out).put(values.limit(values.position() + Math.toIntExact(size())));
    return out;
  }

  public String shapeText() {
    return Arrays.toString(shape);
  }
}

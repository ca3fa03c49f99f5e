package dev.depthprobe.checkpoint;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ND4J arrays a model built from a {@link StateDict} holds in native memory: closed together when the
 * model is closed (e.g. evicted from an executor's model cache), rather than whenever the garbage collector
 * gets to them.
 */
public final class NativeArrays implements AutoCloseable {
  private final List<INDArray> arrays = new ArrayList<>();

  synchronized void add(INDArray array) {
    arrays.add(array);
  }

  /** Frees every array; using the model afterwards is an error. */
  @Override
  public synchronized void close() {
    for (INDArray a : arrays) {
      if (a.closeable()) {
        a.close();
      }
    }
    arrays.clear();
  }
}

package dev.depthprobe.jobs.bench;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.checkpoint.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A state dict of random tensors for a layout. Values live off the Java heap (direct buffers), so that
 * once a model has copied them and the state dict is dropped, their memory goes back to the system.
 */
public final class RandomStateDict {
  private RandomStateDict() {}

  public static StateDict create(String source, List<TensorSpec> layout, long seed) {
    return new StateDict(source, tensors(layout, seed));
  }

  public static Map<String, Tensor> tensors(List<TensorSpec> layout, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (TensorSpec spec : layout) {
      if (tensors.containsKey(spec.name())) {
        throw new IllegalArgumentException("tensor " + spec.name() + " appears twice in the layout");
      }
      tensors.put(spec.name(), new Tensor(spec.name(), spec.shape().clone(), values(spec, random)));
    }
    return tensors;
  }

  /** The layout's size in bytes as float32. */
  public static long bytes(List<TensorSpec> layout) {
    return layout.stream().mapToLong(TensorSpec::size).sum() * Float.BYTES;
  }

  private static FloatBuffer values(TensorSpec spec, SplittableRandom random) {
    int size = Math.toIntExact(spec.size());
    FloatBuffer values = ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    for (int i = 0; i < size; i++) {
      values.put(i, switch (spec.init()) {
        case NORMAL -> (float) (random.nextGaussian() * TensorSpec.STD);
        case ZEROS -> 0f;
        case ONES -> 1f;
      });
    }
    return values;
  }
}

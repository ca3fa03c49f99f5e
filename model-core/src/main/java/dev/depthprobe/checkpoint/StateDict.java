package dev.depthprobe.checkpoint;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A checkpoint's tensors by name, as PyTorch's {@code state_dict}. Models {@link #take} each tensor
 * they need with the shape their config implies; {@link #unused()} lists what no module consumed.
 */
public final class StateDict {
  private final String source;
  private final Map<String, Tensor> tensors;
  private final Set<String> taken = Collections.synchronizedSet(new TreeSet<>());
  private final NativeArrays arrays;

  public StateDict(String source, Map<String, Tensor> tensors) {
    this(source, tensors, new NativeArrays());
  }

  private StateDict(String source, Map<String, Tensor> tensors, NativeArrays arrays) {
    this.source = source;
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    this.arrays = arrays;
  }

  /** Where the tensors came from (file names), for error messages. */
  public String source() {
    return source;
  }

  public Map<String, Tensor> tensors() {
    return tensors;
  }

  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /** The tensor called {@code name}, checked to have exactly {@code expectedShape}. */
  public Tensor take(String name, long... expectedShape) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new CheckpointException(source + ": tensor '" + name + "' is missing (expected shape "
          + Arrays.toString(expectedShape) + ")");
    }
    if (!Arrays.equals(t.shape(), expectedShape)) {
      throw new CheckpointException(source + ": tensor '" + name + "' has shape " + t.shapeText()
          + " but the config implies " + Arrays.toString(expectedShape));
    }
    taken.add(name);
    return t;
  }

  /**
   * The tensor called {@code name} ({@link #take}) as an ND4J array in native memory, owned by the model
   * built from this state dict: {@link #arrays()} closes it with the model.
   */
  public INDArray array(String name, long... expectedShape) {
    return own(take(name, expectedShape).toNd4j());
  }

  /** Records an array a module derived from its weights (e.g. a permuted copy) to be closed with the model. */
  public INDArray own(INDArray array) {
    arrays.add(array);
    return array;
  }

  /** The native arrays {@link #array} and {@link #own} made, shared with the {@link #stripPrefix} views. */
  public NativeArrays arrays() {
    return arrays;
  }

  /** Names present in the checkpoint that no {@link #take} asked for. */
  public Set<String> unused() {
    Set<String> rest = new TreeSet<>(tensors.keySet());
    rest.removeAll(taken);
    return rest;
  }

  /** The tensors whose names start with {@code prefix}, with the prefix removed. */
  public StateDict stripPrefix(String prefix) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    tensors.forEach((name, t) -> {
      if (name.startsWith(prefix)) {
        String rest = name.substring(prefix.length());
        out.put(rest, new Tensor(rest, t.shape(), t.data()));
      }
    });
    return new StateDict(source, out, arrays);
  }
}

package dev.depthprobe.compute;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the hot loops that HotSpot leaves scalar run on the JDK's Vector API ({@link VectorLoops}): only when the
 * JVM was started with {@code --add-modules=jdk.incubator.vector} (bin/depthprobe, the tests and conf/'s executor
 * options pass it). Without it the same loops run in plain Java, with the same results, a little slower.
 */
public final class Simd {
  private static final Logger LOG = LoggerFactory.getLogger(Simd.class);

  /** Whether jdk.incubator.vector is in this JVM's boot layer. */
  public static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  static {
    if (VECTOR_API) {
      LOG.debug("Vector API on: {}-bit float vectors", VectorLoops.bits());
    } else {
      LOG.info("jdk.incubator.vector is not loaded (JVM option --add-modules=jdk.incubator.vector): softmax, GELU, "
          + "layer norm and depthwise convolutions run in plain Java loops, a few per cent slower");
    }
  }

  private Simd() {}
}

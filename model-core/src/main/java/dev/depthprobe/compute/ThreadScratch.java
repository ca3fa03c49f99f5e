package dev.depthprobe.compute;

/**
 * A float array per thread that a Java loop reuses from call to call instead of allocating its temporaries
 * anew: a GLPN pass otherwise drops some 170 MB of such arrays on the heap, which the collector answers with a
 * young generation of 400 MB and more resident memory. One instance per use (a static field of the class that
 * uses it); its array is the calling thread's until that thread's next {@link #floats} on the same instance, so
 * a use must not nest. Arrays of more than {@link #MAX_KEPT} floats (a very large image) are not kept.
 */
public final class ThreadScratch {
  /** The largest array kept per thread and use: 16 MiB. */
  static final int MAX_KEPT = 4 << 20;

  private final ThreadLocal<float[]> arrays = new ThreadLocal<>();

  /** An array of at least {@code n} floats, of undefined contents. */
  public float[] floats(int n) {
    float[] a = arrays.get();
    return a != null && a.length >= n ? a : replace(n);
  }

  /** An array of exactly {@code n} floats (for a loop that takes its length from the array), of undefined contents. */
  public float[] exactly(int n) {
    float[] a = arrays.get();
    return a != null && a.length == n ? a : replace(n);
  }

  private float[] replace(int n) {
    float[] a = new float[n];
    if (n <= MAX_KEPT) {
      arrays.set(a);
    }
    return a;
  }
}

package dev.depthprobe.glpn;

/** The sizes GLPN's blocks cut their work into, for whoever predicts the memory a forward pass takes. */
public final class GlpnWorkBlocks {
  /** Attention score elements per block of queries ({@link EfficientSelfAttention}). */
  public static final long SCORE_BLOCK_ELEMENTS = EfficientSelfAttention.SCORE_BLOCK_ELEMENTS;
  /** Input feature elements of one band of the depth head ({@link DepthEstimationHead}). */
  public static final long HEAD_BAND_ELEMENTS = DepthEstimationHead.BAND_ELEMENTS;

  private GlpnWorkBlocks() {}
}

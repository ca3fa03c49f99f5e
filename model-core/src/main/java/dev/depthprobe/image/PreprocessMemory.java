package dev.depthprobe.image;

/**
 * The peak memory of decoding one image and resizing it to a model's input, estimated from its header alone (for
 * admitting an image before its pixels are decoded). Upper bounds of what this package allocates, by phase:
 *
 * <ul>
 *   <li>decode: the decoder's raster ({@code width * height * channels * ceil(bitDepth / 8)} bytes) and its
 *       8-bit RGB copy ({@code width * height * 3}) live together; turning the image by its EXIF orientation
 *       then holds two RGB images ({@code 2 * width * height * 3}). The larger of the two counts. (An 8-bit RGB
 *       PNG decodes straight into its RGB bytes, so without an orientation it needs half of this bound.)
 *   <li>resize ({@link PillowResize#resizeInBands}): the RGB source, one band of {@value PillowResize#BAND_ROWS}
 *       output rows and the horizontally filtered source rows that band reads ({@code BAND_ROWS * height /
 *       targetHeight} plus the filter's window, at most {@code height}, of {@code targetWidth * 3} bytes each).
 *   <li>the model's input: {@code targetWidth * targetHeight * 3} float32 values (12 bytes a pixel), written a
 *       band at a time into native (ND4J) memory while the source is still held.
 * </ul>
 *
 * @param heapBytes the Java heap held at the worst moment (decode or resize, whichever is larger)
 * @param nativeBytes the model input in native memory, held with the resize's heap
 */
public record PreprocessMemory(long heapBytes, long nativeBytes) {

  /** Both parts: the image's peak if heap and native memory share one budget. */
  public long totalBytes() {
    return heapBytes + nativeBytes;
  }

  /**
   * @param width width of the decoded image, upright (after an EXIF orientation of 5 to 8 swaps the sides)
   * @param height height of the decoded image, upright
   * @param channels samples per pixel as stored
   * @param bitDepth bits per sample
   * @param targetWidth the width the model sees
   * @param targetHeight the height the model sees
   * @param filter the resize filter (its support sizes the source rows a band reads)
   */
  public static PreprocessMemory estimate(int width, int height, int channels, int bitDepth, int targetWidth,
      int targetHeight, ResampleFilter filter) {
    long pixels = (long) width * height;
    long rgb = pixels * 3;
    long raster = pixels * channels * ((bitDepth + 7) / 8);
    long decode = rgb + Math.max(raster, rgb);
    double scale = Math.max((double) height / targetHeight, 1.0);
    long window = 2 * (long) Math.ceil(filter.support() * scale) + 1;
    long sourceRows = Math.min(height, (long) Math.ceil(PillowResize.BAND_ROWS * scale) + window);
    long bandRows = Math.min(PillowResize.BAND_ROWS, targetHeight);
    long resize = rgb + (sourceRows + bandRows) * targetWidth * 3;
    long modelInput = (long) targetWidth * targetHeight * 3 * Float.BYTES;
    return new PreprocessMemory(Math.max(decode, resize), modelInput);
  }

  /** {@link #estimate} for a probed header, its sides turned by its orientation. */
  public static PreprocessMemory estimate(ImageHeader header, int targetWidth, int targetHeight,
      ResampleFilter filter) {
    return estimate(header.uprightWidth(), header.uprightHeight(), header.channels(), header.bitDepth(),
        targetWidth, targetHeight, filter);
  }
}

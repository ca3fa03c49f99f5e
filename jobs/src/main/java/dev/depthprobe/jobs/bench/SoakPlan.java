package dev.depthprobe.jobs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The synthetic images of the soak benchmark, drawn from a seed: sizes uniform between {@value #MIN_SIDE}x{@value
 * #MIN_SIDE} and {@value #MAX_WIDTH}x{@value #MAX_HEIGHT}, except every {@value #LARGE_EVERY}th image, which is larger
 * than that and up to {@value #LARGE_MAX_WIDTH}x{@value #LARGE_MAX_HEIGHT}; JPEG or PNG at even odds.
 */
public final class SoakPlan {
  static final int MIN_SIDE = 32;
  static final int MAX_WIDTH = 1024;
  static final int MAX_HEIGHT = 768;
  static final int LARGE_MAX_WIDTH = 4000;
  static final int LARGE_MAX_HEIGHT = 3000;
  /** One image in this many is a large one: the 100th, the 200th, ... */
  static final int LARGE_EVERY = 100;

  /** How an image is encoded, and its file extension. */
  public enum Format {
    JPEG("jpg"), PNG("png");

    private final String extension;

    Format(String extension) {
      this.extension = extension;
    }

    public String extension() {
      return extension;
    }
  }

  /** One image: its file name (which is its image_id), size, format and the seed of its pixels. */
  public record Image(String name, int width, int height, Format format, long pixelSeed) {
    public long pixels() {
      return (long) width * height;
    }

    public boolean large() {
      return width > MAX_WIDTH || height > MAX_HEIGHT;
    }
  }

  private SoakPlan() {}

  /** {@code count} images; the same seed gives the same list, and a shorter count a prefix of it. */
  public static List<Image> images(int count, long seed) {
    if (count < 0) {
      throw new IllegalArgumentException("need a count >= 0, got " + count);
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<Image> images = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      boolean large = (i + 1) % LARGE_EVERY == 0;
      Format format = random.nextBoolean() ? Format.JPEG : Format.PNG;
      int width = large ? random.nextInt(MAX_WIDTH + 1, LARGE_MAX_WIDTH + 1) : random.nextInt(MIN_SIDE, MAX_WIDTH + 1);
      int height = large ? random.nextInt(MAX_HEIGHT + 1, LARGE_MAX_HEIGHT + 1)
          : random.nextInt(MIN_SIDE, MAX_HEIGHT + 1);
      String name = String.format(Locale.ROOT, "soak_%05d_%dx%d.%s", i, width, height, format.extension());
      images.add(new Image(name, width, height, format, random.nextLong()));
    }
    return images;
  }
}

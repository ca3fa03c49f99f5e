package dev.depthprobe.udfs;

import dev.depthprobe.datasets.DepthPngWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Where executors write each image's depth PNGs, on any Hadoop file system all of them see:
 * {@code <dir>/kitti16/<name>} (16-bit KITTI: uint16 = round(metres * 256), 0 invalid) and
 * {@code <dir>/color/<name>} (magma colormap), {@code <name>} from the image id ({@link #fileName}), the
 * same for every run. A retried task overwrites the same files.
 */
public final class DepthPngFiles implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String dir;
  private final Broadcast<SerializableConfiguration> hadoopConf;

  public DepthPngFiles(String dir, Broadcast<SerializableConfiguration> hadoopConf) {
    this.dir = dir;
    this.hadoopConf = hadoopConf;
  }

  /** Writes the image's two PNGs and returns their name ({@link #fileName}), the row's {@code png_name}. */
  public String write(String imageId, float[] depth, int height, int width) throws IOException {
    String name = fileName(imageId);
    Path kitti = new Path(new Path(dir, "kitti16"), name);
    FileSystem fs = kitti.getFileSystem(hadoopConf.value().value());
    try (OutputStream out = fs.create(kitti, true)) {
      DepthPngWriter.writeKitti16(out, depth, height, width);
    }
    try (OutputStream out = fs.create(new Path(new Path(dir, "color"), name), true)) {
      DepthPngWriter.writeColormap(out, depth, height, width);
    }
    return name;
  }

  /**
   * The PNGs' name for an image id, relative to {@code kitti16/} and {@code color/}: the id with {@code .png}
   * appended ({@code sub/a.jpg -> sub/a.jpg.png}, so {@code a.jpg} and {@code a.png} do not collide). Where
   * the id had to be made harmless ({@code ..}, a leading {@code /}, odd characters) the first 12 hex digits
   * of the id's SHA-256 follow a {@code ~}, so distinct ids keep distinct names.
   */
  static String fileName(String imageId) {
    StringBuilder out = new StringBuilder();
    for (String part : imageId.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        continue;
      }
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(part.replaceAll("[^A-Za-z0-9._=+-]", "_"));
    }
    String path = out.length() == 0 ? "image" : out.toString();
    return path.equals(imageId) ? path + ".png" : path + "~" + sha256(imageId).substring(0, 12) + ".png";
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}

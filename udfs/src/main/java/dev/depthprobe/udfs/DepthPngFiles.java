package dev.depthprobe.udfs;

import dev.depthprobe.datasets.DepthPngWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Where executors write each image's depth PNGs, on any Hadoop file system all of them see:
 * {@code <dir>/kitti16/<id>.png} (16-bit KITTI: uint16 = round(metres * 256), 0 invalid) and
 * {@code <dir>/color/<id>.png} (magma colormap), {@code <id>} being the image id without its
 * extension. A retried task overwrites the same files.
 */
public final class DepthPngFiles implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String dir;
  private final Broadcast<SerializableConfiguration> hadoopConf;

  public DepthPngFiles(String dir, Broadcast<SerializableConfiguration> hadoopConf) {
    this.dir = dir;
    this.hadoopConf = hadoopConf;
  }

  public void write(String imageId, float[] depth, int height, int width) throws IOException {
    String name = fileName(imageId);
    Path kitti = new Path(new Path(dir, "kitti16"), name);
    FileSystem fs = kitti.getFileSystem(hadoopConf.value().value());
    try (OutputStream out = fs.create(kitti, true)) {
      DepthPngWriter.writeKitti16(out, depth, height, width);
    }
    try (OutputStream out = fs.create(new Path(new Path(dir, "color"), name), true)) {
      DepthPngWriter.writeColormap(out, depth, height, width);
    }
  }

  /**
   * {@code sub/a.jpg -> sub/a.png}: the id's folders kept, its extension replaced, and anything that
   * could leave the folder ({@code ..}, a leading {@code /}, odd characters) made harmless.
   */
  static String fileName(String imageId) {
    StringBuilder out = new StringBuilder();
    for (String part : imageId.split("/")) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        continue;
      }
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(part.replaceAll("[^A-Za-z0-9._=+-]", "_"));
    }
    String path = out.length() == 0 ? "image" : out.toString();
    int dot = path.lastIndexOf('.');
    int slash = path.lastIndexOf('/');
    String stem = dot > slash + 1 ? path.substring(0, dot) : path;
    return stem + ".png";
  }
}

package dev.depthprobe.jobs;

import dev.depthprobe.errors.Messages;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Refuses a folder the job writes ({@code --output}, {@code --png-dir}) inside the folder it reads: the
 * next run would read the rows and PNGs of this one as images.
 */
final class OutputPlacement {
  private static final String GLOB_CHARS = "*?[{";

  private OutputPlacement() {}

  /**
   * @param input the {@code --input} (a folder, a file or a glob)
   * @param outputs each written folder by its option name
   * @throws UserException (one line) where an output is the input folder or inside it
   */
  static void refuseInsideInput(String input, Map<String, String> outputs, Configuration hadoopConf) {
    String root = qualified(inputRoot(input), hadoopConf);
    outputs.forEach((option, folder) -> {
      if (folder == null) {
        return;
      }
      String out = qualified(folder, hadoopConf);
      if (out.equals(root) || out.startsWith(root.endsWith("/") ? root : root + "/")) {
        throw new UserException(option + " " + folder + " is inside --input " + input
            + "; write it outside the input, or the next run reads it as images");
      }
    });
  }

  /** The folder a glob starts from ({@code /data/*}{@code /x.jpg -> /data}), else the input itself. */
  static String inputRoot(String input) {
    int glob = -1;
    for (int i = 0; i < input.length(); i++) {
      if (GLOB_CHARS.indexOf(input.charAt(i)) >= 0) {
        glob = i;
        break;
      }
    }
    if (glob < 0) {
      return input;
    }
    int slash = input.lastIndexOf('/', glob);
    return slash <= 0 ? "/" : input.substring(0, slash);
  }

  private static String qualified(String location, Configuration hadoopConf) {
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(hadoopConf);
      return fs.makeQualified(path).toString();
    } catch (IOException | IllegalArgumentException e) {
      throw new UserException(location + ": " + Messages.oneLine(e));
    }
  }
}

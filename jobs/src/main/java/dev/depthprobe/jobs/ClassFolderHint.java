package dev.depthprobe.jobs;

import dev.depthprobe.datasets.ClassFolderLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The note {@code features} prints when its {@code files} input is laid out as class folders: the rows
 * would get no label (and the probe refuse them), so the note names what it found and the option that
 * labels each image with its sub-folder. A hint, not a switch: the input format stays what the user
 * asked for.
 */
final class ClassFolderHint {
  private static final Logger LOG = LoggerFactory.getLogger(ClassFolderHint.class);
  private static final int SHOWN = 5;

  private ClassFolderHint() {}

  /** The hint for {@code input} read as {@code inputFormat}, if it applies. */
  static Optional<String> of(Configuration conf, String input, String inputFormat) {
    if (!inputFormat.equals("files")) {
      return Optional.empty();
    }
    try {
      return ClassFolderLayout.detect(conf, input).map(found -> message(input, found));
    } catch (IOException e) {
      LOG.debug("Could not list {} to look for class folders", input, e);
      return Optional.empty();
    }
  }

  /** Prints the hint, if it applies, as one line on {@code err}. */
  static void printIfClassFolders(Configuration conf, String input, String inputFormat, PrintWriter err) {
    of(conf, input, inputFormat).ifPresent(hint -> {
      err.println("depthprobe: note: " + hint);
      err.flush();
    });
  }

  static String message(String input, ClassFolderLayout.Found found) {
    List<String> folders = found.folders();
    String shown = String.join(", ", folders.subList(0, Math.min(SHOWN, folders.size())))
        + (folders.size() > SHOWN ? ", ..." : "");
    return "--input " + input + ": all " + found.images() + " images sit one level down in " + folders.size()
        + " sub-folders (" + shown + "); read as files they get no label. To label each image with its "
        + "sub-folder's name (and probe them), add --input-format class-folders.";
  }
}

package dev.depthprobe.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The samples bundled in the jobs jar, which {@code --input bundled} and {@code --model bundled} name:
 * the sample images and the tiny GLPN and ImageGPT checkpoints (random weights). Spark reads paths,
 * not jar entries, so a sample is copied to a temporary folder deleted when the JVM exits.
 */
enum BundledSample {
  IMAGES("sample", "SOURCE.md"),
  GLPN_TINY("sample-model/glpn-tiny", "config.json"),
  IMAGEGPT_TINY("sample-model/imagegpt-tiny", "config.json");

  /** The option value that names a bundled sample. */
  static final String OPTION_VALUE = "bundled";

  private final String folder;
  /** A file of the folder, to find the folder on the classpath by. */
  private final String marker;

  BundledSample(String folder, String marker) {
    this.folder = folder;
    this.marker = marker;
  }

  /** {@code optionValue} itself, or for {@value #OPTION_VALUE} the path of a temporary copy of this sample. */
  String resolve(String optionValue) {
    return optionValue.equals(OPTION_VALUE) ? extract().toString() : optionValue;
  }

  private Path extract() {
    URL url = BundledSample.class.getClassLoader().getResource(folder + "/" + marker);
    if (url == null) {
      throw new IllegalStateException("the bundled resource " + folder + " is not on the classpath");
    }
    try {
      Path target = Files.createTempDirectory("depthprobe-").resolve(folder);
      URI uri = url.toURI();
      if (uri.getScheme().equals("jar")) {
        try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
          copyTree(jar.getPath(folder), target);
        }
      } else {
        copyTree(Path.of(uri).getParent(), target);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(target.getParent())));
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the bundled " + folder, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at JVM exit
    }
  }
}

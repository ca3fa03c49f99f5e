package dev.depthprobe.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassFolderLayoutTest {
  @TempDir
  Path root;

  @Test
  void imagesOneLevelDownInSeveralFoldersAreClassFolders() throws IOException {
    touch("cat/a.png", "cat/b.JPG", "dog/c.png", "dog/notes.txt", ".cache/x.png", "README.md");

    Optional<ClassFolderLayout.Found> found = detect();

    assertEquals(List.of("cat", "dog"), found.orElseThrow().folders());
    assertEquals(3, found.orElseThrow().images());
  }

  @Test
  void anImageInTheRootOrAFolderTwoLevelsDownOrASingleFolderIsNot() throws IOException {
    touch("cat/a.png", "dog/c.png", "top.png");
    assertTrue(detect().isEmpty());

    Files.delete(root.resolve("top.png"));
    touch("dog/puppies/d.png");
    assertTrue(detect().isEmpty());
  }

  @Test
  void oneFolderOrAFileOrNothingIsNot() throws IOException {
    touch("only/a.png");
    assertTrue(detect().isEmpty());
    assertTrue(ClassFolderLayout.detect(new Configuration(), root.resolve("only/a.png").toString()).isEmpty());
    assertTrue(ClassFolderLayout.detect(new Configuration(), root.resolve("missing").toString()).isEmpty());
  }

  private Optional<ClassFolderLayout.Found> detect() throws IOException {
    return ClassFolderLayout.detect(new Configuration(), root.toString());
  }

  private void touch(String... paths) throws IOException {
    for (String path : paths) {
      Files.createDirectories(root.resolve(path).getParent());
      Files.write(root.resolve(path), new byte[] {1});
    }
  }
}

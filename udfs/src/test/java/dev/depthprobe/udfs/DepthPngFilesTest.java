package dev.depthprobe.udfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DepthPngFilesTest {

  @Test
  void fileNameKeepsFoldersAndAppendsPngSoStemsDoNotCollide() {
    assertEquals("sklearn_flower.jpg.png", DepthPngFiles.fileName("sklearn_flower.jpg"));
    assertEquals("kitchen/0001.jpeg.png", DepthPngFiles.fileName("kitchen/0001.jpeg"));
    assertEquals("no_extension.png", DepthPngFiles.fileName("no_extension"));
    assertEquals("dir.v2/img.png", DepthPngFiles.fileName("dir.v2/img"));
    assertEquals("a.jpg.png", DepthPngFiles.fileName("a.jpg"));
    assertEquals("a.png.png", DepthPngFiles.fileName("a.png"));
  }

  @Test
  void fileNameCannotLeaveThePngFolder() {
    assertTrue(DepthPngFiles.fileName("/../../etc/passwd").matches("etc/passwd~[0-9a-f]{12}\\.png"));
    assertTrue(DepthPngFiles.fileName("a b:c.jpg").matches("a_b_c\\.jpg~[0-9a-f]{12}\\.png"));
    assertNotEquals(DepthPngFiles.fileName("a b.jpg"), DepthPngFiles.fileName("a:b.jpg"), "distinct ids, distinct names");
    assertEquals(DepthPngFiles.fileName("a b.jpg"), DepthPngFiles.fileName("a b.jpg"), "deterministic");
    assertTrue(DepthPngFiles.fileName("..").matches("image~[0-9a-f]{12}\\.png"));
    assertEquals(".hidden.png", DepthPngFiles.fileName(".hidden"));
  }
}

package dev.depthprobe.udfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DepthPngFilesTest {

  @Test
  void fileNameKeepsFoldersAndReplacesTheExtension() {
    assertEquals("sklearn_flower.png", DepthPngFiles.fileName("sklearn_flower.jpg"));
    assertEquals("kitchen/0001.png", DepthPngFiles.fileName("kitchen/0001.jpeg"));
    assertEquals("no_extension.png", DepthPngFiles.fileName("no_extension"));
    assertEquals("dir.v2/img.png", DepthPngFiles.fileName("dir.v2/img"));
  }

  @Test
  void fileNameCannotLeaveThePngFolder() {
    assertEquals("etc/passwd.png", DepthPngFiles.fileName("/../../etc/passwd"));
    assertEquals("a_b_c.png", DepthPngFiles.fileName("a b:c.jpg"));
    assertEquals("image.png", DepthPngFiles.fileName(".."));
    assertEquals(".hidden.png", DepthPngFiles.fileName(".hidden"));
  }
}

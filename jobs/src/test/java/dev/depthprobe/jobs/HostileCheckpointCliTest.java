package dev.depthprobe.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.jobs.PredictDepthCommandTest.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** predict-depth on checkpoint folders built to break it: exit code 2 and one line naming the file and the problem. */
class HostileCheckpointCliTest {
  @TempDir
  Path tmp;

  @Test
  void aPickleWhoseDictKeyIsASelfReferencingListIsOneLine() throws IOException {
    Path model = HostileCheckpoints.pickleWithASelfReferencingKey(tmp.resolve("m"));

    assertRefused(model, model.resolve("pytorch_model.bin") + " (archive/data.pkl): corrupt pickle (a dict key is a "
        + "self-referencing list");
  }

  @Test
  void aFourByteStorageViewedAsTwoToThe31FloatsIsOneLine() throws IOException {
    Path model = HostileCheckpoints.pickleViewingFourBytesAsTwoToThe31Floats(tmp.resolve("m"));

    assertRefused(model, model.resolve("pytorch_model.bin") + ": tensor 'w' of size [2147483648] views more elements "
        + "than storage 'archive/data/0' holds (1)");
  }

  @Test
  void aSafetensorsShapeOfTwoToThe62IsOneLine() throws IOException {
    Path model = HostileCheckpoints.safetensorsWithAShapeOfTwoToThe62(tmp.resolve("m"));

    assertRefused(model, model.resolve("model.safetensors") + ": tensor 'w' has shape [4611686018427387904], whose "
        + "size does not fit in 64 bits");
  }

  @Test
  void aShardIndexNamingFilesOutsideTheFolderIsOneLine() throws IOException {
    for (String shard : new String[] {"/etc/passwd", "../../../../etc/passwd"}) {
      Path model = HostileCheckpoints.shardIndexNaming(tmp.resolve("m" + shard.length()), shard);

      assertRefused(model, model.resolve("model.safetensors.index.json") + ": shard '" + shard
          + "' is not a plain file name inside the checkpoint folder");
    }
  }

  @Test
  void aSizeDivisorOfZeroIsOneLineNamingTheFileAndKey() throws IOException {
    Path model = HostileCheckpoints.sizeDivisorZero(tmp.resolve("m"));

    assertRefused(model, "preprocessor_config.json: size_divisor is 0; must be an integer from 1 to 4096");
  }

  private void assertRefused(Path model, String message) {
    Path out = tmp.resolve("d.npy");
    Result r = PredictDepthCommandTest.run("--model", model.toString(), "--image",
        PredictDepthCommandTest.IMAGE.toString(), "--out", out.toString());

    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("depthprobe: " + message), r.err());
    assertFalse(Files.exists(out));
  }
}

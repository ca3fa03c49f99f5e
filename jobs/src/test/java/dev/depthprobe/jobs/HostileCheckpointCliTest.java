package dev.depthprobe.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.depthprobe.jobs.PredictDepthCommandTest.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** predict-depth on checkpoint folders built to break it: exit code 2 and one line naming the file and the problem. */
class HostileCheckpointCliTest {
  @TempDir
  Path tmp;

  /** Builds a hostile checkpoint folder in the given folder and returns it. */
  interface HostileFolder {
    Path build(Path dir) throws IOException;
  }

  static Stream<Arguments> hostileWeightFiles() {
    return Stream.of(
        arguments("a pickle whose dict key is a self-referencing list",
            (HostileFolder) HostileCheckpoints::pickleWithASelfReferencingKey, "pytorch_model.bin",
            " (archive/data.pkl): corrupt pickle (a dict key is a self-referencing list"),
        arguments("a four-byte storage viewed as 2^31 floats",
            (HostileFolder) HostileCheckpoints::pickleViewingFourBytesAsTwoToThe31Floats, "pytorch_model.bin",
            ": tensor 'w' of size [2147483648] views more elements than storage 'archive/data/0' holds (1)"),
        arguments("a safetensors shape of 2^62",
            (HostileFolder) HostileCheckpoints::safetensorsWithAShapeOfTwoToThe62, "model.safetensors",
            ": tensor 'w' has shape [4611686018427387904], whose size does not fit in 64 bits"));
  }

  @ParameterizedTest(name = "{0} is one line naming the file")
  @MethodSource("hostileWeightFiles")
  void aHostileWeightFileIsOneLineNamingIt(String what, HostileFolder hostile, String file, String problem)
      throws IOException {
    Path model = hostile.build(tmp.resolve("m"));

    assertRefused(model, model.resolve(file) + problem);
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

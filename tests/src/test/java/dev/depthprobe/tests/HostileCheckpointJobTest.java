package dev.depthprobe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.jobs.ExitCodes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The depth job on checkpoint folders built to break it (issue 11), with the weights read on the driver
 * ({@code broadcast}) and by executors ({@code path}): exit code 2, one line naming the file and the
 * problem, and no output.
 */
class HostileCheckpointJobTest {
  static final Path GLPN_TINY = DepthEndToEndTest.GLPN_TINY;

  @TempDir
  static Path dir;
  private static SparkCli sparkCli;
  private static Path input;

  @BeforeAll
  static void startSpark() throws IOException {
    sparkCli = SparkCli.start(HostileCheckpointJobTest.class);
    input = Files.createDirectories(dir.resolve("input"));
    Files.copy(DepthEndToEndTest.IMAGES.resolve("odd_97x123.png"), input.resolve("odd_97x123.png"));
  }

  @AfterAll
  static void stopSpark() {
    sparkCli.close();
  }

  @Test
  void aPickleWhoseDictKeyIsASelfReferencingListIsOneLine() throws IOException {
    Path model = withConfigs("pickle");
    // {a: 1} with a = [b], b = [a]
    byte[] pickle = {(byte) 0x80, 2, '}', ']', 'q', 0, ']', 'q', 1, 'h', 0, 'a', 'a', 'K', 1, 's', '.'};
    try (OutputStream os = Files.newOutputStream(model.resolve("pytorch_model.bin"));
        ZipOutputStream zip = new ZipOutputStream(os)) {
      zip.putNextEntry(new ZipEntry("archive/data.pkl"));
      zip.write(pickle);
      zip.closeEntry();
    }

    assertRefused(model, model.resolve("pytorch_model.bin") + " (archive/data.pkl): corrupt pickle (a dict key is a "
        + "self-referencing list");
  }

  @Test
  void aSafetensorsShapeOfTwoToThe62IsOneLine() throws IOException {
    Path model = withConfigs("safetensors");
    byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,0]}}"
        .getBytes(StandardCharsets.UTF_8);
    Files.write(model.resolve("model.safetensors"),
        ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header)
            .array());

    assertRefused(model, model.resolve("model.safetensors") + ": tensor 'w' has shape [4611686018427387904], whose "
        + "size does not fit in 64 bits");
  }

  @Test
  void aShardIndexNamingEtcPasswdIsOneLine() throws IOException {
    Path model = withConfigs("index");
    Files.writeString(model.resolve("model.safetensors.index.json"),
        "{\"metadata\": {}, \"weight_map\": {\"head.weight\": \"/etc/passwd\"}}");

    assertRefused(model, "model.safetensors.index.json: shard '/etc/passwd' is not a plain file name inside the "
        + "checkpoint folder");
  }

  @Test
  void aSizeDivisorOfZeroIsOneLineNamingTheFileAndKey() throws IOException {
    Path model = withConfigs("divisor");
    Files.copy(GLPN_TINY.resolve("model.safetensors"), model.resolve("model.safetensors"));
    Files.writeString(model.resolve("preprocessor_config.json"), "{\"size_divisor\": 0}");

    assertRefused(model, "preprocessor_config.json: size_divisor is 0; must be an integer from 1 to 4096");
  }

  private static Path withConfigs(String name) throws IOException {
    Path model = Files.createDirectories(dir.resolve("models").resolve(name));
    for (String file : new String[] {"config.json", "preprocessor_config.json"}) {
      Files.copy(GLPN_TINY.resolve(file), model.resolve(file));
    }
    return model;
  }

  private static void assertRefused(Path model, String message) {
    for (String distribution : new String[] {"broadcast", "path"}) {
      Path output = dir.resolve("out-" + model.getFileName() + "-" + distribution);
      SparkCli.Result r = sparkCli.run("depth", "--input", input.toString(), "--model", model.toString(),
          "--model-distribution", distribution, "--output", output.toString());

      assertEquals(ExitCodes.USAGE, r.code(), distribution + ": " + r.err());
      assertEquals(1, r.err().lines().count(), distribution + ", stderr is one line: " + r.err());
      assertTrue(r.err().contains("depthprobe: ") && r.err().contains(message), distribution + ": " + r.err());
      assertFalse(Files.exists(output.resolve("_SUCCESS")), distribution);
    }
  }
}

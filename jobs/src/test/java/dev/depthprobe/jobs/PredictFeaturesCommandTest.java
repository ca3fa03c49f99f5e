package dev.depthprobe.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.npy.Npy;
import dev.depthprobe.npy.NpyArray;
import dev.depthprobe.testing.FloatArrays;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * predict-features on the bundled tiny checkpoint against the values transformers 4.37.2 computed for the
 * same image (model-core's fixtures: {@code pooled = hidden_states[k].mean(dim=1)}).
 */
class PredictFeaturesCommandTest {
  /** Features within 1e-4 of the reference's largest magnitude, as model-core's parity tests. */
  private static final double TOLERANCE = 1e-4;
  private static final Path MODEL = Path.of("src/main/resources/sample-model/imagegpt-tiny");
  private static final Path FIXTURES = Path.of("../model-core/src/test/resources/fixtures");
  private static final Path IMAGE = FIXTURES.resolve("images/gradient_64x80.png");
  private static final Path CASE = FIXTURES.resolve("imagegpt-tiny/cases/gradient_64x80");
  private static final int N_EMBD = 32;

  @TempDir
  Path dir;

  @Test
  void featuresOfSeveralLayersMatchTransformersPooledHiddenStates() throws IOException {
    Path out = dir.resolve("f.npy");

    Result r = run("--model", MODEL.toString(), "--image", IMAGE.toString(), "--layers", "0,2,4",
        "--out", out.toString());

    assertEquals(ExitCodes.OK, r.code, r.err);
    NpyArray features = Npy.read(out);
    assertEquals("<f4", features.dtype());
    assertArrayEquals(new long[] {3, N_EMBD}, features.shape());
    float[] pooled = Npy.read(CASE.resolve("pooled.npy")).toFloatArray(); // [n_layer + 1, 1, n_embd]
    float[] actual = features.toFloatArray();
    int[] layers = {0, 2, 4};
    for (int i = 0; i < layers.length; i++) {
      float[] expected = Arrays.copyOfRange(pooled, layers[i] * N_EMBD, (layers[i] + 1) * N_EMBD);
      FloatArrays.assertClose(expected, Arrays.copyOfRange(actual, i * N_EMBD, (i + 1) * N_EMBD), TOLERANCE,
          "layer " + layers[i]);
    }
  }

  @Test
  void dumpsTheInputIdsAndHiddenStatesUpToTheLayer() throws IOException {
    Path ids = dir.resolve("ids.npy");
    Path states = dir.resolve("states");

    Result r = run("--model", MODEL.toString(), "--image", IMAGE.toString(), "--layer", "2",
        "--out", dir.resolve("f.npy").toString(), "--dump-input-ids", ids.toString(),
        "--dump-hidden-states", states.toString());

    assertEquals(ExitCodes.OK, r.code, r.err);
    NpyArray expectedIds = Npy.read(CASE.resolve("input_ids.npy"));
    assertArrayEquals(expectedIds.shape(), Npy.read(ids).shape());
    assertArrayEquals(expectedIds.toLongArray(), Npy.read(ids).toLongArray());
    assertEquals(3, Files.list(states).count()); // hidden_states 0, 1, 2
    NpyArray state2 = Npy.read(states.resolve("hidden_states_2.npy"));
    assertArrayEquals(new long[] {1, 64, N_EMBD}, state2.shape());
    float[] all = Npy.read(CASE.resolve("hidden_states.npy")).toFloatArray(); // [n_layer + 1, 1, seq, n_embd]
    FloatArrays.assertClose(Arrays.copyOfRange(all, 2 * 64 * N_EMBD, 3 * 64 * N_EMBD), state2.toFloatArray(), TOLERANCE,
        "hidden_states[2]");
  }

  @Test
  void prependSosRunsTheShiftedInputOnAFullPositionTable() throws IOException {
    // 8x8 pixels fill the tiny model's 64 positions, as 32x32 fill imagegpt-small's 1024
    Path ids = dir.resolve("ids.npy");

    Result r = run("--model", MODEL.toString(), "--image", IMAGE.toString(), "--layer", "1", "--prepend-sos",
        "--out", dir.resolve("f.npy").toString(), "--dump-input-ids", ids.toString());

    assertEquals(ExitCodes.OK, r.code, r.err);
    long[] pixels = Npy.read(CASE.resolve("input_ids.npy")).toLongArray();
    long[] shifted = Npy.read(ids).toLongArray();
    long sos = dev.depthprobe.checkpoint.Checkpoint.open(MODEL).config().get("vocab_size").asLong() - 1;
    assertEquals(pixels.length, shifted.length);
    assertEquals(sos, shifted[0]);
    assertArrayEquals(Arrays.copyOf(pixels, pixels.length - 1), Arrays.copyOfRange(shifted, 1, shifted.length));
  }

  @Test
  void anUndecodableImageIsOneLineAndExitCode2() throws IOException {
    Path image = Files.write(dir.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});

    Result r = run("--model", MODEL.toString(), "--image", image.toString(), "--layer", "1",
        "--out", dir.resolve("f.npy").toString());

    assertEquals(ExitCodes.USAGE, r.code);
    assertEquals(1, r.err.lines().count(), r.err);
    assertTrue(r.err.startsWith("depthprobe: " + image + ": cannot decode image"), r.err);
  }

  @Test
  void aMissingModelIsOneLineAndExitCode2() {
    Result r = run("--model", dir.resolve("nothing").toString(), "--image", IMAGE.toString(), "--layer", "1",
        "--out", dir.resolve("f.npy").toString());

    assertEquals(ExitCodes.USAGE, r.code);
    assertEquals(1, r.err.lines().count(), r.err);
  }

  @Test
  void aLayerBeyondTheModelIsExitCode2() {
    Result r = run("--model", MODEL.toString(), "--image", IMAGE.toString(), "--layers", "2,5",
        "--out", dir.resolve("f.npy").toString());

    assertEquals(ExitCodes.USAGE, r.code);
    assertEquals("depthprobe: --layers: layer 5 is outside 0..4 (the model has 4 blocks)", r.err.strip());
  }

  private record Result(int code, String err) {}

  private static Result run(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "predict-features";
    System.arraycopy(args, 0, command, 1, args.length);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = new Main().run(command);
      return new Result(code, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }
}

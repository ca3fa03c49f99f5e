package dev.depthprobe.checkpoint;

import static dev.depthprobe.checkpoint.Fixtures.assertFailsNaming;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  private static final List<String> GLPN_FILES = List.of("config.json", "preprocessor_config.json",
      "model.safetensors");

  @TempDir
  Path tmp;

  /**
   * Lays out {@code models--org--glpn-tiny} as huggingface_hub does: files in blobs/ named by hash,
   * snapshots/abc123/ holding relative symlinks to them, refs/main naming the revision.
   */
  private Path hubCache() throws IOException {
    Path repo = tmp.resolve("hub").resolve("models--org--glpn-tiny");
    Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve("abc123"));
    Files.createDirectories(repo.resolve("blobs"));
    Files.createDirectories(repo.resolve("refs"));
    Files.writeString(repo.resolve("refs").resolve("main"), "abc123");
    Path source = Fixtures.checkpointDir("glpn-tiny", "model");
    for (String name : GLPN_FILES) {
      String blob = sha256Hex(Files.readAllBytes(source.resolve(name)));
      Files.copy(source.resolve(name), repo.resolve("blobs").resolve(blob));
      Files.createSymbolicLink(snapshot.resolve(name), Path.of("..", "..", "blobs", blob));
    }
    return repo;
  }

  private static String sha256Hex(byte[]... parts) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        d.update(p);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Path copyOfGlpn(String folder) throws IOException {
    Path source = Fixtures.checkpointDir("glpn-tiny", "model");
    Path dir = Fixtures.copyConfigs(source, tmp.resolve(folder));
    Files.copy(source.resolve("model.safetensors"), dir.resolve("model.safetensors"));
    return dir;
  }

  @Test
  void huggingFaceCacheFolderOpensTheSnapshotThatRefsMainNames() throws IOException {
    Path repo = hubCache();

    Checkpoint cached = Checkpoint.open(repo);

    assertEquals("org/glpn-tiny@abc123", cached.displayName());
    assertEquals(repo.resolve("snapshots").resolve("abc123"), cached.dir());
    assertEquals("glpn", cached.config().path("model_type").asText());
    Fixtures.assertSameTensors(Checkpoint.open(Fixtures.checkpointDir("glpn-tiny", "model")).weights().tensors(),
        cached.weights().tensors());
  }

  @Test
  void snapshotFolderOpensDirectlyUnderTheSameName() throws IOException {
    Path snapshot = hubCache().resolve("snapshots").resolve("abc123");

    Checkpoint cached = Checkpoint.open(snapshot);

    assertEquals("org/glpn-tiny@abc123", cached.displayName());
    assertEquals(188, cached.weights().tensors().size());
  }

  @Test
  void plainFolderIsNamedAfterItself() throws IOException {
    assertEquals("glpn-copy", Checkpoint.open(copyOfGlpn("glpn-copy")).displayName());
  }

  @Test
  void contentHashIsSha256OfNamedConfigsAndWeightFiles() throws IOException {
    Path dir = Fixtures.checkpointDir("glpn-tiny", "model");
    byte[] nul = {0};
    String expected = sha256Hex(
        "config.json".getBytes(StandardCharsets.UTF_8), nul, Files.readAllBytes(dir.resolve("config.json")),
        "preprocessor_config.json".getBytes(StandardCharsets.UTF_8), nul,
        Files.readAllBytes(dir.resolve("preprocessor_config.json")),
        "model.safetensors".getBytes(StandardCharsets.UTF_8), nul, Files.readAllBytes(dir.resolve("model.safetensors")));

    Checkpoint checkpoint = Checkpoint.open(dir);

    assertEquals(expected, checkpoint.contentHash());
    assertEquals(expected, checkpoint.contentHash());
  }

  @Test
  void contentHashFollowsContentNotLocation() throws IOException {
    String original = Checkpoint.open(Fixtures.checkpointDir("glpn-tiny", "model")).contentHash();
    Path copy = copyOfGlpn("elsewhere");
    Path changed = copyOfGlpn("changed");
    byte[] weights = Files.readAllBytes(changed.resolve("model.safetensors"));
    weights[weights.length - 1] ^= 1;
    Files.write(changed.resolve("model.safetensors"), weights);

    assertEquals(original, Checkpoint.open(copy).contentHash());
    assertEquals(original, Checkpoint.open(hubCache()).contentHash());
    assertNotEquals(original, Checkpoint.open(changed).contentHash());
  }

  @Test
  void contentHashChangesWithThePreprocessorConfigAlone() throws IOException {
    String original = Checkpoint.open(Fixtures.checkpointDir("glpn-tiny", "model")).contentHash();
    Path otherProcessor = copyOfGlpn("other-processor");
    Files.writeString(otherProcessor.resolve("preprocessor_config.json"),
        "{\"image_processor_type\": \"GLPNImageProcessor\", \"do_resize\": false, \"size_divisor\": 32}");

    assertNotEquals(original, Checkpoint.open(otherProcessor).contentHash());
  }

  @Test
  void weightsHashedAsTheyAreReadHaveTheStreamedContentHash() throws IOException {
    for (Path dir : List.of(Fixtures.checkpointDir("glpn-tiny", "model"), Fixtures.checkpointDir("imagegpt-tiny",
        "model-bin"), hubCache())) {
      Checkpoint.HashedWeights hashed = Checkpoint.open(dir).weightsAndContentHash();

      assertEquals(Checkpoint.open(dir).contentHash(), hashed.contentHash(), dir.toString());
      Fixtures.assertSameTensors(Checkpoint.open(dir).weights().tensors(), hashed.weights().tensors());
    }
  }

  @Test
  void aWeightFileChangedInPlaceHashesDifferentlyAsItIsRead() throws IOException {
    String original = Checkpoint.open(Fixtures.checkpointDir("glpn-tiny", "model")).contentHash();
    Path changed = copyOfGlpn("changed-in-place");
    byte[] weights = Files.readAllBytes(changed.resolve("model.safetensors"));
    weights[weights.length / 2] ^= 1;
    Files.write(changed.resolve("model.safetensors"), weights);

    String hashed = Checkpoint.open(changed).weightsAndContentHash().contentHash();

    assertNotEquals(original, hashed);
    assertEquals(Checkpoint.open(changed).contentHash(), hashed);
  }

  @Test
  void missingFolderIsReported() {
    Path absent = tmp.resolve("nowhere");
    assertFailsNaming(() -> Checkpoint.open(absent), absent.toString(), "no such checkpoint folder");
  }

  @Test
  void missingConfigJsonIsReported() throws IOException {
    Path dir = copyOfGlpn("no-config");
    Files.delete(dir.resolve("config.json"));
    assertFailsNaming(() -> Checkpoint.open(dir), dir.resolve("config.json").toString(), "missing file");
  }

  @Test
  void configThatIsNotJsonIsReported() throws IOException {
    Path dir = copyOfGlpn("bad-config");
    Files.writeString(dir.resolve("config.json"), "{\"model_type\": ");
    assertFailsNaming(() -> Checkpoint.open(dir), dir.resolve("config.json").toString(), "not valid JSON");
  }

  @Test
  void folderWithoutWeightsIsReported() throws IOException {
    Path dir = copyOfGlpn("no-weights");
    Files.delete(dir.resolve("model.safetensors"));
    assertFailsNaming(() -> Checkpoint.open(dir), dir.toString(), "no weights",
        "model.safetensors, model.safetensors.index.json, pytorch_model.bin, pytorch_model.bin.index.json");
  }

  @Test
  void cacheFolderWithoutRefsMainIsReported() throws IOException {
    Path repo = hubCache();
    Files.delete(repo.resolve("refs").resolve("main"));
    assertFailsNaming(() -> Checkpoint.open(repo), repo.resolve("refs").resolve("main").toString(),
        "missing file", "refs/main");
  }

  @Test
  void refsMainNamingAnAbsentSnapshotIsReported() throws IOException {
    Path repo = hubCache();
    Files.writeString(repo.resolve("refs").resolve("main"), "def456\n");
    assertFailsNaming(() -> Checkpoint.open(repo), repo.toString(), "revision def456", "snapshots/def456 is missing");
  }

  @Test
  void tensorTheModelNeedsButAbsentIsReported() {
    StateDict weights = Checkpoint.open(Fixtures.checkpointDir("imagegpt-tiny", "model")).weights();
    assertFailsNaming(() -> weights.take("transformer.h.9.ln_1.weight", 32), "model.safetensors",
        "tensor 'transformer.h.9.ln_1.weight' is missing", "[32]");
  }

  @Test
  void tensorWithAnotherShapeIsReportedWithBothShapes() {
    StateDict weights = Checkpoint.open(Fixtures.checkpointDir("imagegpt-tiny", "model-bin")).weights();
    assertFailsNaming(() -> weights.take("transformer.wte.weight", 512, 32), "pytorch_model.bin",
        "tensor 'transformer.wte.weight' has shape [513, 32]", "implies [512, 32]");
  }
}

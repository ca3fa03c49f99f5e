package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The bundled peers.json: its figures, their provenance, and that it names only cases the bench runs. */
class PeersTest {
  private static final Peers PEERS = Peers.load();

  @Test
  void bundledFileHasOrtsAndPytorchsFiguresOfTheirTables() {
    // the ORT run of the README's Performance section (2026-12-07); shared/fixtures/BENCH.md
    assertEquals(1.099, PEERS.ort().figures(GlpnBench.CASE_480X640, 1).orElseThrow().imagesPerS());
    assertEquals(982, PEERS.ort().figures(GlpnBench.CASE_480X640, 1).orElseThrow().peakRssMib());
    assertEquals(1.649, PEERS.ort().figures(ImageGptBench.CASE_PROBE_12, 32).orElseThrow().imagesPerS());
    assertEquals(0.177, PEERS.pytorch().figures(GlpnBench.CASE_480X640, 1).orElseThrow().imagesPerS());
    assertEquals(0.426, PEERS.pytorch().figures(ImageGptBench.CASE_PROBE_12, 32).orElseThrow().imagesPerS());
    assertTrue(PEERS.ort().figures("GLPN-b4 96x128", 1).isEmpty());
  }

  @Test
  void eachPeerCarriesItsProvenance() {
    assertEquals("ONNX Runtime", PEERS.ort().name());
    assertTrue(PEERS.ort().provenance().versions().contains("ONNX Runtime 1.29.0"));
    assertTrue(PEERS.ort().provenance().settings().contains("intra-op threads 2"));
    assertTrue(PEERS.ort().provenance().measured().startsWith("2026-12-07"));
    assertTrue(PEERS.ort().provenance().machine().contains("2 logical CPUs"));
    assertEquals("PyTorch", PEERS.pytorch().name());
    assertTrue(PEERS.pytorch().provenance().versions().contains("PyTorch 1.13"));
    assertEquals("2026-11-23", PEERS.pytorch().provenance().measured());
  }

  @Test
  void bothPeersHaveEveryCaseOfTheFullBenchAndNoOther() {
    Set<PeerFigures.CaseKey> bench = Arrays.stream(GlpnBench.BATCHES).boxed()
        .flatMap(b -> List.of(GlpnBench.CASE_352X1216, GlpnBench.CASE_480X640).stream()
            .map(c -> new PeerFigures.CaseKey(c, b)))
        .collect(Collectors.toSet());
    Arrays.stream(ImageGptBench.BATCHES).boxed()
        .flatMap(b -> List.of(ImageGptBench.CASE_FULL, ImageGptBench.CASE_PROBE_12).stream()
            .map(c -> new PeerFigures.CaseKey(c, b)))
        .forEach(bench::add);
    assertEquals(10, bench.size());
    assertEquals(bench, PEERS.ort().cases().keySet());
    assertEquals(bench, PEERS.pytorch().cases().keySet());
  }

  @Test
  void aCaseListedTwiceIsRefused() {
    String peer = "{\"name\": \"P\", \"provenance\": {\"measured\": \"d\", \"machine\": \"m\", \"versions\": \"v\", "
        + "\"settings\": \"s\", \"source\": \"f\"}, \"cases\": [%s, %s]}";
    String c = "{\"case\": \"GLPN-b4 480x640\", \"batch\": 1, \"images_per_s\": 1, \"peak_rss_mib\": 900}";
    String json = "{\"ort\": " + peer.formatted(c, c) + ", \"pytorch\": " + peer.formatted(c, c) + "}";
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> parse(json));
    assertEquals("peers.json ort GLPN-b4 480x640 batch 1 appears twice", e.getMessage());
  }

  @Test
  void aMissingProvenanceOrFigureIsRefused() {
    IllegalStateException noProvenance = assertThrows(IllegalStateException.class,
        () -> parse("{\"ort\": {\"name\": \"ORT\", \"cases\": []}}"));
    assertEquals("peers.json ort: no provenance", noProvenance.getMessage());
    String noRss = "{\"ort\": {\"name\": \"ORT\", \"provenance\": {\"measured\": \"d\", \"machine\": \"m\", "
        + "\"versions\": \"v\", \"settings\": \"s\", \"source\": \"f\"}, \"cases\": [{\"case\": \"X\", \"batch\": 1, "
        + "\"images_per_s\": 0.5}]}}";
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> parse(noRss));
    assertEquals("peers.json ort X batch 1: no peak_rss_mib", e.getMessage());
  }

  private static Peers parse(String json) throws Exception {
    return Peers.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }
}

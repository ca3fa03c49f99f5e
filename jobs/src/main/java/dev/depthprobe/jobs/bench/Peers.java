package dev.depthprobe.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The bench's two peers, ONNX Runtime (Java API) and PyTorch, from the {@code peers.json} resource beside this
 * class: per case and batch their images/s and peak RSS, and each peer's provenance (date, machine, versions,
 * settings, source). Re-measuring a peer is an edit of that file.
 */
public record Peers(PeerFigures ort, PeerFigures pytorch) {
  static final String RESOURCE = "peers.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The bundled figures. */
  public static Peers load() {
    try (InputStream in = Peers.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("no " + RESOURCE + " beside " + Peers.class.getName());
      }
      return parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  static Peers parse(InputStream in) throws IOException {
    JsonNode root = JSON.readTree(in);
    return new Peers(peer(root, "ort"), peer(root, "pytorch"));
  }

  private static PeerFigures peer(JsonNode root, String key) {
    JsonNode peer = required(root, key, key);
    String where = RESOURCE + " " + key;
    JsonNode p = required(peer, "provenance", where);
    PeerFigures.Provenance provenance = new PeerFigures.Provenance(text(p, "measured", where),
        text(p, "machine", where), text(p, "versions", where), text(p, "settings", where), text(p, "source", where));
    Map<PeerFigures.CaseKey, PeerFigures.Figures> cases = new HashMap<>();
    for (JsonNode c : required(peer, "cases", where)) {
      PeerFigures.CaseKey caseKey = new PeerFigures.CaseKey(text(c, "case", where),
          positive(c, "batch", where).intValue());
      String at = where + " " + caseKey.caseName() + " batch " + caseKey.batch();
      PeerFigures.Figures figures = new PeerFigures.Figures(positive(c, "images_per_s", at).doubleValue(),
          positive(c, "peak_rss_mib", at).doubleValue());
      if (cases.put(caseKey, figures) != null) {
        throw new IllegalStateException(at + " appears twice");
      }
    }
    return new PeerFigures(text(peer, "name", where), provenance, cases);
  }

  private static JsonNode required(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalStateException(where + ": no " + field);
    }
    return value;
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = required(node, field, where);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new IllegalStateException(where + ": " + field + " must be a non-empty string");
    }
    return value.asText();
  }

  private static Number positive(JsonNode node, String field, String where) {
    JsonNode value = required(node, field, where);
    if (!value.isNumber() || value.doubleValue() <= 0) {
      throw new IllegalStateException(where + ": " + field + " must be a positive number, got " + value);
    }
    return value.numberValue();
  }
}

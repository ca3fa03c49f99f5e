package dev.depthprobe.jobs.bench;

import java.util.Map;
import java.util.Optional;

/**
 * One peer's figures for the bench's cases, as {@link Peers} reads them from {@code peers.json}, with
 * where, when and how they were measured.
 */
public record PeerFigures(String name, Provenance provenance, Map<CaseKey, Figures> cases) {

  /** Where, when and how the figures were measured. */
  public record Provenance(String measured, String machine, String versions, String settings, String source) {}

  /** A case as the bench's {@code --json} spells it. */
  public record CaseKey(String caseName, int batch) {}

  /** One case's figures. */
  public record Figures(double imagesPerS, double peakRssMib) {}

  public PeerFigures {
    cases = Map.copyOf(cases);
  }

  public Optional<Figures> figures(String caseName, int batch) {
    return Optional.ofNullable(cases.get(new CaseKey(caseName, batch)));
  }
}

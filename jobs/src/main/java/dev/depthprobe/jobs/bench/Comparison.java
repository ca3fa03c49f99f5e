package dev.depthprobe.jobs.bench;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/** One case's result beside the peers' figures for the same case and batch, where they have it. */
public record Comparison(BenchResult result, Optional<PeerFigures.Figures> ort,
    Optional<PeerFigures.Figures> pytorch) {

  public static Comparison of(BenchResult result, Peers peers) {
    return new Comparison(result, peers.ort().figures(result.caseName(), result.batch()),
        peers.pytorch().figures(result.caseName(), result.batch()));
  }

  public static List<Comparison> of(List<BenchResult> results, Peers peers) {
    return results.stream().map(r -> of(r, peers)).toList();
  }

  public OptionalDouble ortImagesPerS() {
    return figure(ort, PeerFigures.Figures::imagesPerS);
  }

  public OptionalDouble ortPeakRssMib() {
    return figure(ort, PeerFigures.Figures::peakRssMib);
  }

  public OptionalDouble pytorchImagesPerS() {
    return figure(pytorch, PeerFigures.Figures::imagesPerS);
  }

  /** This run's images/s over ONNX Runtime's. */
  public OptionalDouble ratioToOrt() {
    return over(result.imagesPerS(), ortImagesPerS());
  }

  /** This run's images/s over PyTorch's. */
  public OptionalDouble ratioToPytorch() {
    return over(result.imagesPerS(), pytorchImagesPerS());
  }

  /** This run's peak RSS over ONNX Runtime's. */
  public OptionalDouble peakRssToOrt() {
    return over(result.peakRssMib(), ortPeakRssMib());
  }

  private static OptionalDouble figure(Optional<PeerFigures.Figures> peer,
      ToDoubleFunction<PeerFigures.Figures> figure) {
    return peer.map(f -> OptionalDouble.of(figure.applyAsDouble(f))).orElse(OptionalDouble.empty());
  }

  private static OptionalDouble over(double ours, OptionalDouble theirs) {
    return theirs.isPresent() ? OptionalDouble.of(ours / theirs.getAsDouble()) : OptionalDouble.empty();
  }
}

package dev.depthprobe.jobs.report;

import dev.depthprobe.jobs.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** {@code index.html}: the sections in one page with its style inline; it loads nothing but its own PNGs. */
final class ReportPage {
  static final String INDEX = "index.html";
  private static final String STYLE = """
      body { font-family: system-ui, sans-serif; margin: 24px auto; max-width: 1280px; padding: 0 16px;
        color: #222; background: #fff; }
      h1 { font-size: 1.5em; margin-bottom: 0; }
      h2 { border-bottom: 2px solid #3b6ea8; padding-bottom: 4px; margin-top: 36px; }
      h4 { margin: 0 0 6px; font-size: 0.95em; word-break: break-all; }
      p.meta, p.note, figcaption { color: #555; font-size: 0.9em; }
      table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.9em; }
      th, td { border-bottom: 1px solid #ddd; padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
      thead th { border-bottom: 2px solid #999; }
      table.numeric td { text-align: right; font-variant-numeric: tabular-nums; }
      table.facts th { font-weight: normal; color: #555; }
      .columns { display: flex; flex-wrap: wrap; gap: 32px; align-items: flex-start; }
      figure { margin: 0 0 12px; }
      .grid { display: flex; flex-wrap: wrap; gap: 16px; }
      .card { border: 1px solid #ddd; border-radius: 6px; padding: 10px; max-width: 840px; }
      .card table { margin: 6px 0 0; font-size: 0.8em; }
      .tiles { display: flex; gap: 6px; }
      .tiles figcaption { text-align: center; }
      p.error { color: #a00; max-width: 400px; }
      """;

  private ReportPage() {}

  static Path write(Path folder, List<Html> sections) throws IOException {
    Html page = new Html();
    for (Html section : sections) {
      page.append(section);
    }
    String html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>depthprobe report</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n"
        + "<h1>depthprobe report</h1>\n<p class=\"meta\">" + Html.escape("Made "
        + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " by depthprobe " + Version.depthprobe()) + "</p>\n"
        + page + "</body>\n</html>\n";
    Path index = folder.resolve(INDEX);
    Files.writeString(index, html, StandardCharsets.UTF_8);
    return index;
  }
}

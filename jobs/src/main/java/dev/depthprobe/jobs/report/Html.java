package dev.depthprobe.jobs.report;

import java.util.List;
import java.util.Locale;

/** An HTML fragment built in order; every text passed in is escaped. */
final class Html {
  private final StringBuilder out = new StringBuilder();

  static String escape(String text) {
    StringBuilder s = new StringBuilder(text.length());
    for (char ch : text.toCharArray()) {
      switch (ch) {
        case '&' -> s.append("&amp;");
        case '<' -> s.append("&lt;");
        case '>' -> s.append("&gt;");
        case '"' -> s.append("&quot;");
        default -> s.append(ch);
      }
    }
    return s.toString();
  }

  /** A metric for a table cell: 4 decimals, or a dash where there is none. */
  static String number(double value) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.4f", value);
  }

  Html open(String tag, String cssClass) {
    out.append('<').append(tag);
    if (cssClass != null) {
      out.append(" class=\"").append(escape(cssClass)).append('"');
    }
    out.append('>');
    return this;
  }

  Html close(String tag) {
    out.append("</").append(tag).append(">\n");
    return this;
  }

  Html element(String tag, String text) {
    return element(tag, null, text);
  }

  Html element(String tag, String cssClass, String text) {
    open(tag, cssClass);
    out.append(escape(text));
    return close(tag);
  }

  /** An image of the report's folder, its size given so the page lays out before it loads. */
  Html image(ReportImage image, String alt) {
    out.append("<img src=\"").append(escape(image.path())).append("\" width=\"").append(image.width())
        .append("\" height=\"").append(image.height()).append("\" alt=\"").append(escape(alt)).append("\">\n");
    return this;
  }

  /** A table with a header row; {@code numeric} right-aligns every column but the first. */
  Html table(List<String> header, List<List<String>> rows, boolean numeric) {
    open("table", numeric ? "numeric" : null).open("thead", null).open("tr", null);
    header.forEach(h -> element("th", h));
    close("tr").close("thead").open("tbody", null);
    for (List<String> row : rows) {
      open("tr", null);
      for (int i = 0; i < row.size(); i++) {
        element(i == 0 ? "th" : "td", row.get(i));
      }
      close("tr");
    }
    return close("tbody").close("table");
  }

  /** A two-column table of names and values. */
  Html facts(List<List<String>> rows) {
    open("table", "facts").open("tbody", null);
    for (List<String> row : rows) {
      open("tr", null).element("th", row.get(0)).element("td", row.get(1)).close("tr");
    }
    return close("tbody").close("table");
  }

  Html append(Html other) {
    out.append(other.out);
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }
}

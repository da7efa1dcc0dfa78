package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class PackChartsTest {
  static Document parse(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    // The charts are self-contained: no DTD, no entity may be needed to read them.
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  static int bars(Document svg) {
    NodeList groups = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
    int bars = 0;
    for (int i = 0; i < groups.getLength(); i++) {
      if (((Element) groups.item(i)).getAttribute("class").equals("bar")) {
        bars++;
      }
    }
    return bars;
  }

  @Test
  void theDailyChartHasOneBarPerDayATitleADescriptionAndAxisLabels() throws Exception {
    for (YearMonth month :
        List.of(YearMonth.of(2026, 2), YearMonth.of(2026, 11), YearMonth.of(2026, 12))) {
      int days = month.lengthOfMonth();
      long[] ok = new long[days];
      long[] ex = new long[days];
      ok[0] = 3;
      ex[0] = 1;
      ex[days - 1] = 2;
      Document svg = parse(PackCharts.daily(month, ok, ex));
      assertThat(bars(svg)).isEqualTo(days);
      Element root = svg.getDocumentElement();
      assertThat(root.getLocalName()).isEqualTo("svg");
      assertThat(root.getElementsByTagNameNS("*", "title").item(0).getTextContent())
          .contains(month.toString());
      assertThat(root.getElementsByTagNameNS("*", "desc").item(0).getTextContent())
          .contains("6 changes")
          .contains("3 exceptions")
          .contains("1: 3 authorized, 1 exceptions");
      assertThat(root.getTextContent()).contains("Day of " + month).contains("Changes");
    }
  }

  @Test
  void theTallestBarFillsThePlotAndTheStackIsInProportion() throws Exception {
    long[] ok = new long[30];
    long[] ex = new long[30];
    ok[4] = 2;
    ex[4] = 2;
    ok[5] = 1;
    Document svg = parse(PackCharts.daily(YearMonth.of(2026, 11), ok, ex));
    NodeList groups = svg.getElementsByTagNameNS("*", "g");
    Element day5 = (Element) groups.item(4);
    assertThat(day5.getAttribute("data-day")).isEqualTo("5");
    NodeList rects = day5.getElementsByTagNameNS("*", "rect");
    double authorizedHeight = Double.parseDouble(((Element) rects.item(0)).getAttribute("height"));
    double exceptionHeight = Double.parseDouble(((Element) rects.item(1)).getAttribute("height"));
    assertThat(authorizedHeight + exceptionHeight).isEqualTo(160.0);
    assertThat(authorizedHeight).isEqualTo(exceptionHeight);
    Element day6 = (Element) groups.item(5);
    double day6Height =
        Double.parseDouble(
            ((Element) day6.getElementsByTagNameNS("*", "rect").item(0)).getAttribute("height"));
    assertThat(day6Height).isEqualTo(40.0);
  }

  @Test
  void aCountPerDayIsRequired() {
    assertThatThrownBy(() -> PackCharts.daily(YearMonth.of(2026, 2), new long[30], new long[30]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theSystemChartEscapesNamesAndHasOneRowPerSystem() throws Exception {
    Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    counts.put("<script>alert(1)</script>", Map.of("AUTHORIZED", 2L));
    counts.put("payments & billing", new LinkedHashMap<>(Map.of("UNAUTHORIZED", 1L)));
    String text = PackCharts.bySystem(counts, List.of("AUTHORIZED", "UNAUTHORIZED"));
    assertThat(text).doesNotContain("<script>").contains("&lt;script&gt;");
    Document svg = parse(text);
    int systems = 0;
    NodeList groups = svg.getElementsByTagNameNS("*", "g");
    for (int i = 0; i < groups.getLength(); i++) {
      if (((Element) groups.item(i)).getAttribute("class").equals("system")) {
        systems++;
      }
    }
    assertThat(systems).isEqualTo(2);
    assertThat(svg.getDocumentElement().getTextContent())
        .contains("<script>alert(1)</script>")
        .contains("payments & billing")
        .contains("Changes");
    assertThat(svg.getElementsByTagNameNS("*", "desc").item(0).getTextContent())
        .contains("payments & billing: 1 UNAUTHORIZED");
  }

  @Test
  void everyVerdictHasAColourOfItsOwn() {
    java.util.Set<String> colours = new java.util.HashSet<>();
    for (dev.vouch.core.model.Verdict verdict : dev.vouch.core.model.Verdict.values()) {
      assertThat(colours.add(PackCharts.colourOf(verdict.name())))
          .as(verdict + " shares its colour with another verdict")
          .isTrue();
    }
  }
}

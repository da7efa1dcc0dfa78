package dev.vouch.app;

import com.fasterxml.jackson.databind.JsonNode;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/**
 * Renders {@code pack.html} from the pack.json tree with the jte template src/main/jte/pack.jte.
 * The template is compiled to a class at build time, so vouch.jar needs neither the template file
 * nor a Java compiler; HTML content type makes every {@code ${...}} output escaped.
 */
final class PackPage {
  static final String FILE = "pack.html";

  private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);

  private PackPage() {}

  static String render(JsonNode pack) {
    StringOutput out = new StringOutput();
    ENGINE.render("pack.jte", PackView.of(pack), out);
    return out.toString();
  }
}

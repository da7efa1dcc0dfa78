package dev.vouch.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTest {
  @Test
  void oneLineTurnsBreaksControlsAndDirectionOverridesIntoSingleSpaces() {
    assertThat(Text.oneLine("  a\r\n\tb\u0000c\u2028d \u202Eevil\u202C  e\u2066f\u2069 "))
        .isEqualTo("a b c d evil e f");
  }

  @Test
  void fitCutsBeforeEscapingSoThatNoEntityOrEscapeIsBroken() {
    assertThat(Text.fit("a<b", 20, Text::slack)).isEqualTo("a&lt;b");
    // "a&lt;" would be 5 chars + ellipsis = 6 > 5: the cut falls before the entity.
    assertThat(Text.fit("a<bcdef", 5, Text::slack)).isEqualTo("a…");
    assertThat(Text.fit("**", 3, Text::markdown)).isEqualTo("\\*…");
    assertThat(Text.fit("abcdef", 4, Text::plain)).isEqualTo("abc…");
    // A surrogate pair (an emoji) is kept whole or dropped whole.
    String emoji = "ab\uD83D\uDE00cd";
    assertThat(Text.fit(emoji, 4, Text::plain)).isEqualTo("ab…");
    assertThat(Text.fit(emoji, 5, Text::plain)).isEqualTo("ab\uD83D\uDE00…");
  }

  @Test
  void slackEscapesItsThreeControlCharacters() {
    assertThat(Text.slack("<!channel> & <http://x|y>"))
        .isEqualTo("&lt;!channel&gt; &amp; &lt;http://x|y&gt;");
  }

  @Test
  void markdownEscapesEveryCharacterThatStartsSyntax() {
    assertThat(Text.markdown("*b* _i_ ~s~ `c` [l](u) <t> # {{DATE(x)}} a|b ! &amp; \\"))
        .isEqualTo(
            "\\*b\\* \\_i\\_ \\~s\\~ \\`c\\` \\[l\\]\\(u\\) \\<t\\> \\# \\{\\{DATE\\(x\\)\\}\\}"
                + " a\\|b \\! \\&amp; \\\\");
    for (String listStart : List.of("- item", "+ item")) {
      assertThat(Text.markdown(listStart)).isEqualTo("\\" + listStart);
    }
    assertThat(Text.markdown("12. item 3.5")).isEqualTo("12\\. item 3.5");
  }

  @Test
  void htmlEscapesTagsQuotesAndEntities() {
    assertThat(Text.html("<b onclick=\"x\">'&amp;'</b>"))
        .isEqualTo("&lt;b onclick=&quot;x&quot;&gt;&#39;&amp;amp;&#39;&lt;/b&gt;");
  }
}

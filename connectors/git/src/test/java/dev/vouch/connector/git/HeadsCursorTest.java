package dev.vouch.connector.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadsCursorTest {
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  @Test
  void shouldRoundTrip() {
    HeadsCursor cursor = HeadsCursor.of(Map.of("release/1.x", SHA, "main", SHA));

    assertThat(cursor.toJson())
        .isEqualTo("{\"heads\":{\"main\":\"" + SHA + "\",\"release/1.x\":\"" + SHA + "\"}}");
    assertThat(HeadsCursor.parse(cursor.toJson()).heads()).isEqualTo(cursor.heads());
    assertThat(HeadsCursor.parse(null).heads()).isEmpty();
    assertThat(HeadsCursor.parse(" ").heads()).isEmpty();
  }

  @Test
  void shouldRefuseWhatItDidNotWrite() {
    assertThatThrownBy(() -> HeadsCursor.parse("heads"))
        .hasMessageStartingWith("the cursor is not JSON");
    assertThatThrownBy(() -> HeadsCursor.parse("{\"heads\":[]}"))
        .hasMessageContaining("no \"heads\" object");
    assertThatThrownBy(() -> HeadsCursor.parse("{\"heads\":{\"main\":42}}"))
        .hasMessage("the cursor entry \"main\": 42 is not a commit SHA");
  }
}

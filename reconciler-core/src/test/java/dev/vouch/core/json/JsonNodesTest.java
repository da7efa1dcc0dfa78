package dev.vouch.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JsonNodesTest {
  private final JsonNode tree =
      Json.mapper()
          .readTree(
              "{\"a\":{\"b\":\" x \",\"n\":12,\"t\":\"TRUE\",\"blank\":\"  \",\"nil\":null},"
                  + "\"list\":[1]}");

  JsonNodesTest() throws Exception {}

  @Test
  void readsAlongAPathAndToleratesWhatIsMissing() {
    assertThat(JsonNodes.text(tree, "a", "b")).isEqualTo(" x ");
    assertThat(JsonNodes.text(tree, "a", "n")).isEqualTo("12");
    assertThat(JsonNodes.text(tree, "a", "blank")).isNull();
    assertThat(JsonNodes.at(tree, "a", "nil")).isNull();
    assertThat(JsonNodes.at(tree, "list", "x")).isNull();
    assertThat(JsonNodes.text(tree, "a")).isNull();
    assertThat(JsonNodes.text(null, "a")).isNull();
    assertThat(JsonNodes.isTrue(tree, "a", "t")).isTrue();
    assertThat(JsonNodes.isTrue(tree, "a", "b")).isFalse();
  }

  @Test
  void describesNodesForMessages() {
    assertThat(JsonNodes.kind(tree.get("list"))).isEqualTo("an array");
    assertThat(JsonNodes.quote(tree.at("/a/b"))).isEqualTo("' x '");
    assertThat(JsonNodes.quote(tree.at("/a/n"))).isEqualTo("12");
    assertThat(JsonNodes.quote(tree.get("a"))).isEqualTo("an object");
  }
}

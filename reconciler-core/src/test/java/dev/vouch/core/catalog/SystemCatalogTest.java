package dev.vouch.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.core.model.Coordinates;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SystemCatalogTest {
  private final SystemCatalog catalog =
      new SystemCatalog(
          List.of(
              new SystemDefinition(
                  "shop-code",
                  List.of(new SystemDefinition.Scope("git", Set.of("acme/shop"), Set.of("main")))),
              new SystemDefinition(
                  "shop-k8s",
                  List.of(
                      new SystemDefinition.Scope("kubernetes", Set.of("prod-eu"), Set.of("shop")))),
              new SystemDefinition(
                  "platform-k8s",
                  List.of(new SystemDefinition.Scope("kubernetes", Set.of("prod-eu"), Set.of())))));

  @Test
  void aNarrowerScopeWinsAndAnUnlistedSubScopeFallsBackToTheWholeCluster() {
    assertThat(catalog.resolve(new Coordinates("kubernetes", "prod-eu", "shop")))
        .contains("shop-k8s");
    assertThat(catalog.resolve(new Coordinates("kubernetes", "prod-eu", "kube-system")))
        .contains("platform-k8s");
    assertThat(catalog.resolve(new Coordinates("kubernetes", "prod-eu", null)))
        .contains("platform-k8s");
    assertThat(catalog.resolve(new Coordinates("git", "acme/shop", "develop"))).isEmpty();
  }

  @Test
  void recordSystemsMayBeNamesOrCoordinateReferences() {
    assertThat(catalog.namesFor("shop-code")).containsExactly("shop-code");
    assertThat(catalog.namesFor("git:acme/shop")).containsExactly("shop-code");
    assertThat(catalog.namesFor("kubernetes:prod-eu"))
        .containsExactlyInAnyOrder("shop-k8s", "platform-k8s");
    assertThat(catalog.namesFor("git:acme/other")).isEmpty();
    assertThat(catalog.namesFor("payments-prd")).isEmpty();
  }
}

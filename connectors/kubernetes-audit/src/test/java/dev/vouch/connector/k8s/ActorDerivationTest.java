package dev.vouch.connector.k8s;

import static dev.vouch.connector.k8s.TestSupport.corpusEvent;
import static dev.vouch.connector.k8s.TestSupport.corpusLines;
import static dev.vouch.connector.k8s.TestSupport.event;
import static dev.vouch.connector.k8s.TestSupport.json;
import static dev.vouch.connector.k8s.TestSupport.map;
import static dev.vouch.connector.k8s.TestSupport.panther;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.catalog.IdentityMap;
import dev.vouch.core.model.Actor;
import dev.vouch.core.model.ChangeEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who made a change: the effective user, its aliases, and resolution through the identities. */
class ActorDerivationTest {
  /** The identities a security team would configure: people and the names they go by. */
  private static final IdentityMap IDENTITIES =
      new IdentityMap(
          Map.of(
              "alice", List.of("alice@example.com"),
              "bob", List.of("bob@example.com"),
              "carol", List.of("carol.ops"),
              "dave", List.of("jane-cert-not-dave", "dave-admin"),
              "erin", List.of("erin@example.com")));

  private static Actor actor(ObjectNode event) {
    return map(event).actor();
  }

  private static ObjectNode withUser(String userJson) {
    ObjectNode event = event("a-1");
    event.set("user", json(userJson));
    return event;
  }

  @Test
  void shouldResolveAnOidcUserWithAPrefix() {
    Actor actor =
        actor(withUser("{\"username\":\"oidc:alice@example.com\",\"groups\":[\"oidc:devs\"]}"));

    assertThat(actor.raw()).isEqualTo("oidc:alice@example.com");
    assertThat(actor.type()).isEqualTo("kubernetes-user");
    assertThat(actor.aliases()).containsExactly("oidc:alice@example.com", "alice@example.com");
    assertThat(IDENTITIES.resolve(actor)).contains("alice");
  }

  @Test
  void shouldResolveAnOidcUserNamedByIssuerAndSubject() {
    // Without --oidc-username-prefix, claims other than email are prefixed "<issuer>#".
    Actor actor = actor(withUser("{\"username\":\"https://sso.example.com#bob@example.com\"}"));

    assertThat(actor.aliases())
        .containsExactly("https://sso.example.com#bob@example.com", "bob@example.com");
    assertThat(IDENTITIES.resolve(actor)).contains("bob");
  }

  @Test
  void shouldResolveAnOidcEmailWithoutPrefix() {
    // Panther's EKS-style events name people by e-mail; the email claim has no prefix.
    Actor actor = actor(withUser("{\"username\":\"erin@example.com\"}"));

    assertThat(actor.aliases()).containsExactly("erin@example.com");
    assertThat(IDENTITIES.resolve(actor)).contains("erin");
  }

  @Test
  void shouldKeepTheSessionNameOfAnEksAssumedRoleUnverifiedUnlessTheRoleIsTrusted() {
    // An EKS access entry maps an IAM role: the user name is the assumed-role ARN.
    String arn = "arn:aws:sts::111122223333:assumed-role/EKSAdmins/carol.ops";
    Actor actor =
        actor(
            withUser(
                """
                {"username":"%s","uid":"aws-iam-authenticator:111122223333:AROAEXAMPLE",
                 "groups":["system:authenticated"],
                 "extra":{"accessKeyId":["ASIAEXAMPLE"],"arn":["%s"],
                   "canonicalArn":["arn:aws:iam::111122223333:role/EKSAdmins"],
                   "sessionName":["carol.ops"]}}"""
                    .formatted(arn, arn)));

    assertThat(actor.raw()).isEqualTo(arn);
    // Whoever may assume EKSAdmins chooses the session name, and the user name embeds it.
    assertThat(actor.aliases()).isEmpty();
    assertThat(actor.unverified()).containsExactly("carol.ops", arn);
    assertThat(actor.issuer()).isEqualTo("arn:aws:iam::111122223333:role/EKSAdmins");
    assertThat(IDENTITIES.resolve(actor)).isEmpty();
    IdentityMap trusting =
        new IdentityMap(
            Map.of("carol", List.of("carol.ops")),
            List.of("arn:aws:iam::111122223333:role/EKSAdmins"));
    assertThat(trusting.resolve(actor)).contains("carol");
  }

  @Test
  void shouldTakeTheSessionNameOfAnIdentityCenterRoleMappedByEksAsAnAlias() {
    String arn =
        "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ClusterAdmin_0123abcd/carol.ops";
    Actor actor =
        actor(
            withUser(
                """
                {"username":"%s","extra":{"arn":["%s"],"sessionName":["carol.ops"]}}"""
                    .formatted(arn, arn)));

    assertThat(actor.aliases()).contains("carol.ops");
    assertThat(actor.unverified()).isEmpty();
    assertThat(IDENTITIES.resolve(actor)).contains("carol");
  }

  @Test
  void shouldKeepAnImpersonatorAsSomeoneTheChangeWasMadeThrough() {
    ActorDerivation.Derived derived =
        ActorDerivation.derive(
            Json.MAPPER.valueToTree(Map.of("username", "dave")),
            Json.MAPPER.valueToTree(Map.of("username", "system:serviceaccount:shop:deployer")));

    assertThat(derived.actor().raw()).isEqualTo("system:serviceaccount:shop:deployer");
    assertThat(derived.actor().via()).containsExactly("dave");
    assertThat(derived.impersonator()).isEqualTo("dave");
  }

  @Test
  void shouldResolveAnAwsAuthMappedAdminThroughItsExtraArn() {
    // aws-auth maps the role to the fixed name kubernetes-admin; user.extra keeps who it was.
    String arn = "arn:aws:sts::111122223333:assumed-role/Admin/carol.ops";
    ChangeEvent event =
        map(
            withUser(
                """
                {"username":"kubernetes-admin","groups":["system:masters"],
                 "extra":{"arn":["%s"],"sessionName":["carol.ops"]}}"""
                    .formatted(arn)));

    // The mapped name is the cluster's; the session name is the caller's choice.
    assertThat(event.actor().aliases()).containsExactly("kubernetes-admin");
    assertThat(event.actor().unverified()).containsExactly("carol.ops", arn);
    assertThat(IDENTITIES.resolve(event.actor())).isEmpty();
    assertThat(event.referenceHints()).contains("carol.ops", arn);
  }

  @Test
  void shouldDeriveAliasesFromTheCorpusEksAddonManager() {
    // Panther line 16: eks:addon-manager with the EKS authenticator's extra fields.
    Actor actor = actor(panther(16));

    assertThat(actor.type()).isEqualTo("system");
    assertThat(actor.aliases()).containsExactly("eks:addon-manager");
    assertThat(actor.unverified())
        .containsExactly(
            "1669918824986835422",
            "arn:aws:sts::123412341234:assumed-role/"
                + "AWSWesleyClusterManagerLambda-Add-AddonManagerRole-G332QAM69HWF/"
                + "1669918824986835422");
  }

  @Test
  void shouldResolveAnIamUserArn() {
    Actor actor =
        actor(withUser("{\"username\":\"arn:aws:iam::111122223333:user/ops/dave-admin\"}"));

    assertThat(actor.aliases())
        .containsExactly("arn:aws:iam::111122223333:user/ops/dave-admin", "dave-admin");
    assertThat(IDENTITIES.resolve(actor)).contains("dave");
  }

  @Test
  void shouldResolveACertificateUserByItsCommonName() {
    // An X.509 client certificate: CN is the user name, O the groups. Nothing more to derive.
    Actor actor =
        actor(
            withUser(
                "{\"username\":\"jane-cert-not-dave\",\"groups\":[\"ops\",\"system:authenticated\"]}"));

    assertThat(actor.aliases()).containsExactly("jane-cert-not-dave");
    assertThat(IDENTITIES.resolve(actor)).contains("dave");
  }

  @Test
  void shouldResolveTheFalcoMinikubeUserAsTheDemoDoes() {
    IdentityMap demo = new IdentityMap(Map.of("mina", List.of("minikube-user")));

    Actor actor = actor(corpusEvent("falco/create_clusterrolebinding.json"));

    assertThat(demo.resolve(actor)).contains("mina");
  }

  @Test
  void shouldActAsTheImpersonatedUserAndKeepTheImpersonator() {
    // audit2rbac: system:admin impersonates bob.
    ChangeEvent event = map(corpusLines("audit2rbac/demo.log").get(0));

    assertThat(event.actor().raw()).isEqualTo("bob");
    assertThat(event.actor().aliases()).containsExactly("bob");
    assertThat(event.attributes())
        .containsEntry("k8s.user.username", "bob")
        .containsEntry("k8s.user.groups", "system:authenticated")
        .containsEntry("k8s.impersonator", "system:admin");
    assertThat(event.referenceHints()).containsExactly("system:admin");
    assertThat(IDENTITIES.resolve(event.actor())).contains("bob");
  }

  @Test
  void shouldNotTakeTheImpersonatorForTheActor() {
    ObjectNode event =
        withUser("{\"username\":\"oidc:alice@example.com\",\"groups\":[\"admins\"]}");
    event.set("impersonatedUser", json("{\"username\":\"system:serviceaccount:ci:deployer\"}"));

    ChangeEvent mapped = map(event);

    assertThat(mapped.actor().raw()).isEqualTo("system:serviceaccount:ci:deployer");
    assertThat(mapped.actor().type()).isEqualTo("serviceaccount");
    assertThat(mapped.attributes()).containsEntry("k8s.impersonator", "oidc:alice@example.com");
    assertThat(mapped.attributes()).doesNotContainKey("k8s.user.groups");
    assertThat(IDENTITIES.resolve(mapped.actor())).isEmpty();
  }

  @ParameterizedTest(name = "{0} is a {1}")
  @CsvSource({
    "system:serviceaccount:kube-system:replicaset-controller, serviceaccount",
    "system:node:ip-10-0-31-19.us-west-2.compute.internal, node",
    "system:kube-controller-manager, system",
    "system:anonymous, system",
    "eks:node-manager, system",
    "minikube-user, kubernetes-user",
    "admin@example.com, kubernetes-user",
  })
  void shouldTypeThePrincipal(String username, String type) {
    Actor actor = actor(withUser("{\"username\":\"" + username + "\"}"));

    assertThat(actor.type()).isEqualTo(type);
    assertThat(actor.aliases()).containsExactly(username);
  }

  @Test
  void shouldKeepAnEventWithoutUserAsUnknown() {
    ObjectNode event = event("a-1");
    event.remove("user");

    ChangeEvent mapped = map(event);

    assertThat(mapped.actor().raw()).isEqualTo("unknown");
    assertThat(mapped.actor().type()).isEqualTo("unknown");
    assertThat(mapped.actor().aliases()).isEmpty();
    assertThat(mapped.attributes()).doesNotContainKey("k8s.user.username");
  }
}

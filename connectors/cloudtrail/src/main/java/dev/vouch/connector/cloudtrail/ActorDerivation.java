package dev.vouch.connector.cloudtrail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.json.JsonNodes;
import dev.vouch.core.model.Actor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns a CloudTrail {@code userIdentity} into an {@link Actor}: the raw principal kept as
 * evidence, its type, and the aliases that may name the person behind it, most telling first. The
 * person itself is left null: the core resolves aliases through the configured identities.
 *
 * <p>A role session name is chosen by whoever calls {@code AssumeRole}, so it proves nothing by
 * itself: it is an alias only for IAM Identity Center roles ({@code AWSReservedSSO_*}, whose
 * session name Identity Center sets to the signed-in user). For any other role it is an {@linkplain
 * Actor#unverified() unverified} name, issued by the role: the core trusts it only when the role is
 * listed in {@code identities.trustedSessionRoles} (its trust policy pins the session name). The
 * same holds for the name of a federated user, which the calling IAM user chooses.
 *
 * <ul>
 *   <li>{@code AssumedRole}: raw = the assumed-role ARN; aliases = {@code
 *       sessionContext.sourceIdentity} (set by the identity provider and carried through role
 *       chains), {@code onBehalfOf.userId}, and for {@code AWSReservedSSO_*} roles the session name
 *       and {@code <roleName>/<sessionName>}; for other roles these two are unverified, issued by
 *       the role ({@code sessionContext.sessionIssuer.arn}).
 *   <li>{@code IAMUser}: raw = the user ARN; alias = {@code userName}.
 *   <li>{@code Root}: raw = the ARN or {@code root@<account>}; aliases = {@code root@<account>},
 *       {@code userName} (the account alias when set).
 *   <li>{@code FederatedUser}: raw = the ARN; the name after {@code federated-user/} is unverified,
 *       issued by the IAM user who called {@code GetFederationToken}.
 *   <li>{@code IdentityCenterUser}: aliases = {@code onBehalfOf.userId}, {@code userName}.
 *   <li>{@code AWSService}: raw and alias = {@code invokedBy} (the service, such as {@code
 *       lambda.amazonaws.com}).
 *   <li>{@code AWSAccount}: alias = {@code accountId:principalId}.
 *   <li>anything else ({@code Unknown}, {@code Directory}, {@code SAMLUser}, {@code
 *       WebIdentityUser}): alias = {@code userName}.
 * </ul>
 *
 * <p>When the ARN is absent the raw principal falls back to {@code principalId}, {@code userName},
 * {@code invokedBy}, and finally {@code unknown}; a record without {@code userIdentity} gets raw
 * {@code unknown}, type {@code Unknown} and no aliases.
 */
final class ActorDerivation {
  static final String UNKNOWN = "unknown";
  static final String UNKNOWN_TYPE = "Unknown";

  private static final String ASSUMED_ROLE_MARKER = ":assumed-role/";

  /** IAM Identity Center's roles: their session name is the signed-in user's, set by AWS. */
  static final String IDENTITY_CENTER_ROLE_PREFIX = "AWSReservedSSO_";

  /** The path IAM Identity Center creates its roles in. */
  static final String IDENTITY_CENTER_ROLE_PATH = ":role/aws-reserved/sso.amazonaws.com/";

  private static final String FEDERATED_USER_MARKER = "federated-user/";

  private ActorDerivation() {}

  /**
   * The actor and the session facts that become attributes and reference hints.
   *
   * @param actor the actor
   * @param sessionName the role session name (assumed roles only)
   * @param sourceIdentity {@code sessionContext.sourceIdentity}
   * @param roleArn the ARN of the role behind the session ({@code
   *     sessionContext.sessionIssuer.arn})
   */
  record Derived(
      Actor actor,
      @Nullable String sessionName,
      @Nullable String sourceIdentity,
      @Nullable String roleArn) {}

  /**
   * Derives the actor of a record.
   *
   * @param userIdentity the record's {@code userIdentity}, or null when absent
   * @param eventAccount the account the event was recorded in, for {@code root@<account>} when the
   *     identity does not name its own
   */
  static Derived derive(@Nullable JsonNode userIdentity, @Nullable String eventAccount) {
    if (userIdentity == null || !userIdentity.isObject()) {
      return new Derived(new Actor(UNKNOWN, UNKNOWN_TYPE, List.of(), null), null, null, null);
    }
    String type = orElse(JsonNodes.text(userIdentity, "type"), UNKNOWN_TYPE);
    String arn = JsonNodes.text(userIdentity, "arn");
    String principalId = JsonNodes.text(userIdentity, "principalId");
    String userName = JsonNodes.text(userIdentity, "userName");
    String invokedBy = JsonNodes.text(userIdentity, "invokedBy");
    String accountId = JsonNodes.text(userIdentity, "accountId");
    String onBehalfOf = JsonNodes.text(userIdentity, "onBehalfOf", "userId");
    String sourceIdentity = JsonNodes.text(userIdentity, "sessionContext", "sourceIdentity");
    String roleArn = roleArn(userIdentity);
    String genericRaw = firstOf(arn, principalId, userName, invokedBy, UNKNOWN);

    Set<String> aliases = new LinkedHashSet<>();
    Set<String> unverified = new LinkedHashSet<>();
    String issuer = null;
    String raw = genericRaw;
    String sessionName = null;
    switch (type) {
      case "AssumedRole" -> {
        String roleName = null;
        if (arn != null && arn.contains(ASSUMED_ROLE_MARKER)) {
          String rest =
              arn.substring(arn.indexOf(ASSUMED_ROLE_MARKER) + ASSUMED_ROLE_MARKER.length());
          int slash = rest.lastIndexOf('/');
          if (slash >= 0) {
            roleName = rest.substring(0, slash);
            sessionName = rest.substring(slash + 1);
          } else {
            roleName = rest;
          }
        }
        if (sessionName == null || sessionName.isBlank()) {
          sessionName = afterColon(principalId);
        }
        if (roleName == null || roleName.isBlank()) {
          roleName = JsonNodes.text(userIdentity, "sessionContext", "sessionIssuer", "userName");
        }
        add(aliases, sourceIdentity);
        add(aliases, onBehalfOf);
        boolean identityCenter = identityCenterRole(userIdentity, roleName);
        Set<String> sessionNames = identityCenter ? aliases : unverified;
        add(sessionNames, sessionName);
        if (roleName != null && sessionName != null && !sessionName.isBlank()) {
          add(sessionNames, roleName + "/" + sessionName);
        }
        if (!identityCenter && !unverified.isEmpty()) {
          issuer = roleArn != null ? roleArn : roleArnOf(arn, roleName);
        }
      }
      case "IAMUser" -> add(aliases, userName != null ? userName : lastSegment(arn, ":user/"));
      case "Root" -> {
        String account = accountId != null ? accountId : eventAccount;
        String rootAlias = account == null ? null : "root@" + account;
        raw = firstOf(arn, rootAlias, principalId, "root");
        add(aliases, rootAlias);
        add(aliases, userName);
      }
      case "FederatedUser" -> {
        String name = null;
        if (arn != null && arn.contains(FEDERATED_USER_MARKER)) {
          name = arn.substring(arn.indexOf(FEDERATED_USER_MARKER) + FEDERATED_USER_MARKER.length());
        }
        add(unverified, name != null ? name : afterColon(principalId));
        if (!unverified.isEmpty()) {
          issuer =
              firstOf(
                  JsonNodes.text(userIdentity, "sessionContext", "sessionIssuer", "arn"),
                  accountId == null ? null : "arn:aws:iam::" + accountId + ":user/*");
        }
      }
      case "IdentityCenterUser" -> {
        raw = firstOf(arn, onBehalfOf, userName, principalId, UNKNOWN);
        add(aliases, onBehalfOf);
        add(aliases, userName);
      }
      case "AWSService" -> {
        raw = firstOf(invokedBy, arn, principalId, UNKNOWN);
        add(aliases, invokedBy);
      }
      case "AWSAccount" -> {
        String crossAccount =
            accountId != null && principalId != null ? accountId + ":" + principalId : null;
        raw = firstOf(arn, crossAccount, principalId, accountId, UNKNOWN);
        add(aliases, crossAccount);
      }
      default -> add(aliases, userName);
    }
    unverified.removeAll(aliases); // a name the source vouches for is not also an unverified one
    Actor actor =
        new Actor(
            raw,
            type,
            new ArrayList<>(aliases),
            null,
            new ArrayList<>(unverified),
            issuer,
            List.of());
    return new Derived(actor, sessionName, sourceIdentity, roleArn);
  }

  /** {@code sessionContext.sessionIssuer.arn} when the issuer is a role (not a federating user). */
  private static @Nullable String roleArn(JsonNode userIdentity) {
    String issuerArn = JsonNodes.text(userIdentity, "sessionContext", "sessionIssuer", "arn");
    if (issuerArn == null) {
      return null;
    }
    String issuerType = JsonNodes.text(userIdentity, "sessionContext", "sessionIssuer", "type");
    boolean role =
        (issuerType != null && issuerType.toLowerCase(Locale.ROOT).equals("role"))
            || issuerArn.contains(":role/");
    return role ? issuerArn : null;
  }

  /**
   * Whether the session's role is an IAM Identity Center role: created by the SSO service in its
   * reserved path ({@code role/aws-reserved/sso.amazonaws.com/}), named {@code AWSReservedSSO_*}.
   * Its session name is set by Identity Center to the signed-in user, not by the caller.
   */
  private static boolean identityCenterRole(JsonNode userIdentity, @Nullable String roleName) {
    String issuerArn = JsonNodes.text(userIdentity, "sessionContext", "sessionIssuer", "arn");
    String issuerName = JsonNodes.text(userIdentity, "sessionContext", "sessionIssuer", "userName");
    return (issuerArn != null && issuerArn.contains(IDENTITY_CENTER_ROLE_PATH))
        || (issuerName != null && issuerName.startsWith(IDENTITY_CENTER_ROLE_PREFIX))
        || (roleName != null && roleName.startsWith(IDENTITY_CENTER_ROLE_PREFIX));
  }

  /**
   * The role's ARN from an assumed-role ARN ({@code arn:aws:sts::<account>:assumed-role/<role>/...}
   * gives {@code arn:aws:iam::<account>:role/<role>}), when the record has no session issuer.
   */
  private static @Nullable String roleArnOf(
      @Nullable String assumedRoleArn, @Nullable String role) {
    if (assumedRoleArn == null || role == null || !assumedRoleArn.startsWith("arn:")) {
      return null;
    }
    String[] parts = assumedRoleArn.split(":", 6);
    if (parts.length < 6) {
      return null;
    }
    return "arn:" + parts[1] + ":iam::" + parts[4] + ":role/" + role;
  }

  private static void add(Set<String> aliases, @Nullable String alias) {
    if (alias != null && !alias.isBlank()) {
      aliases.add(alias);
    }
  }

  private static @Nullable String afterColon(@Nullable String principalId) {
    if (principalId == null) {
      return null;
    }
    int colon = principalId.lastIndexOf(':');
    String tail = colon >= 0 ? principalId.substring(colon + 1) : null;
    return tail == null || tail.isBlank() ? null : tail;
  }

  private static @Nullable String lastSegment(@Nullable String arn, String marker) {
    if (arn == null || !arn.contains(marker)) {
      return null;
    }
    String rest = arn.substring(arn.indexOf(marker) + marker.length());
    return rest.substring(rest.lastIndexOf('/') + 1);
  }

  private static String orElse(@Nullable String value, String fallback) {
    return value != null ? value : fallback;
  }

  private static String firstOf(@Nullable String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null && !candidate.isBlank()) {
        return candidate;
      }
    }
    return UNKNOWN;
  }
}

package dev.vouch.connector.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.json.JsonNodes;
import dev.vouch.core.model.Actor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns an audit event's {@code user} and {@code impersonatedUser} into an {@link Actor}.
 *
 * <p>The effective user is {@code impersonatedUser} when present (the request ran with its rights),
 * else {@code user}; the impersonator is kept apart. {@code raw} is the effective user name.
 * Aliases, in order and without blanks or duplicates:
 *
 * <ol>
 *   <li>the user name itself (for client-certificate users this is the certificate's CN; for
 *       service accounts {@code system:serviceaccount:<ns>:<name>});
 *   <li>for OIDC users with a prefix, the name after it: {@code oidc:alice@example.com} gives
 *       {@code alice@example.com}, {@code https://issuer.example.com#alice} gives {@code alice}
 *       (the API server's default prefix for claims other than {@code email} is the issuer URL and
 *       {@code #});
 *   <li>for AWS IAM principals mapped by EKS (a user name that is an ARN, or any name with {@code
 *       user.extra.arn}): the IAM user name and the ARN. {@code user.extra.arn} comes first when
 *       present, then what the ARN in the user name says.
 * </ol>
 *
 * <p>An assumed role's session name (from {@code user.extra.sessionName} or the ARN) is chosen by
 * whoever assumes the role: it is an alias only for IAM Identity Center roles ({@code
 * AWSReservedSSO_*}); for other roles it is {@linkplain Actor#unverified() unverified}, issued by
 * the role, and the core trusts it only for roles listed in {@code identities.trustedSessionRoles}.
 *
 * <p>An impersonating user carries the change out too: it is the actor's {@linkplain Actor#via()
 * via}, so that segregation of duties counts both.
 */
final class ActorDerivation {
  static final String TYPE_USER = "kubernetes-user";
  static final String TYPE_SERVICE_ACCOUNT = "serviceaccount";
  static final String TYPE_NODE = "node";
  static final String TYPE_SYSTEM = "system";
  static final String TYPE_UNKNOWN = "unknown";

  /** IAM Identity Center's roles: their session name is the signed-in user's, set by AWS. */
  static final String IDENTITY_CENTER_ROLE_PREFIX = "AWSReservedSSO_";

  /** The raw principal when the event names no user at all. */
  static final String UNKNOWN_USER = "unknown";

  /** {@code arn:aws:sts::<acct>:assumed-role/<role>/<session>}, also in other partitions. */
  private static final Pattern ASSUMED_ROLE =
      Pattern.compile("arn:aws[a-z-]*:sts::\\d*:assumed-role/([^/]+)/(.+)");

  /** {@code arn:aws:iam::<acct>:user/<path>/<name>}. */
  private static final Pattern IAM_USER =
      Pattern.compile("arn:aws[a-z-]*:iam::\\d*:user/(?:.*/)?([^/]+)");

  /** An OIDC prefix as operators configure it ({@code oidc:}, {@code gitlab:}, ...). */
  private static final Pattern PREFIX = Pattern.compile("([A-Za-z][A-Za-z0-9._-]*):(.+)");

  /** Prefixes that are not OIDC prefixes: Kubernetes' own users, EKS internals, ARNs. */
  private static final Set<String> NOT_OIDC_PREFIXES = Set.of("system", "eks", "arn");

  private ActorDerivation() {}

  /**
   * The actor and what else was learnt about the caller.
   *
   * @param actor the effective user
   * @param impersonator the authenticated user who impersonated the effective one, or null
   * @param groups the effective user's groups
   * @param extraValues the values of {@code user.extra} and {@code impersonatedUser.extra}, which
   *     may carry a session name holding a change id
   */
  record Derived(
      Actor actor, @Nullable String impersonator, List<String> groups, List<String> extraValues) {}

  static Derived derive(@Nullable JsonNode user, @Nullable JsonNode impersonatedUser) {
    String authenticated = JsonNodes.text(user, "username");
    String impersonated = JsonNodes.text(impersonatedUser, "username");
    JsonNode effective = impersonated != null ? impersonatedUser : user;
    String username = impersonated != null ? impersonated : authenticated;
    String impersonator = impersonated != null ? authenticated : null;

    List<String> extraValues = new ArrayList<>();
    extraValues(user, extraValues);
    extraValues(impersonatedUser, extraValues);

    List<String> groups = new ArrayList<>();
    JsonNode groupList = JsonNodes.at(effective, "groups");
    if (groupList != null && groupList.isArray()) {
      for (JsonNode group : groupList) {
        if (group.isValueNode() && !group.asText().isBlank()) {
          groups.add(group.asText());
        }
      }
    }
    if (username == null) {
      return new Derived(
          new Actor(UNKNOWN_USER, TYPE_UNKNOWN, List.of(), null),
          impersonator,
          groups,
          extraValues);
    }
    Set<String> aliases = new LinkedHashSet<>();
    Set<String> unverified = new LinkedHashSet<>();
    add(aliases, username);
    add(aliases, oidcName(username));
    String extraArn = firstExtra(effective, "arn");
    String arn =
        extraArn != null
            ? extraArn
            : ASSUMED_ROLE.matcher(username).matches() || IAM_USER.matcher(username).matches()
                ? username
                : null;
    String issuer = null;
    Matcher role = arn == null ? null : ASSUMED_ROLE.matcher(arn);
    if (role != null && role.matches()) {
      boolean identityCenter = role.group(1).startsWith(IDENTITY_CENTER_ROLE_PREFIX);
      Set<String> sessionNames = identityCenter ? aliases : unverified;
      add(sessionNames, firstExtra(effective, "sessionName"));
      add(sessionNames, role.group(2));
      add(sessionNames, arn);
      if (!identityCenter) {
        issuer = roleArn(arn, role.group(1));
      }
    } else {
      add(unverified, firstExtra(effective, "sessionName"));
      if (arn != null) {
        add(aliases, awsName(arn));
        add(aliases, arn);
      }
    }
    // A user name that embeds a caller-chosen session name (the ARN itself, or an EKS mapping
    // such as admin:{{SessionName}}) identifies no more than the session name does.
    if (unverified.stream().anyMatch(name -> !name.equals(username) && username.contains(name))) {
      aliases.remove(username);
      unverified.add(username);
    }
    return new Derived(
        new Actor(
            username,
            type(username),
            List.copyOf(aliases),
            null,
            List.copyOf(unverified),
            issuer,
            impersonator == null ? List.of() : List.of(impersonator)),
        impersonator,
        groups,
        extraValues);
  }

  /** The principal type: service account, node, Kubernetes or EKS system user, or a person. */
  static String type(String username) {
    String lower = username.toLowerCase(Locale.ROOT);
    if (lower.startsWith("system:serviceaccount:")) {
      return TYPE_SERVICE_ACCOUNT;
    }
    if (lower.startsWith("system:node:")) {
      return TYPE_NODE;
    }
    if (lower.startsWith("system:") || lower.startsWith("eks:")) {
      return TYPE_SYSTEM;
    }
    return TYPE_USER;
  }

  /**
   * The name after an OIDC prefix: after {@code #} in {@code https://issuer#name}, after the first
   * colon in {@code oidc:name}; null when the name has no such prefix.
   */
  static @Nullable String oidcName(String username) {
    String lower = username.toLowerCase(Locale.ROOT);
    if (lower.startsWith("https://") || lower.startsWith("http://")) {
      int hash = username.lastIndexOf('#');
      return hash >= 0 && hash < username.length() - 1 ? username.substring(hash + 1) : null;
    }
    Matcher matcher = PREFIX.matcher(username);
    if (matcher.matches()
        && !NOT_OIDC_PREFIXES.contains(matcher.group(1).toLowerCase(Locale.ROOT))) {
      return matcher.group(2);
    }
    return null;
  }

  /** {@code arn:aws:iam::<account>:role/<role>} for an assumed-role ARN of that role. */
  private static String roleArn(String assumedRoleArn, String role) {
    String[] parts = assumedRoleArn.split(":", 6);
    return parts.length < 6
        ? assumedRoleArn
        : "arn:" + parts[1] + ":iam::" + parts[4] + ":role/" + role;
  }

  /** The role session name of an assumed-role ARN, or the user name of an IAM user ARN. */
  static @Nullable String awsName(String arn) {
    Matcher role = ASSUMED_ROLE.matcher(arn);
    if (role.matches()) {
      return role.group(2);
    }
    Matcher user = IAM_USER.matcher(arn);
    return user.matches() ? user.group(1) : null;
  }

  private static @Nullable String firstExtra(@Nullable JsonNode user, String key) {
    JsonNode values = JsonNodes.at(user, "extra", key);
    if (values == null) {
      return null;
    }
    if (values.isArray()) {
      for (JsonNode value : values) {
        if (value.isValueNode() && !value.asText().isBlank()) {
          return value.asText();
        }
      }
      return null;
    }
    return values.isValueNode() && !values.asText().isBlank() ? values.asText() : null;
  }

  private static void extraValues(@Nullable JsonNode user, List<String> values) {
    JsonNode extra = JsonNodes.at(user, "extra");
    if (extra == null || !extra.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> field : extra.properties()) {
      JsonNode value = field.getValue();
      if (value.isArray()) {
        for (JsonNode item : value) {
          if (item.isValueNode() && !item.asText().isBlank()) {
            values.add(item.asText());
          }
        }
      } else if (value.isValueNode() && !value.asText().isBlank()) {
        values.add(value.asText());
      }
    }
  }

  private static void add(Set<String> aliases, @Nullable String alias) {
    if (alias != null && !alias.isBlank()) {
      aliases.add(alias.strip());
    }
  }
}

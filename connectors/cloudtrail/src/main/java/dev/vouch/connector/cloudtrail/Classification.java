package dev.vouch.connector.cloudtrail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.model.EventClass;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides the {@link EventClass} and the write-ness of a CloudTrail record.
 *
 * <p>The first rule that applies wins:
 *
 * <ol>
 *   <li>a non-empty {@code errorCode}: {@link EventClass#FAILED} (a failed call changed nothing);
 *   <li>{@code eventType} {@code AwsConsoleSignIn}, or a sign-in event of {@link #SIGN_IN_EVENTS}
 *       whatever its {@code eventType}: {@link EventClass#SIGN_IN};
 *   <li>{@code eventCategory} {@code Data}: {@link EventClass#DATA};
 *   <li>{@code eventCategory} {@code Insight} or {@code NetworkActivity}, or {@code eventType}
 *       {@code AwsCloudTrailInsight}, {@code AwsServiceEvent} or {@code AwsVpceEvent}: {@link
 *       EventClass#OTHER};
 *   <li>a read-only call: {@link EventClass#READ_ONLY};
 *   <li>otherwise {@link EventClass#CHANGE}.
 * </ol>
 *
 * <p>A call is read-only when {@code readOnly} is {@code true} (the boolean, or the text {@code
 * "true"} in any case); a record that states {@code readOnly} is taken at its word. When it is
 * absent, which is common in older records, exports and hand-made fixtures, the call is decided, in
 * this order, by {@link #TABLE_EXCEPTIONS}, by the access level AWS gives the IAM action of the
 * same name ({@link AccessLevels}), and last by the verb the name starts with ({@link
 * #READ_ONLY_PREFIXES}). Values of {@code eventType} and {@code eventCategory} are compared
 * case-insensitively, because real samples carry {@code AwsConsoleSignin}.
 */
final class Classification {

  /**
   * The verbs that start the names of AWS API actions that only read: the last resort, for a record
   * without {@code readOnly} whose action the access-level table does not know. A name is read-only
   * when it starts with one of these followed by the end of the name or by a character that is not
   * a lower-case letter ({@code GetObject}, {@code ListBuckets}, {@code BatchGetItem}; not {@code
   * Listen…} or {@code Getaway…}). {@code BatchGet} is listed apart from {@code Get} because it
   * does not start with it.
   */
  static final List<String> READ_ONLY_PREFIXES =
      List.of(
          "Get",
          "Describe",
          "List",
          "Head",
          "Lookup",
          "Search",
          "Scan",
          "Query",
          "BatchGet",
          "Select",
          "Preview",
          "Estimate",
          "Simulate",
          "View",
          "Verify",
          "Test",
          "Download");

  /**
   * The sign-in events, by event source: a person proving who they are, or trading that proof for a
   * session, never a change of the account. CloudTrail types most of them {@code AwsConsoleSignIn},
   * but not all ({@code GetSigninToken} is an {@code AwsApiCall}, IAM Identity Center's {@code
   * Authenticate} an {@code AwsServiceEvent}), and exports and fixtures drop {@code eventType}; so
   * they are known by source and name. In the research corpus: {@code ConsoleLogin}, {@code
   * CheckMfa}, {@code PasswordUpdated} (the root user's password, changed in the sign-in flow,
   * which AWS logs as a sign-in event), {@code ExternalIdPDirectoryLogin}, {@code AssumeRole} (a
   * role taken in the console, typed {@code AwsConsoleSignIn}), {@code GetSigninToken} (the
   * federation endpoint's console token), and IAM Identity Center's {@code Authenticate} and {@code
   * CreateToken} (the token of a device or CLI sign-in). Named by AWS's documentation: {@code
   * SwitchRole}, and the IAM Identity Center sign-in steps {@code UserAuthentication}, {@code
   * CredentialChallenge} and {@code CredentialVerification}. The OIDC service's own host, {@code
   * sso-oauth.amazonaws.com}, is listed for {@code CreateToken} too.
   */
  static final Map<String, Set<String>> SIGN_IN_EVENTS =
      Map.of(
          "signin.amazonaws.com",
          Set.of(
              "ConsoleLogin",
              "CheckMfa",
              "SwitchRole",
              "ExternalIdPDirectoryLogin",
              "PasswordUpdated",
              "AssumeRole",
              "GetSigninToken",
              "UserAuthentication",
              "CredentialChallenge",
              "CredentialVerification"),
          "sso.amazonaws.com",
          Set.of("Authenticate", "CreateToken"),
          "sso-oauth.amazonaws.com",
          Set.of("CreateToken"));

  /**
   * Actions that AWS's access-level table calls {@code Write} but that change nothing in the
   * account, so a record of one without {@code readOnly} is read-only. CloudTrail agrees for every
   * such record of the research corpus that states {@code readOnly}, except {@code
   * GetFederationToken}, which it logs with {@code readOnly: false} (and which is then a change,
   * since a stated {@code readOnly} is taken at its word).
   */
  static final List<TableException> TABLE_EXCEPTIONS =
      List.of(
          new TableException(
              "sts-credentials",
              "sts",
              Set.of(
                  "AssumeRole",
                  "AssumeRoleWithSAML",
                  "AssumeRoleWithWebIdentity",
                  "AssumeRoot",
                  "GetSessionToken",
                  "GetFederationToken",
                  "GetWebIdentityToken",
                  "GetDelegatedAccessToken"),
              "issues temporary credentials; what is done with them is logged as calls of its own"),
          new TableException(
              "kms-cryptography",
              "kms",
              Set.of(
                  "Encrypt",
                  "Decrypt",
                  "ReEncrypt",
                  "GenerateDataKey",
                  "GenerateDataKeyWithoutPlaintext",
                  "GenerateDataKeyPair",
                  "GenerateDataKeyPairWithoutPlaintext",
                  "GenerateRandom",
                  "GenerateMac",
                  "VerifyMac",
                  "Sign",
                  "Verify",
                  "DeriveSharedSecret"),
              "uses a key without changing the key, its policy or its grants"));

  private static final Set<String> OTHER_CATEGORIES = Set.of("insight", "networkactivity");
  private static final Set<String> OTHER_TYPES =
      Set.of("awscloudtrailinsight", "awsserviceevent", "awsvpceevent");

  private Classification() {}

  /**
   * A group of actions the access-level table calls writes that are not changes.
   *
   * @param group its name, shown as {@code exception:<group>} in {@code aws.readOnly}
   * @param servicePrefix the IAM service prefix of the actions
   * @param eventNames the event names, as CloudTrail writes them
   * @param reason why they change nothing
   */
  record TableException(String group, String servicePrefix, Set<String> eventNames, String reason) {
    TableException {
      eventNames = Set.copyOf(eventNames);
    }
  }

  /**
   * How a record's write-ness was decided.
   *
   * @param readOnly whether the call only read
   * @param basis the {@code aws.readOnly} attribute: {@code true} or {@code false} as the record
   *     states it; else {@code exception:<group>}, {@code table:<access level>} or {@code
   *     inferred:prefix}
   * @param explanation for a decided (not stated) value, one line saying how, for the finding
   */
  record ReadOnly(boolean readOnly, String basis, @Nullable String explanation) {}

  static ReadOnly readOnly(
      JsonNode record, @Nullable String eventSource, @Nullable String eventName) {
    JsonNode value = record.get("readOnly");
    if (value != null) {
      if (value.isBoolean()) {
        return stated(value.booleanValue());
      }
      if (value.isTextual()) {
        String text = value.textValue().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
          return stated(Boolean.parseBoolean(text.toLowerCase(Locale.ROOT)));
        }
      }
    }
    return decide(eventSource, eventName);
  }

  static ReadOnly stated(boolean readOnly) {
    return new ReadOnly(readOnly, Boolean.toString(readOnly), null);
  }

  /**
   * Decides the write-ness of a call whose record does not state {@code readOnly}: {@link
   * #TABLE_EXCEPTIONS}, then the access-level table, then {@link #READ_ONLY_PREFIXES}.
   */
  static ReadOnly decide(@Nullable String eventSource, @Nullable String eventName) {
    String prefix = AccessLevels.servicePrefix(eventSource);
    String action =
        (prefix != null ? prefix : "(no eventSource)")
            + ":"
            + (eventName != null ? eventName : "(no eventName)");
    for (TableException exception : TABLE_EXCEPTIONS) {
      if (exception.servicePrefix().equals(prefix) && exception.eventNames().contains(eventName)) {
        return new ReadOnly(
            true,
            "exception:" + exception.group(),
            "readOnly absent: "
                + action
                + " "
                + exception.reason()
                + ", so it is not a change (exception "
                + exception.group()
                + ")");
      }
    }
    Optional<AccessLevels.Found> found = AccessLevels.lookup(eventSource, eventName);
    if (found.isPresent()) {
      AccessLevels.Level level = found.get().level();
      return new ReadOnly(
          level.readOnly(),
          "table:" + level.label(),
          "readOnly absent: AWS gives "
              + found.get().action()
              + " the access level "
              + level.label()
              + ", so it is "
              + (level.readOnly() ? "not a change" : "a change")
              + " (table from "
              + AccessLevels.source()
              + ")");
    }
    String verb = readOnlyVerb(eventName);
    return new ReadOnly(
        verb != null,
        "inferred:prefix",
        "readOnly absent and "
            + action
            + " not in AWS's access-level table: "
            + (verb != null
                ? "read-only because its name starts with '" + verb + "'"
                : "a change because its name starts with no read-only verb (Get, Describe, List,"
                    + " ...)"));
  }

  /**
   * The {@link #READ_ONLY_PREFIXES} entry an event name starts with at a word boundary, or null.
   */
  static @Nullable String readOnlyVerb(@Nullable String eventName) {
    if (eventName == null) {
      return null;
    }
    for (String prefix : READ_ONLY_PREFIXES) {
      if (eventName.startsWith(prefix)
          && (eventName.length() == prefix.length()
              || !Character.isLowerCase(eventName.charAt(prefix.length())))) {
        return prefix;
      }
    }
    return null;
  }

  /** Whether a record is one of the {@link #SIGN_IN_EVENTS}. */
  static boolean isSignIn(@Nullable String eventSource, @Nullable String eventName) {
    if (eventSource == null || eventName == null) {
      return false;
    }
    Set<String> names = SIGN_IN_EVENTS.get(eventSource.trim().toLowerCase(Locale.ROOT));
    return names != null && names.contains(eventName);
  }

  static EventClass classify(
      @Nullable String errorCode,
      @Nullable String eventType,
      @Nullable String eventCategory,
      @Nullable String eventSource,
      @Nullable String eventName,
      ReadOnly readOnly) {
    String type = eventType == null ? "" : eventType.toLowerCase(Locale.ROOT);
    String category = eventCategory == null ? "" : eventCategory.toLowerCase(Locale.ROOT);
    if (errorCode != null && !errorCode.isBlank()) {
      return EventClass.FAILED;
    }
    if (type.equals("awsconsolesignin") || isSignIn(eventSource, eventName)) {
      return EventClass.SIGN_IN;
    }
    if (category.equals("data")) {
      return EventClass.DATA;
    }
    if (OTHER_CATEGORIES.contains(category) || OTHER_TYPES.contains(type)) {
      return EventClass.OTHER;
    }
    return readOnly.readOnly() ? EventClass.READ_ONLY : EventClass.CHANGE;
  }
}

package dev.vouch.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vouch.bench.Catalog.Account;
import dev.vouch.bench.Catalog.Action;
import dev.vouch.bench.Catalog.Person;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Writes CloudTrail records (eventVersion 1.11) with a streaming generator: identity variants as
 * CloudTrail logs them (IAM Identity Center sessions, IAM users, workload roles, service-linked
 * roles, AWS service principals), realistic request parameters and response elements, and the
 * classification fields Vouch reads (readOnly, errorCode, eventType, eventCategory,
 * managementEvent).
 */
final class CloudTrailRecordWriter {

  private static final DateTimeFormatter IAM_DATE =
      DateTimeFormatter.ofPattern("MMM d, yyyy, h:mm:ss a", Locale.US);

  private static final List<String> CLI_AGENTS =
      List.of(
          "aws-cli/2.31.4 md/awscrt#0.27.6 ua/2.1 os/macos#24.6.0 md/arch#arm64 lang/python#3.13.7"
              + " md/pyimpl#CPython m/E,b,Z cfg/retry-mode#standard md/installer#source"
              + " md/prompt#off md/command#",
          "aws-cli/2.30.1 md/awscrt#0.27.2 ua/2.1 os/linux#6.8.0-85-generic md/arch#x86_64"
              + " lang/python#3.13.7 md/pyimpl#CPython m/b,E cfg/retry-mode#standard"
              + " md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#");
  private static final String TERRAFORM_AGENT =
      "APN/1.0 HashiCorp/1.0 Terraform/1.13.3 (+https://www.terraform.io)"
          + " terraform-provider-aws/6.14.1 (+https://registry.terraform.io/providers/hashicorp/aws)"
          + " aws-sdk-go-v2/1.39.2 ua/2.1 os/linux lang/go#1.24.6 md/GOOS#linux md/GOARCH#amd64"
          + " api/";
  private static final String BROWSER_AGENT =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/141.0.0.0 Safari/537.36";
  private static final List<String> SDK_AGENTS =
      List.of(
          "Boto3/1.40.45 md/Botocore#1.40.45 ua/2.1 os/linux#5.10.240 md/arch#x86_64"
              + " lang/python#3.12.11 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12"
              + " cfg/retry-mode#legacy Botocore/1.40.45",
          "aws-sdk-java/2.33.8 md/io#sync md/http#Apache ua/2.1 os/Linux#6.1.148 lang/java#21.0.8"
              + " md/OpenJDK_64-Bit_Server_VM#21.0.8+9-LTS md/vendor#Amazon.com_Inc. md/en_US"
              + " exec-env/AWS_ECS_FARGATE m/D,N",
          "aws-sdk-go-v2/1.39.2 ua/2.1 os/linux lang/go#1.24.6 md/GOOS#linux md/GOARCH#arm64");

  private static final String ALNUM_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final String HEX = "0123456789abcdef";

  private final SplittableRandom rng;
  private final Map<String, String> stable = new HashMap<>();
  private final List<List<Person>> peopleByAccount = new ArrayList<>();

  CloudTrailRecordWriter(SplittableRandom rng) {
    this.rng = rng;
    for (int a = 0; a < Catalog.ACCOUNTS.size(); a++) {
      List<Person> people = new ArrayList<>();
      for (Person p : Catalog.PEOPLE) {
        if (p.memberOf(a)) {
          people.add(p);
        }
      }
      peopleByAccount.add(people);
    }
  }

  /** How a record's principal appears in userIdentity. */
  private enum IdType {
    SSO_ADMIN,
    SSO_READONLY,
    IAM_USER,
    WORKLOAD_ROLE,
    SERVICE_LINKED_ROLE,
    AWS_SERVICE
  }

  /** The principal of one record. */
  private record Principal(IdType type, String name, String session, String invokedBy) {}

  /** Everything the field writers need about one record. */
  private static final class Ctx {
    long time;
    String account;
    String region;
    String prefix;
    Action action;
    Principal principal;
    boolean console;
    // Resource names, drawn once per record so request and response agree.
    String function;
    String role;
    String db;
    String word;
    String snapshot;
  }

  /**
   * Writes one record and returns its eventID.
   *
   * @param late true when the record sits in a file delivered hours late
   */
  String write(JsonGenerator g, EventSpec e, boolean late) throws IOException {
    Ctx c = new Ctx();
    Account account = Catalog.ACCOUNTS.get(e.account());
    c.time = e.time();
    c.account = account.id();
    c.region = Catalog.REGIONS.get(e.region());
    c.prefix = account.prefix();
    switch (e.kind()) {
      case PERSON_CHANGE -> {
        Person p = e.planned().person();
        c.action = e.planned().action();
        c.principal =
            p.iamUser()
                ? new Principal(IdType.IAM_USER, p.id(), null, null)
                : new Principal(IdType.SSO_ADMIN, p.id(), p.ssoSession(), null);
      }
      case SERVICE_CHANGE -> serviceChange(c, e);
      case READ_ONLY -> {
        c.action = Catalog.pick(Catalog.READ_ACTIONS, e.region(), rng);
        c.principal = readerPrincipal(e.account());
        if (rng.nextDouble() < 0.03 && c.principal.type() == IdType.SSO_READONLY) {
          c.principal =
              new Principal(
                  IdType.SSO_READONLY,
                  c.principal.name(),
                  c.principal.session(),
                  "cloudformation.amazonaws.com");
        }
      }
      case FAILED -> {
        c.action =
            rng.nextDouble() < 0.6
                ? Catalog.pick(Catalog.WRITE_ACTIONS, e.region(), rng)
                : Catalog.pick(Catalog.READ_ACTIONS, e.region(), rng);
        double u = rng.nextDouble();
        c.principal =
            u < 0.25
                ? workloadPrincipal(e.account())
                : personPrincipal(Catalog.pick(peopleByAccount.get(e.account()), rng), false);
      }
      case SIGN_IN -> {
        c.action = Catalog.CONSOLE_LOGIN;
        c.principal = personPrincipal(Catalog.pick(peopleByAccount.get(e.account()), rng), false);
      }
      case DATA -> {
        c.action = rng.nextDouble() < 0.7 ? Catalog.S3_GET_OBJECT : Catalog.S3_PUT_OBJECT;
        c.principal =
            rng.nextDouble() < 0.8
                ? workloadPrincipal(e.account())
                : personPrincipal(Catalog.pick(peopleByAccount.get(e.account()), rng), true);
      }
      default -> throw new IllegalStateException(e.kind().name());
    }
    return switch (e.kind()) {
      case SIGN_IN -> writeConsoleLogin(g, c, late);
      case DATA -> writeDataEvent(g, c, late);
      default -> writeApiCall(g, c, e.kind() == EventSpec.Kind.FAILED, late);
    };
  }

  private void serviceChange(Ctx c, EventSpec e) {
    double u = rng.nextDouble();
    if (u < 0.4) {
      c.action =
          Catalog.find(
              Catalog.WRITE_ACTIONS,
              Catalog.pick(List.of("RunInstances", "TerminateInstances", "CreateTags"), rng));
      c.principal =
          new Principal(
              IdType.SERVICE_LINKED_ROLE,
              "AWSServiceRoleForAutoScaling",
              "AutoScaling",
              "autoscaling.amazonaws.com");
    } else if (u < 0.7) {
      // An EKS managed node group scaling or upgrading its nodes through its service-linked role.
      // (CloudFormation's calls are a person's stack operation, which Vouch reviews; not here.)
      c.action =
          Catalog.find(
              Catalog.WRITE_ACTIONS,
              Catalog.pick(List.of("RunInstances", "TerminateInstances", "CreateTags"), rng));
      c.principal =
          new Principal(
              IdType.SERVICE_LINKED_ROLE,
              "AWSServiceRoleForAmazonEKSNodegroup",
              "EKS",
              "eks-nodegroup.amazonaws.com");
    } else {
      String[][] options = {
        {"CreateDBSnapshot", "backup.amazonaws.com"},
        {"CreateTags", "ec2.amazonaws.com"},
        {"PutRetentionPolicy", "logs.amazonaws.com"}
      };
      String[] o = options[rng.nextInt(options.length)];
      c.action = Catalog.find(Catalog.WRITE_ACTIONS, o[0]);
      c.principal = new Principal(IdType.AWS_SERVICE, null, null, o[1]);
    }
  }

  private Principal readerPrincipal(int account) {
    double u = rng.nextDouble();
    if (u < 0.45) {
      return workloadPrincipal(account);
    }
    if (u < 0.88) {
      return personPrincipal(Catalog.pick(peopleByAccount.get(account), rng), true);
    }
    return new Principal(IdType.IAM_USER, Catalog.MONITORING_USER.id(), null, null);
  }

  private Principal personPrincipal(Person p, boolean readOnlyRole) {
    if (p.iamUser()) {
      return new Principal(IdType.IAM_USER, p.id(), null, null);
    }
    IdType type = readOnlyRole && rng.nextBoolean() ? IdType.SSO_READONLY : IdType.SSO_ADMIN;
    return new Principal(type, p.id(), p.ssoSession(), null);
  }

  private Principal workloadPrincipal(int account) {
    String role = Catalog.pick(Catalog.WORKLOAD_ROLES.get(account), rng);
    String session =
        role.endsWith("instance") || role.endsWith("runner")
            ? "i-0" + hex(16)
            : role.endsWith("lambda") ? role : hex(32);
    return new Principal(IdType.WORKLOAD_ROLE, role, session, null);
  }

  // ----------------------------------------------------------------------------- API calls

  private String writeApiCall(JsonGenerator g, Ctx c, boolean failed, boolean late)
      throws IOException {
    Action a = c.action;
    Principal p = c.principal;
    c.console =
        (p.type() == IdType.SSO_ADMIN || p.type() == IdType.SSO_READONLY)
            && p.invokedBy() == null
            && rng.nextDouble() < 0.3;
    String eventId = uuid();
    g.writeStartObject();
    g.writeStringField("eventVersion", "1.11");
    writeUserIdentity(g, c);
    g.writeStringField("eventTime", Instant.ofEpochSecond(c.time).toString());
    g.writeStringField("eventSource", a.source());
    g.writeStringField("eventName", a.name());
    g.writeStringField("awsRegion", c.region);
    g.writeStringField("sourceIPAddress", sourceIp(c));
    g.writeStringField("userAgent", userAgent(c));
    if (failed) {
      String code =
          a.source().equals("ec2.amazonaws.com") && rng.nextDouble() < 0.3
              ? "Client.UnauthorizedOperation"
              : "AccessDenied";
      g.writeStringField("errorCode", code);
      g.writeStringField(
          "errorMessage",
          "User: "
              + principalArn(c)
              + " is not authorized to perform: "
              + a.service()
              + ":"
              + a.name().replaceAll("\\d{8}(v\\d)?$", "")
              + " because no identity-based policy allows the action");
    }
    writeParameters(g, c, !failed && a.write());
    g.writeStringField("requestID", a.source().startsWith("s3.") ? upper(16) : uuid());
    g.writeStringField("eventID", eventId);
    if (a.write()) {
      g.writeBooleanField("readOnly", false);
    } else if (!a.readOnlyInferable() || rng.nextDouble() >= 0.3) {
      g.writeBooleanField("readOnly", true);
    }
    writeResources(g, c);
    writeDelivery(g, c, "AwsApiCall", true, late);
    if (p.invokedBy() == null || !p.invokedBy().endsWith(".amazonaws.com")) {
      g.writeObjectFieldStart("tlsDetails");
      g.writeStringField("tlsVersion", "TLSv1.3");
      g.writeStringField("cipherSuite", "TLS_AES_128_GCM_SHA256");
      g.writeStringField("clientProvidedHostHeader", host(c));
      g.writeEndObject();
    }
    if (c.console) {
      g.writeStringField("sessionCredentialFromConsole", "true");
    }
    g.writeEndObject();
    return eventId;
  }

  private String writeConsoleLogin(JsonGenerator g, Ctx c, boolean late) throws IOException {
    Principal p = c.principal;
    c.console = true;
    String eventId = uuid();
    g.writeStartObject();
    g.writeStringField("eventVersion", "1.11");
    writeUserIdentity(g, c);
    g.writeStringField("eventTime", Instant.ofEpochSecond(c.time).toString());
    g.writeStringField("eventSource", "signin.amazonaws.com");
    g.writeStringField("eventName", "ConsoleLogin");
    g.writeStringField("awsRegion", c.region);
    g.writeStringField("sourceIPAddress", personIp(p.name()));
    g.writeStringField("userAgent", BROWSER_AGENT);
    g.writeNullField("requestParameters");
    g.writeObjectFieldStart("responseElements");
    g.writeStringField("ConsoleLogin", "Success");
    g.writeEndObject();
    g.writeObjectFieldStart("additionalEventData");
    if (p.type() == IdType.IAM_USER) {
      g.writeStringField(
          "LoginTo",
          "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_"
              + c.region
              + "_"
              + hex(16));
      g.writeStringField("MobileVersion", "No");
      g.writeStringField("MFAIdentifier", "arn:aws:iam::" + c.account + ":mfa/" + p.name());
      g.writeStringField("MFAUsed", "Yes");
    } else {
      g.writeStringField("MobileVersion", "No");
      g.writeStringField("MFAUsed", "No");
    }
    g.writeEndObject();
    g.writeStringField("eventID", eventId);
    g.writeBooleanField("readOnly", false);
    writeDelivery(g, c, "AwsConsoleSignIn", true, late);
    g.writeEndObject();
    return eventId;
  }

  /**
   * Fields every record has, in this order: event type, management or data event, recipient
   * account, the delivery-delay addendum of a late file, and category.
   */
  private static void writeDelivery(
      JsonGenerator g, Ctx c, String eventType, boolean management, boolean late)
      throws IOException {
    g.writeStringField("eventType", eventType);
    g.writeBooleanField("managementEvent", management);
    g.writeStringField("recipientAccountId", c.account);
    if (late) {
      g.writeObjectFieldStart("addendum");
      g.writeStringField("reason", "DELIVERY_DELAY");
      g.writeEndObject();
    }
    g.writeStringField("eventCategory", management ? "Management" : "Data");
  }

  // ----------------------------------------------------------------------------- identity

  private void writeUserIdentity(JsonGenerator g, Ctx c) throws IOException {
    Principal p = c.principal;
    g.writeObjectFieldStart("userIdentity");
    switch (p.type()) {
      case AWS_SERVICE -> {
        g.writeStringField("type", "AWSService");
        g.writeStringField("invokedBy", p.invokedBy());
      }
      case IAM_USER -> {
        g.writeStringField("type", "IAMUser");
        g.writeStringField("principalId", stableId("AIDA", c.account + p.name()));
        g.writeStringField("arn", "arn:aws:iam::" + c.account + ":user/" + p.name());
        g.writeStringField("accountId", c.account);
        g.writeStringField(
            "accessKeyId", c.console ? "ASIA" + upper(16) : stableId("AKIA", c.account + p.name()));
        g.writeStringField("userName", p.name());
        if (c.console) {
          g.writeObjectFieldStart("sessionContext");
          g.writeObjectFieldStart("attributes");
          g.writeStringField("creationDate", sessionStart(c));
          g.writeStringField("mfaAuthenticated", "true");
          g.writeEndObject();
          g.writeEndObject();
        }
        if (p.invokedBy() != null) {
          g.writeStringField("invokedBy", p.invokedBy());
        }
      }
      default -> {
        String role = roleName(p);
        String roleId = stableId("AROA", c.account + role);
        String session = p.session();
        g.writeStringField("type", "AssumedRole");
        g.writeStringField("principalId", roleId + ":" + session);
        g.writeStringField(
            "arn", "arn:aws:sts::" + c.account + ":assumed-role/" + role + "/" + session);
        g.writeStringField("accountId", c.account);
        g.writeStringField("accessKeyId", "ASIA" + upper(16));
        g.writeObjectFieldStart("sessionContext");
        g.writeObjectFieldStart("sessionIssuer");
        g.writeStringField("type", "Role");
        g.writeStringField("principalId", roleId);
        g.writeStringField("arn", "arn:aws:iam::" + c.account + ":role/" + rolePath(p) + role);
        g.writeStringField("accountId", c.account);
        g.writeStringField("userName", role);
        g.writeEndObject();
        g.writeObjectFieldStart("attributes");
        g.writeStringField("creationDate", sessionStart(c));
        g.writeStringField("mfaAuthenticated", "false");
        g.writeEndObject();
        if (p.type() == IdType.WORKLOAD_ROLE && session.startsWith("i-")) {
          g.writeStringField("ec2RoleDelivery", "2.0");
        }
        g.writeEndObject();
        if (p.invokedBy() != null) {
          g.writeStringField("invokedBy", p.invokedBy());
        }
      }
    }
    g.writeEndObject();
  }

  private static String roleName(Principal p) {
    return switch (p.type()) {
      case SSO_ADMIN -> Catalog.SSO_ADMIN_ROLE;
      case SSO_READONLY -> Catalog.SSO_READONLY_ROLE;
      default -> p.name();
    };
  }

  private static String rolePath(Principal p) {
    return switch (p.type()) {
      case SSO_ADMIN, SSO_READONLY -> "aws-reserved/sso.amazonaws.com/";
      case SERVICE_LINKED_ROLE -> "aws-service-role/" + p.invokedBy() + "/";
      default -> "";
    };
  }

  private String principalArn(Ctx c) {
    Principal p = c.principal;
    return switch (p.type()) {
      case IAM_USER -> "arn:aws:iam::" + c.account + ":user/" + p.name();
      case AWS_SERVICE -> p.invokedBy();
      default -> "arn:aws:sts::" + c.account + ":assumed-role/" + roleName(p) + "/" + p.session();
    };
  }

  private String sessionStart(Ctx c) {
    return Instant.ofEpochSecond(c.time - rng.nextInt(3600)).toString();
  }

  private String sourceIp(Ctx c) {
    Principal p = c.principal;
    if (p.invokedBy() != null) {
      return p.invokedBy();
    }
    return switch (p.type()) {
      case WORKLOAD_ROLE ->
          "34.2" + (40 + rng.nextInt(10)) + "." + rng.nextInt(256) + "." + rng.nextInt(256);
      case IAM_USER, SSO_ADMIN, SSO_READONLY ->
          p.name().equals(Catalog.MONITORING_USER.id())
              ? "3.233.148." + rng.nextInt(256)
              : personIp(p.name());
      default -> "AWS Internal";
    };
  }

  /** A person works from one of two addresses (office and home). */
  private String personIp(String person) {
    int h = Math.floorMod(person.hashCode(), 200);
    return rng.nextDouble() < 0.7
        ? "203.0.113." + (10 + h % 200)
        : "198.51.100." + (10 + (h * 7) % 200);
  }

  private String userAgent(Ctx c) {
    Principal p = c.principal;
    if (p.invokedBy() != null) {
      return p.invokedBy();
    }
    if (p.type() == IdType.WORKLOAD_ROLE || p.name().equals(Catalog.MONITORING_USER.id())) {
      return Catalog.pick(SDK_AGENTS, rng);
    }
    if (c.console) {
      return "AWS Internal";
    }
    String api = c.action.service() + "." + kebab(c.action.name());
    return rng.nextDouble() < 0.6
        ? Catalog.pick(CLI_AGENTS, rng) + api
        : TERRAFORM_AGENT + c.action.service() + "#1.250.0";
  }

  private static String kebab(String name) {
    String bare = name.replaceAll("\\d{8}(v\\d)?$", "");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < bare.length(); i++) {
      char ch = bare.charAt(i);
      if (Character.isUpperCase(ch) && i > 0) {
        sb.append('-');
      }
      sb.append(Character.toLowerCase(ch));
    }
    return sb.toString();
  }

  private String host(Ctx c) {
    String service = c.action.service();
    if (service.equals("iam") || service.equals("route53")) {
      return service + ".amazonaws.com";
    }
    if (service.equals("s3")) {
      return bucket(c, 0) + ".s3." + c.region + ".amazonaws.com";
    }
    return service + "." + c.region + ".amazonaws.com";
  }

  // ----------------------------------------------------------------------------- parameters

  private void writeResources(JsonGenerator g, Ctx c) throws IOException {
    String service = c.action.service();
    if (service.equals("s3") && !c.action.name().equals("ListBuckets")) {
      g.writeArrayFieldStart("resources");
      g.writeStartObject();
      g.writeStringField("accountId", c.account);
      g.writeStringField("type", "AWS::S3::Bucket");
      g.writeStringField("ARN", "arn:aws:s3:::" + bucket(c, 0));
      g.writeEndObject();
      g.writeEndArray();
    } else if (service.equals("kms")) {
      g.writeArrayFieldStart("resources");
      g.writeStartObject();
      g.writeStringField("accountId", c.account);
      g.writeStringField("type", "AWS::KMS::Key");
      g.writeStringField("ARN", kmsKeyArn(c));
      g.writeEndObject();
      g.writeEndArray();
    }
  }

  /** An S3 object-level data event: not a management event, so never a change. */
  private String writeDataEvent(JsonGenerator g, Ctx c, boolean late) throws IOException {
    boolean put = c.action.write();
    String bucket = bucket(c, 0);
    String key =
        "exports/"
            + LocalDateTime.ofEpochSecond(c.time, 0, ZoneOffset.UTC).toLocalDate()
            + "/part-"
            + String.format("%05d", rng.nextInt(2000))
            + ".parquet";
    String eventId = uuid();
    g.writeStartObject();
    g.writeStringField("eventVersion", "1.11");
    writeUserIdentity(g, c);
    g.writeStringField("eventTime", Instant.ofEpochSecond(c.time).toString());
    g.writeStringField("eventSource", "s3.amazonaws.com");
    g.writeStringField("eventName", c.action.name());
    g.writeStringField("awsRegion", c.region);
    g.writeStringField("sourceIPAddress", sourceIp(c));
    g.writeStringField("userAgent", c.console ? BROWSER_AGENT : Catalog.pick(SDK_AGENTS, rng));
    g.writeObjectFieldStart("requestParameters");
    g.writeStringField("bucketName", bucket);
    g.writeStringField("Host", bucket + ".s3." + c.region + ".amazonaws.com");
    g.writeStringField("key", key);
    g.writeEndObject();
    if (put) {
      g.writeObjectFieldStart("responseElements");
      g.writeStringField("x-amz-server-side-encryption", "aws:kms");
      g.writeStringField("x-amz-server-side-encryption-aws-kms-key-id", kmsKeyArn(c));
      g.writeEndObject();
    } else {
      g.writeNullField("responseElements");
    }
    g.writeObjectFieldStart("additionalEventData");
    g.writeStringField("SignatureVersion", "SigV4");
    g.writeStringField("CipherSuite", "TLS_AES_128_GCM_SHA256");
    g.writeNumberField("bytesTransferredIn", put ? 1024 + rng.nextInt(5_000_000) : 0);
    g.writeStringField("AuthenticationMethod", "AuthHeader");
    g.writeStringField("x-amz-id-2", upper(32) + "=");
    g.writeNumberField("bytesTransferredOut", put ? 0 : 1024 + rng.nextInt(5_000_000));
    g.writeEndObject();
    g.writeStringField("requestID", upper(16));
    g.writeStringField("eventID", eventId);
    g.writeBooleanField("readOnly", !put);
    g.writeArrayFieldStart("resources");
    g.writeStartObject();
    g.writeStringField("type", "AWS::S3::Object");
    g.writeStringField("ARN", "arn:aws:s3:::" + bucket + "/" + key);
    g.writeEndObject();
    g.writeStartObject();
    g.writeStringField("accountId", c.account);
    g.writeStringField("type", "AWS::S3::Bucket");
    g.writeStringField("ARN", "arn:aws:s3:::" + bucket);
    g.writeEndObject();
    g.writeEndArray();
    writeDelivery(g, c, "AwsApiCall", false, late);
    g.writeEndObject();
    return eventId;
  }

  private void writeParameters(JsonGenerator g, Ctx c, boolean respond) throws IOException {
    String name = c.action.name();
    g.writeFieldName("requestParameters");
    switch (name) {
      case "CreateSecurityGroup" -> {
        g.writeStartObject();
        g.writeStringField("groupName", c.prefix + "-" + word(c) + "-sg");
        g.writeStringField("groupDescription", "Managed by " + c.prefix + " platform team");
        g.writeStringField("vpcId", "vpc-0" + hex(16));
        g.writeEndObject();
      }
      case "AuthorizeSecurityGroupIngress",
          "RevokeSecurityGroupIngress",
          "AuthorizeSecurityGroupEgress" -> {
        g.writeStartObject();
        g.writeStringField("groupId", "sg-0" + hex(16));
        g.writeObjectFieldStart("ipPermissions");
        g.writeArrayFieldStart("items");
        g.writeStartObject();
        g.writeStringField("ipProtocol", "tcp");
        int port = Catalog.pick(List.of(443, 5432, 8443, 22, 6379), rng);
        g.writeNumberField("fromPort", port);
        g.writeNumberField("toPort", port);
        g.writeObjectFieldStart("groups");
        g.writeEndObject();
        g.writeObjectFieldStart("ipRanges");
        g.writeArrayFieldStart("items");
        g.writeStartObject();
        g.writeStringField("cidrIp", "10." + rng.nextInt(256) + ".0.0/16");
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeObjectFieldStart("ipv6Ranges");
        g.writeEndObject();
        g.writeObjectFieldStart("prefixListIds");
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
      }
      case "CreateTags" -> {
        g.writeStartObject();
        g.writeObjectFieldStart("resourcesSet");
        g.writeArrayFieldStart("items");
        g.writeStartObject();
        g.writeStringField("resourceId", "i-0" + hex(16));
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeObjectFieldStart("tagSet");
        g.writeArrayFieldStart("items");
        g.writeStartObject();
        g.writeStringField("key", "cost-center");
        g.writeStringField("value", c.prefix);
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
      }
      case "RunInstances" -> {
        g.writeStartObject();
        g.writeObjectFieldStart("instancesSet");
        g.writeArrayFieldStart("items");
        g.writeStartObject();
        g.writeStringField("imageId", "ami-0" + hex(16));
        g.writeNumberField("minCount", 1);
        g.writeNumberField("maxCount", 1);
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeStringField("instanceType", Catalog.pick(List.of("m7g.large", "c7g.xlarge"), rng));
        g.writeStringField("subnetId", "subnet-0" + hex(16));
        g.writeObjectFieldStart("monitoring");
        g.writeBooleanField("enabled", false);
        g.writeEndObject();
        g.writeBooleanField("disableApiTermination", false);
        g.writeObjectFieldStart("iamInstanceProfile");
        g.writeStringField("name", c.prefix + "-worker-profile");
        g.writeEndObject();
        g.writeEndObject();
      }
      case "StopInstances", "StartInstances", "TerminateInstances" -> {
        g.writeStartObject();
        g.writeObjectFieldStart("instancesSet");
        g.writeArrayFieldStart("items");
        g.writeStartObject();
        g.writeStringField("instanceId", "i-0" + hex(16));
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        if (name.equals("StopInstances")) {
          g.writeBooleanField("force", false);
        }
        g.writeEndObject();
      }
      case "ModifyInstanceAttribute" -> {
        g.writeStartObject();
        g.writeStringField("instanceId", "i-0" + hex(16));
        g.writeObjectFieldStart("instanceType");
        g.writeStringField("value", "m7g.xlarge");
        g.writeEndObject();
        g.writeEndObject();
      }
      case "CreateRole" -> {
        g.writeStartObject();
        g.writeStringField("roleName", role(c));
        g.writeStringField("description", "Created for " + c.prefix);
        g.writeStringField(
            "assumeRolePolicyDocument",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}");
        g.writeNumberField("maxSessionDuration", 3600);
        g.writeEndObject();
      }
      case "AttachRolePolicy", "DetachRolePolicy" -> {
        g.writeStartObject();
        g.writeStringField("roleName", role(c));
        g.writeStringField(
            "policyArn",
            Catalog.pick(
                List.of(
                    "arn:aws:iam::aws:policy/ReadOnlyAccess",
                    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
                    "arn:aws:iam::" + c.account + ":policy/" + c.prefix + "-deploy"),
                rng));
        g.writeEndObject();
      }
      case "PutRolePolicy", "UpdateAssumeRolePolicy" -> {
        g.writeStartObject();
        g.writeStringField("roleName", role(c));
        if (name.equals("PutRolePolicy")) {
          g.writeStringField("policyName", c.prefix + "-inline");
        }
        g.writeStringField(
            "policyDocument",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                + "[\"s3:GetObject\"],\"Resource\":\"arn:aws:s3:::"
                + bucket(c, 1)
                + "/*\"}]}");
        g.writeEndObject();
      }
      case "PutBucketPolicy",
          "PutBucketEncryption",
          "PutBucketVersioning",
          "PutBucketPublicAccessBlock",
          "GetBucketPolicy",
          "GetBucketAcl",
          "GetBucketLocation" -> {
        String bucket = bucket(c, 0);
        g.writeStartObject();
        g.writeStringField("bucketName", bucket);
        g.writeStringField("Host", bucket + ".s3." + c.region + ".amazonaws.com");
        switch (name) {
          case "PutBucketPolicy" -> {
            g.writeArrayFieldStart("policy");
            g.writeString("");
            g.writeEndArray();
            g.writeObjectFieldStart("bucketPolicy");
            g.writeStringField("Version", "2012-10-17");
            g.writeArrayFieldStart("Statement");
            g.writeStartObject();
            g.writeStringField("Sid", "DenyInsecureTransport");
            g.writeStringField("Effect", "Deny");
            g.writeStringField("Principal", "*");
            g.writeStringField("Action", "s3:*");
            g.writeArrayFieldStart("Resource");
            g.writeString("arn:aws:s3:::" + bucket);
            g.writeString("arn:aws:s3:::" + bucket + "/*");
            g.writeEndArray();
            g.writeObjectFieldStart("Condition");
            g.writeObjectFieldStart("Bool");
            g.writeStringField("aws:SecureTransport", "false");
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
          }
          case "PutBucketEncryption" -> {
            g.writeArrayFieldStart("encryption");
            g.writeString("");
            g.writeEndArray();
            g.writeObjectFieldStart("ServerSideEncryptionConfiguration");
            g.writeStringField("xmlns", "http://s3.amazonaws.com/doc/2006-03-01/");
            g.writeObjectFieldStart("Rule");
            g.writeObjectFieldStart("ApplyServerSideEncryptionByDefault");
            g.writeStringField("SSEAlgorithm", "aws:kms");
            g.writeStringField("KMSMasterKeyID", kmsKeyArn(c));
            g.writeEndObject();
            g.writeBooleanField("BucketKeyEnabled", true);
            g.writeEndObject();
            g.writeEndObject();
          }
          case "PutBucketVersioning" -> {
            g.writeArrayFieldStart("versioning");
            g.writeString("");
            g.writeEndArray();
            g.writeObjectFieldStart("VersioningConfiguration");
            g.writeStringField("xmlns", "http://s3.amazonaws.com/doc/2006-03-01/");
            g.writeStringField("Status", "Enabled");
            g.writeEndObject();
          }
          case "PutBucketPublicAccessBlock" -> {
            g.writeArrayFieldStart("publicAccessBlock");
            g.writeString("");
            g.writeEndArray();
            g.writeObjectFieldStart("PublicAccessBlockConfiguration");
            g.writeStringField("xmlns", "http://s3.amazonaws.com/doc/2006-03-01/");
            g.writeBooleanField("BlockPublicAcls", true);
            g.writeBooleanField("IgnorePublicAcls", true);
            g.writeBooleanField("BlockPublicPolicy", true);
            g.writeBooleanField("RestrictPublicBuckets", true);
            g.writeEndObject();
          }
          default -> {
            g.writeArrayFieldStart(
                name.equals("GetBucketPolicy")
                    ? "policy"
                    : name.equals("GetBucketAcl") ? "acl" : "location");
            g.writeString("");
            g.writeEndArray();
          }
        }
        g.writeEndObject();
      }
      case "UpdateFunctionCode20150331v2" -> {
        g.writeStartObject();
        g.writeStringField("functionName", function(c));
        g.writeStringField("s3Bucket", bucket(c, 3));
        g.writeStringField("s3Key", "lambda/" + function(c) + "-" + hex(8) + ".zip");
        g.writeBooleanField("publish", true);
        g.writeBooleanField("dryRun", false);
        g.writeEndObject();
      }
      case "UpdateFunctionConfiguration20150331v2" -> {
        g.writeStartObject();
        g.writeStringField("functionName", function(c));
        g.writeNumberField("memorySize", 1024);
        g.writeNumberField("timeout", 60);
        g.writeEndObject();
      }
      case "PublishVersion20150331" -> {
        g.writeStartObject();
        g.writeStringField("functionName", function(c));
        g.writeStringField("description", "release " + (1 + rng.nextInt(40)));
        g.writeEndObject();
      }
      case "UpdateAlias20150331" -> {
        g.writeStartObject();
        g.writeStringField("functionName", function(c));
        g.writeStringField("name", "live");
        g.writeStringField("functionVersion", Integer.toString(1 + rng.nextInt(200)));
        g.writeEndObject();
      }
      case "ModifyDBInstance" -> {
        g.writeStartObject();
        g.writeStringField("dBInstanceIdentifier", db(c));
        g.writeStringField("dBInstanceClass", "db.r6g.xlarge");
        g.writeBooleanField("applyImmediately", rng.nextBoolean());
        g.writeEndObject();
      }
      case "CreateDBSnapshot" -> {
        g.writeStartObject();
        g.writeStringField("dBSnapshotIdentifier", snapshot(c));
        g.writeStringField("dBInstanceIdentifier", db(c));
        g.writeEndObject();
      }
      case "RebootDBInstance", "DescribeDBInstances", "DescribeDBSnapshots" -> {
        g.writeStartObject();
        g.writeStringField("dBInstanceIdentifier", db(c));
        g.writeEndObject();
      }
      case "ModifyDBParameterGroup" -> {
        g.writeStartObject();
        g.writeStringField("dBParameterGroupName", c.prefix + "-pg16");
        g.writeArrayFieldStart("parameters");
        g.writeStartObject();
        g.writeStringField("parameterName", "max_connections");
        g.writeStringField("parameterValue", "800");
        g.writeStringField("applyMethod", "pending-reboot");
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
      }
      case "ChangeResourceRecordSets" -> {
        g.writeStartObject();
        g.writeStringField("hostedZoneId", stableId("Z", c.prefix));
        g.writeObjectFieldStart("changeBatch");
        g.writeArrayFieldStart("changes");
        g.writeStartObject();
        g.writeStringField("action", "UPSERT");
        g.writeObjectFieldStart("resourceRecordSet");
        g.writeStringField("name", "api." + c.prefix + ".example.com");
        g.writeStringField("type", "CNAME");
        g.writeNumberField("tTL", 60);
        g.writeArrayFieldStart("resourceRecords");
        g.writeStartObject();
        g.writeStringField("value", c.prefix + "-alb-" + hex(8) + ".eu-west-1.elb.amazonaws.com");
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
      }
      case "PutParameter" -> {
        g.writeStartObject();
        g.writeStringField("name", "/" + c.prefix + "/feature/" + word(c));
        g.writeStringField("type", "String");
        g.writeBooleanField("overwrite", true);
        g.writeStringField("value", rng.nextBoolean() ? "enabled" : "disabled");
        g.writeEndObject();
      }
      case "CreateAlias" -> {
        g.writeStartObject();
        g.writeStringField("aliasName", "alias/" + c.prefix + "-" + word(c));
        g.writeStringField("targetKeyId", kmsKeyArn(c));
        g.writeEndObject();
      }
      case "PutRetentionPolicy", "DescribeLogGroups" -> {
        g.writeStartObject();
        String group = "/aws/lambda/" + function(c);
        if (name.equals("PutRetentionPolicy")) {
          g.writeStringField("logGroupName", group);
          g.writeNumberField("retentionInDays", 400);
        } else {
          g.writeStringField("logGroupNamePrefix", group);
        }
        g.writeEndObject();
      }
      case "PutSecretValue", "GetSecretValue", "DescribeSecret" -> {
        g.writeStartObject();
        g.writeStringField("secretId", c.prefix + "/" + word(c) + "/api-key");
        if (name.equals("PutSecretValue")) {
          g.writeStringField("clientRequestToken", uuid());
        }
        g.writeEndObject();
      }
      case "DescribeInstances", "DescribeSecurityGroups", "DescribeVpcs", "DescribeSubnets" -> {
        g.writeStartObject();
        String set =
            switch (name) {
              case "DescribeInstances" -> "instancesSet";
              case "DescribeSecurityGroups" -> "securityGroupSet";
              case "DescribeVpcs" -> "vpcSet";
              default -> "subnetSet";
            };
        g.writeObjectFieldStart(set);
        g.writeEndObject();
        g.writeObjectFieldStart("filterSet");
        g.writeEndObject();
        g.writeEndObject();
      }
      case "DescribeVolumes" -> {
        g.writeStartObject();
        g.writeObjectFieldStart("volumeSet");
        g.writeEndObject();
        g.writeObjectFieldStart("filterSet");
        g.writeEndObject();
        g.writeNumberField("maxResults", 500);
        g.writeEndObject();
      }
      case "ListBuckets" -> {
        g.writeStartObject();
        g.writeStringField("Host", "s3." + c.region + ".amazonaws.com");
        g.writeEndObject();
      }
      case "GetRole", "ListAttachedRolePolicies" -> {
        g.writeStartObject();
        g.writeStringField("roleName", role(c));
        g.writeEndObject();
      }
      case "GetPolicyVersion" -> {
        g.writeStartObject();
        g.writeStringField(
            "policyArn", "arn:aws:iam::" + c.account + ":policy/" + c.prefix + "-deploy");
        g.writeStringField("versionId", "v" + (1 + rng.nextInt(5)));
        g.writeEndObject();
      }
      case "GetFunction20150331v2" -> {
        g.writeStartObject();
        g.writeStringField("functionName", function(c));
        g.writeEndObject();
      }
      case "GetMetricData" -> {
        g.writeStartObject();
        g.writeStringField("startTime", Instant.ofEpochSecond(c.time - 3600).toString());
        g.writeStringField("endTime", Instant.ofEpochSecond(c.time).toString());
        g.writeArrayFieldStart("metricDataQueries");
        g.writeStartObject();
        g.writeStringField("id", "m1");
        g.writeObjectFieldStart("metricStat");
        g.writeObjectFieldStart("metric");
        g.writeStringField("namespace", "AWS/ApplicationELB");
        g.writeStringField("metricName", "RequestCount");
        g.writeEndObject();
        g.writeNumberField("period", 60);
        g.writeStringField("stat", "Sum");
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
      }
      case "DescribeAlarms" -> {
        g.writeStartObject();
        g.writeNumberField("maxRecords", 100);
        g.writeEndObject();
      }
      case "Decrypt", "GenerateDataKey" -> {
        g.writeStartObject();
        if (name.equals("GenerateDataKey")) {
          g.writeStringField("keyId", kmsKeyArn(c));
          g.writeStringField("keySpec", "AES_256");
        } else {
          g.writeStringField("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
        }
        g.writeObjectFieldStart("encryptionContext");
        g.writeStringField("aws:s3:arn", "arn:aws:s3:::" + bucket(c, 0));
        g.writeEndObject();
        g.writeEndObject();
      }
      case "GetParameter", "GetParametersByPath" -> {
        g.writeStartObject();
        if (name.equals("GetParameter")) {
          g.writeStringField("name", "/" + c.prefix + "/feature/" + word(c));
        } else {
          g.writeStringField("path", "/" + c.prefix + "/");
          g.writeBooleanField("recursive", true);
        }
        g.writeBooleanField("withDecryption", true);
        g.writeEndObject();
      }
      case "LookupEvents" -> {
        g.writeStartObject();
        g.writeNumberField("maxResults", 50);
        g.writeArrayFieldStart("lookupAttributes");
        g.writeStartObject();
        g.writeStringField("attributeKey", "ReadOnly");
        g.writeStringField("attributeValue", "false");
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
      }
      case "DescribeTable" -> {
        g.writeStartObject();
        g.writeStringField("tableName", c.prefix + "-" + word(c));
        g.writeEndObject();
      }
      case "DescribeServices", "ListTasks" -> {
        g.writeStartObject();
        g.writeStringField("cluster", c.prefix + "-cluster");
        if (name.equals("ListTasks")) {
          g.writeStringField("serviceName", c.prefix + "-api");
        } else {
          g.writeArrayFieldStart("services");
          g.writeString(c.prefix + "-api");
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      default -> g.writeNull();
    }
    if (respond) {
      writeResponse(g, c);
    } else {
      g.writeNullField("responseElements");
    }
  }

  private void writeResponse(JsonGenerator g, Ctx c) throws IOException {
    String name = c.action.name();
    g.writeFieldName("responseElements");
    switch (name) {
      case "CreateSecurityGroup" -> {
        g.writeStartObject();
        g.writeStringField("requestId", uuid());
        g.writeBooleanField("_return", true);
        g.writeStringField("groupId", "sg-0" + hex(16));
        g.writeEndObject();
      }
      case "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress" -> {
        g.writeStartObject();
        g.writeStringField("requestId", uuid());
        g.writeBooleanField("_return", true);
        g.writeObjectFieldStart("securityGroupRuleSet");
        g.writeArrayFieldStart("items");
        g.writeStartObject();
        g.writeStringField("groupOwnerId", c.account);
        g.writeStringField("securityGroupRuleId", "sgr-0" + hex(16));
        g.writeBooleanField("isEgress", name.endsWith("Egress"));
        g.writeStringField("ipProtocol", "tcp");
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
      }
      case "RevokeSecurityGroupIngress", "CreateTags", "ModifyInstanceAttribute" -> {
        g.writeStartObject();
        g.writeStringField("requestId", uuid());
        g.writeBooleanField("_return", true);
        g.writeEndObject();
      }
      case "RunInstances" -> {
        g.writeStartObject();
        g.writeStringField("requestId", uuid());
        g.writeStringField("reservationId", "r-0" + hex(16));
        g.writeStringField("ownerId", c.account);
        g.writeObjectFieldStart("instancesSet");
        g.writeArrayFieldStart("items");
        g.writeStartObject();
        g.writeStringField("instanceId", "i-0" + hex(16));
        g.writeObjectFieldStart("instanceState");
        g.writeNumberField("code", 0);
        g.writeStringField("name", "pending");
        g.writeEndObject();
        g.writeNumberField("launchTime", c.time * 1000);
        g.writeObjectFieldStart("placement");
        g.writeStringField(
            "availabilityZone", c.region + Catalog.pick(List.of("a", "b", "c"), rng));
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
      }
      case "StopInstances", "StartInstances", "TerminateInstances" -> {
        int[] states =
            switch (name) {
              case "StopInstances" -> new int[] {64, 16};
              case "StartInstances" -> new int[] {0, 80};
              default -> new int[] {32, 16};
            };
        g.writeStartObject();
        g.writeStringField("requestId", uuid());
        g.writeObjectFieldStart("instancesSet");
        g.writeArrayFieldStart("items");
        g.writeStartObject();
        g.writeStringField("instanceId", "i-0" + hex(16));
        g.writeObjectFieldStart("currentState");
        g.writeNumberField("code", states[0]);
        g.writeStringField("name", stateName(states[0]));
        g.writeEndObject();
        g.writeObjectFieldStart("previousState");
        g.writeNumberField("code", states[1]);
        g.writeStringField("name", stateName(states[1]));
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
      }
      case "CreateRole" -> {
        String role = role(c);
        g.writeStartObject();
        g.writeObjectFieldStart("role");
        g.writeStringField("path", "/");
        g.writeStringField("roleName", role);
        g.writeStringField("roleId", "AROA" + upper(17));
        g.writeStringField("arn", "arn:aws:iam::" + c.account + ":role/" + role);
        g.writeStringField(
            "createDate", IAM_DATE.format(LocalDateTime.ofEpochSecond(c.time, 0, ZoneOffset.UTC)));
        g.writeEndObject();
        g.writeEndObject();
      }
      case "UpdateFunctionCode20150331v2",
          "UpdateFunctionConfiguration20150331v2",
          "PublishVersion20150331" -> {
        String function = function(c);
        g.writeStartObject();
        g.writeStringField("functionName", function);
        g.writeStringField(
            "functionArn",
            "arn:aws:lambda:" + c.region + ":" + c.account + ":function:" + function);
        g.writeStringField("runtime", "java21");
        g.writeStringField("role", "arn:aws:iam::" + c.account + ":role/" + function + "-exec");
        g.writeStringField("handler", "com.example.Handler::handleRequest");
        g.writeNumberField("codeSize", 10_000_000 + rng.nextInt(20_000_000));
        g.writeNumberField("timeout", 60);
        g.writeNumberField("memorySize", 1024);
        g.writeStringField(
            "lastModified", Instant.ofEpochSecond(c.time).toString().replace("Z", ".000+0000"));
        g.writeStringField("codeSha256", upper(43) + "=");
        g.writeStringField(
            "version",
            name.startsWith("Publish") ? Integer.toString(1 + rng.nextInt(200)) : "$LATEST");
        g.writeStringField("state", "Active");
        g.writeStringField("lastUpdateStatus", "InProgress");
        g.writeEndObject();
      }
      case "UpdateAlias20150331" -> {
        String function = function(c);
        g.writeStartObject();
        g.writeStringField(
            "aliasArn",
            "arn:aws:lambda:" + c.region + ":" + c.account + ":function:" + function + ":live");
        g.writeStringField("name", "live");
        g.writeStringField("functionVersion", Integer.toString(1 + rng.nextInt(200)));
        g.writeStringField("revisionId", uuid());
        g.writeEndObject();
      }
      case "ModifyDBInstance", "RebootDBInstance" -> {
        String db = db(c);
        g.writeStartObject();
        g.writeStringField("dBInstanceIdentifier", db);
        g.writeStringField("dBInstanceClass", "db.r6g.large");
        g.writeStringField("engine", "postgres");
        g.writeStringField(
            "dBInstanceStatus", name.startsWith("Reboot") ? "rebooting" : "available");
        if (name.startsWith("Modify")) {
          g.writeObjectFieldStart("pendingModifiedValues");
          g.writeStringField("dBInstanceClass", "db.r6g.xlarge");
          g.writeEndObject();
        }
        g.writeStringField(
            "dBInstanceArn", "arn:aws:rds:" + c.region + ":" + c.account + ":db:" + db);
        g.writeEndObject();
      }
      case "CreateDBSnapshot" -> {
        String db = db(c);
        String snapshot = snapshot(c);
        g.writeStartObject();
        g.writeStringField("dBSnapshotIdentifier", snapshot);
        g.writeStringField("dBInstanceIdentifier", db);
        g.writeStringField("status", "creating");
        g.writeStringField("engine", "postgres");
        g.writeStringField(
            "dBSnapshotArn", "arn:aws:rds:" + c.region + ":" + c.account + ":snapshot:" + snapshot);
        g.writeEndObject();
      }
      case "ModifyDBParameterGroup" -> {
        g.writeStartObject();
        g.writeStringField("dBParameterGroupName", c.prefix + "-pg16");
        g.writeEndObject();
      }
      case "ChangeResourceRecordSets" -> {
        g.writeStartObject();
        g.writeObjectFieldStart("changeInfo");
        g.writeStringField("id", "/change/C" + upper(20));
        g.writeStringField("status", "PENDING");
        g.writeStringField(
            "submittedAt", IAM_DATE.format(LocalDateTime.ofEpochSecond(c.time, 0, ZoneOffset.UTC)));
        g.writeEndObject();
        g.writeEndObject();
      }
      case "PutParameter" -> {
        g.writeStartObject();
        g.writeNumberField("version", 2 + rng.nextInt(50));
        g.writeStringField("tier", "Standard");
        g.writeEndObject();
      }
      case "PutSecretValue" -> {
        String secret = c.prefix + "/" + word(c) + "/api-key";
        g.writeStartObject();
        g.writeStringField(
            "arn",
            "arn:aws:secretsmanager:"
                + c.region
                + ":"
                + c.account
                + ":secret:"
                + secret
                + "-"
                + upper(6));
        g.writeStringField("name", secret);
        g.writeStringField("versionId", uuid());
        g.writeArrayFieldStart("versionStages");
        g.writeString("AWSCURRENT");
        g.writeEndArray();
        g.writeEndObject();
      }
      default -> g.writeNull();
    }
  }

  private static String stateName(int code) {
    return switch (code) {
      case 0 -> "pending";
      case 16 -> "running";
      case 32 -> "shutting-down";
      case 64 -> "stopping";
      case 80 -> "stopped";
      default -> "unknown";
    };
  }

  // ----------------------------------------------------------------------------- names

  private String bucket(Ctx c, int variant) {
    String[] kinds = {"exports", "assets", "logs", "artefacts"};
    String kind = variant == 0 ? kinds[Math.floorMod((int) (c.time / 7), 3)] : kinds[variant];
    return c.prefix + "-" + kind + "-" + c.account + "-" + c.region;
  }

  private String function(Ctx c) {
    if (c.function == null) {
      c.function =
          c.prefix + "-" + Catalog.pick(List.of("api", "worker", "webhook", "reconciler"), rng);
    }
    return c.function;
  }

  private String role(Ctx c) {
    if (c.role == null) {
      c.role =
          c.prefix
              + "-"
              + Catalog.pick(List.of("deploy", "auditors", "etl", "cross-account"), rng)
              + "-role";
    }
    return c.role;
  }

  private String db(Ctx c) {
    if (c.db == null) {
      c.db = c.prefix + "-" + Catalog.pick(List.of("primary", "replica", "analytics"), rng);
    }
    return c.db;
  }

  private String snapshot(Ctx c) {
    if (c.snapshot == null) {
      c.snapshot = db(c) + "-pre-change-" + hex(6);
    }
    return c.snapshot;
  }

  private String word(Ctx c) {
    if (c.word == null) {
      c.word =
          Catalog.pick(
              List.of("checkout", "ledger", "reports", "ingest", "billing", "search"), rng);
    }
    return c.word;
  }

  private String kmsKeyArn(Ctx c) {
    return "arn:aws:kms:"
        + c.region
        + ":"
        + c.account
        + ":key/"
        + UUID.nameUUIDFromBytes(
            (c.account + c.region + c.prefix).getBytes(StandardCharsets.UTF_8));
  }

  /** A random version 4 UUID drawn from the seeded source. */
  String uuid() {
    long msb = (rng.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long lsb = (rng.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  private String hex(int n) {
    char[] out = new char[n];
    for (int i = 0; i < n; i++) {
      out[i] = HEX.charAt(rng.nextInt(16));
    }
    return new String(out);
  }

  private String upper(int n) {
    char[] out = new char[n];
    for (int i = 0; i < n; i++) {
      out[i] = ALNUM_UPPER.charAt(rng.nextInt(ALNUM_UPPER.length()));
    }
    return new String(out);
  }

  /** An identifier that is the same for the same seed text in every run (role and user ids). */
  private String stableId(String prefix, String seedText) {
    return stable.computeIfAbsent(
        prefix + seedText,
        k -> {
          SplittableRandom r = new SplittableRandom(k.hashCode());
          StringBuilder sb = new StringBuilder(prefix);
          while (sb.length() < 21) {
            sb.append(ALNUM_UPPER.charAt(r.nextInt(ALNUM_UPPER.length())));
          }
          return sb.toString();
        });
  }
}

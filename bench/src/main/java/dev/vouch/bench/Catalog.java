package dev.vouch.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The fixed cast of the generated organisation: accounts and their logical systems, regions,
 * people, workloads and the API actions they call. Nothing here is random; the generator draws from
 * these lists with its seeded random source.
 */
final class Catalog {

  static final String ORG_ID = "o-bench12345";

  /** One AWS account of the organisation and the logical system Vouch maps it to. */
  record Account(String id, String system, String prefix, double weight) {}

  static final List<Account> ACCOUNTS =
      List.of(
          new Account("111111111111", "payments-prod", "payments", 0.45),
          new Account("222222222222", "data-prod", "data", 0.40),
          new Account("333333333333", "sandbox", "sandbox", 0.15));

  static final int PAYMENTS = 0;
  static final int DATA = 1;
  static final int SANDBOX = 2;

  static final List<String> REGIONS = List.of("eu-west-1", "us-east-1");
  static final double[] REGION_WEIGHTS = {0.65, 0.35};

  /** IAM, Route 53 and the other global services log as us-east-1. */
  static final int GLOBAL_REGION = 1;

  static final String SSO_ADMIN_ROLE = "AWSReservedSSO_Admin_0123456789abcdef";
  static final String SSO_READONLY_ROLE = "AWSReservedSSO_ReadOnly_fedcba9876543210";

  /** A person (or a named IAM user that is no person) who acts in the accounts. */
  record Person(String id, boolean iamUser, boolean known, boolean approver, List<Integer> teams)
      implements ChangePlanning.HasId {

    /** The IAM Identity Center session name CloudTrail shows for this person. */
    String ssoSession() {
      return id + "@example.com";
    }

    boolean memberOf(int account) {
      return teams.contains(account);
    }
  }

  private static final List<String> NAMES =
      List.of(
          "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
          "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter",
          "wendy", "yolanda", "zoe", "aaron", "bianca", "chen", "dmitri", "elena", "farah",
          "gustavo", "hana", "igor", "jamal", "kenji", "lucia", "marek", "nadia", "omar", "priya",
          "quentin", "rosa", "sanjay", "tomas", "ursula", "vikram", "wei", "ximena", "yusuf",
          "zara", "anders", "beatriz", "connor", "deepa", "emeka", "fiona", "goran", "helga",
          "ines", "jonas", "kofi", "leila", "mateo", "noor", "oskar", "paula");

  /** People who sign in as IAM users rather than through IAM Identity Center. */
  private static final Set<String> IAM_USER_PEOPLE = Set.of("frank", "quentin", "goran");

  /** Implementers of payments-prod only, data-prod only, both, and approvers (no implementer). */
  private static final int PAYMENTS_TEAM = 26;

  private static final int DATA_TEAM = 26;
  private static final int CROSS_TEAM = 6;

  static final List<Person> PEOPLE;
  static final List<Person> PAYMENTS_IMPLEMENTERS;
  static final List<Person> DATA_IMPLEMENTERS;
  static final List<Person> CROSS_IMPLEMENTERS;
  static final List<Person> APPROVERS;

  /** An IAM user nobody mapped to a person: its changes cannot be covered by any record. */
  static final Person LEGACY_ADMIN = new Person("legacy-admin", true, false, false, List.of());

  /** A monitoring integration's IAM user: reads only. */
  static final Person MONITORING_USER =
      new Person("datadog-integration", true, false, false, List.of());

  static {
    List<Person> people = new ArrayList<>();
    List<Person> payments = new ArrayList<>();
    List<Person> data = new ArrayList<>();
    List<Person> cross = new ArrayList<>();
    List<Person> approvers = new ArrayList<>();
    for (int i = 0; i < NAMES.size(); i++) {
      String name = NAMES.get(i);
      boolean iam = IAM_USER_PEOPLE.contains(name);
      Person p;
      if (i < PAYMENTS_TEAM) {
        p = new Person(name, iam, true, false, List.of(PAYMENTS, SANDBOX));
        payments.add(p);
      } else if (i < PAYMENTS_TEAM + DATA_TEAM) {
        p = new Person(name, iam, true, false, List.of(DATA, SANDBOX));
        data.add(p);
      } else if (i < PAYMENTS_TEAM + DATA_TEAM + CROSS_TEAM) {
        p = new Person(name, iam, true, false, List.of(PAYMENTS, DATA, SANDBOX));
        cross.add(p);
      } else {
        p = new Person(name, iam, true, true, List.of(PAYMENTS, DATA));
        approvers.add(p);
      }
      people.add(p);
    }
    PEOPLE = Collections.unmodifiableList(people);
    PAYMENTS_IMPLEMENTERS = Collections.unmodifiableList(payments);
    DATA_IMPLEMENTERS = Collections.unmodifiableList(data);
    CROSS_IMPLEMENTERS = Collections.unmodifiableList(cross);
    APPROVERS = Collections.unmodifiableList(approvers);
  }

  /** Everyone who may implement changes on the given account's system. */
  static List<Person> implementersOf(int account) {
    List<Person> result = new ArrayList<>();
    for (Person p : PEOPLE) {
      if (!p.approver() && p.memberOf(account)) {
        result.add(p);
      }
    }
    return result;
  }

  /** A workload role that reads (and writes data) in an account, never a person. */
  static final List<List<String>> WORKLOAD_ROLES =
      List.of(
          List.of("payments-api-task", "ledger-worker", "checkout-lambda", "fraud-scorer"),
          List.of("etl-glue-job", "airflow-worker", "warehouse-loader", "dbt-runner"),
          List.of("sandbox-dev-instance", "sandbox-ci-runner"));

  /** What a change touches; a change record implements one theme. */
  enum Theme {
    NETWORK,
    COMPUTE,
    IAM,
    STORAGE,
    FUNCTIONS,
    DATABASE,
    DNS,
    CONFIG
  }

  /** One CloudTrail API action. */
  record Action(String source, String name, boolean write, boolean global, Theme theme) {

    /** Whether Vouch can infer read-only from the name when the readOnly field is absent. */
    boolean readOnlyInferable() {
      return !write
          && (name.startsWith("Describe") || name.startsWith("Get") || name.startsWith("List"));
    }

    String service() {
      return source.substring(0, source.indexOf('.'));
    }
  }

  private static Action w(String source, String name, Theme theme) {
    return new Action(source, name, true, isGlobal(source), theme);
  }

  private static Action r(String source, String name, Theme theme) {
    return new Action(source, name, false, isGlobal(source), theme);
  }

  private static boolean isGlobal(String source) {
    return source.equals("iam.amazonaws.com") || source.equals("route53.amazonaws.com");
  }

  static final List<Action> WRITE_ACTIONS =
      List.of(
          w("ec2.amazonaws.com", "CreateSecurityGroup", Theme.NETWORK),
          w("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", Theme.NETWORK),
          w("ec2.amazonaws.com", "RevokeSecurityGroupIngress", Theme.NETWORK),
          w("ec2.amazonaws.com", "AuthorizeSecurityGroupEgress", Theme.NETWORK),
          w("ec2.amazonaws.com", "CreateTags", Theme.NETWORK),
          w("ec2.amazonaws.com", "RunInstances", Theme.COMPUTE),
          w("ec2.amazonaws.com", "StopInstances", Theme.COMPUTE),
          w("ec2.amazonaws.com", "StartInstances", Theme.COMPUTE),
          w("ec2.amazonaws.com", "TerminateInstances", Theme.COMPUTE),
          w("ec2.amazonaws.com", "ModifyInstanceAttribute", Theme.COMPUTE),
          w("iam.amazonaws.com", "CreateRole", Theme.IAM),
          w("iam.amazonaws.com", "AttachRolePolicy", Theme.IAM),
          w("iam.amazonaws.com", "PutRolePolicy", Theme.IAM),
          w("iam.amazonaws.com", "UpdateAssumeRolePolicy", Theme.IAM),
          w("iam.amazonaws.com", "DetachRolePolicy", Theme.IAM),
          w("s3.amazonaws.com", "PutBucketPolicy", Theme.STORAGE),
          w("s3.amazonaws.com", "PutBucketEncryption", Theme.STORAGE),
          w("s3.amazonaws.com", "PutBucketVersioning", Theme.STORAGE),
          w("s3.amazonaws.com", "PutBucketPublicAccessBlock", Theme.STORAGE),
          w("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", Theme.FUNCTIONS),
          w("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", Theme.FUNCTIONS),
          w("lambda.amazonaws.com", "PublishVersion20150331", Theme.FUNCTIONS),
          w("lambda.amazonaws.com", "UpdateAlias20150331", Theme.FUNCTIONS),
          w("rds.amazonaws.com", "ModifyDBInstance", Theme.DATABASE),
          w("rds.amazonaws.com", "CreateDBSnapshot", Theme.DATABASE),
          w("rds.amazonaws.com", "RebootDBInstance", Theme.DATABASE),
          w("rds.amazonaws.com", "ModifyDBParameterGroup", Theme.DATABASE),
          w("route53.amazonaws.com", "ChangeResourceRecordSets", Theme.DNS),
          w("ssm.amazonaws.com", "PutParameter", Theme.CONFIG),
          w("kms.amazonaws.com", "CreateAlias", Theme.CONFIG),
          w("logs.amazonaws.com", "PutRetentionPolicy", Theme.CONFIG),
          w("secretsmanager.amazonaws.com", "PutSecretValue", Theme.CONFIG));

  /**
   * Read-only calls. Those whose name does not start with Describe/Get/List always carry {@code
   * "readOnly": true}; the others sometimes omit it.
   */
  static final List<Action> READ_ACTIONS =
      List.of(
          r("ec2.amazonaws.com", "DescribeInstances", Theme.COMPUTE),
          r("ec2.amazonaws.com", "DescribeSecurityGroups", Theme.NETWORK),
          r("ec2.amazonaws.com", "DescribeVpcs", Theme.NETWORK),
          r("ec2.amazonaws.com", "DescribeSubnets", Theme.NETWORK),
          r("ec2.amazonaws.com", "DescribeVolumes", Theme.COMPUTE),
          r("s3.amazonaws.com", "GetBucketPolicy", Theme.STORAGE),
          r("s3.amazonaws.com", "GetBucketAcl", Theme.STORAGE),
          r("s3.amazonaws.com", "GetBucketLocation", Theme.STORAGE),
          r("s3.amazonaws.com", "ListBuckets", Theme.STORAGE),
          r("iam.amazonaws.com", "GetRole", Theme.IAM),
          r("iam.amazonaws.com", "ListRoles", Theme.IAM),
          r("iam.amazonaws.com", "ListAttachedRolePolicies", Theme.IAM),
          r("iam.amazonaws.com", "GetPolicyVersion", Theme.IAM),
          r("lambda.amazonaws.com", "GetFunction20150331v2", Theme.FUNCTIONS),
          r("lambda.amazonaws.com", "ListFunctions20150331", Theme.FUNCTIONS),
          r("rds.amazonaws.com", "DescribeDBInstances", Theme.DATABASE),
          r("rds.amazonaws.com", "DescribeDBSnapshots", Theme.DATABASE),
          r("monitoring.amazonaws.com", "GetMetricData", Theme.CONFIG),
          r("monitoring.amazonaws.com", "DescribeAlarms", Theme.CONFIG),
          r("sts.amazonaws.com", "GetCallerIdentity", Theme.IAM),
          r("kms.amazonaws.com", "Decrypt", Theme.CONFIG),
          r("kms.amazonaws.com", "GenerateDataKey", Theme.CONFIG),
          r("ssm.amazonaws.com", "GetParameter", Theme.CONFIG),
          r("ssm.amazonaws.com", "GetParametersByPath", Theme.CONFIG),
          r("secretsmanager.amazonaws.com", "GetSecretValue", Theme.CONFIG),
          r("secretsmanager.amazonaws.com", "DescribeSecret", Theme.CONFIG),
          r("logs.amazonaws.com", "DescribeLogGroups", Theme.CONFIG),
          r("cloudtrail.amazonaws.com", "LookupEvents", Theme.CONFIG),
          r("dynamodb.amazonaws.com", "DescribeTable", Theme.DATABASE),
          r("ecs.amazonaws.com", "DescribeServices", Theme.COMPUTE),
          r("ecs.amazonaws.com", "ListTasks", Theme.COMPUTE),
          r("route53.amazonaws.com", "ListHostedZones", Theme.DNS));

  static final Action CONSOLE_LOGIN =
      new Action("signin.amazonaws.com", "ConsoleLogin", false, false, Theme.IAM);
  static final Action S3_GET_OBJECT =
      new Action("s3.amazonaws.com", "GetObject", false, false, Theme.STORAGE);
  static final Action S3_PUT_OBJECT =
      new Action("s3.amazonaws.com", "PutObject", true, false, Theme.STORAGE);

  static List<Action> writeActions(Theme theme) {
    List<Action> result = new ArrayList<>();
    for (Action a : WRITE_ACTIONS) {
      if (a.theme() == theme) {
        result.add(a);
      }
    }
    return result;
  }

  static Action find(List<Action> actions, String name) {
    for (Action a : actions) {
      if (a.name().equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("no action " + name);
  }

  /** A uniformly chosen action that may be logged in the region (global ones only in us-east-1). */
  static Action pick(List<Action> actions, int region, SplittableRandom rng) {
    while (true) {
      Action a = actions.get(rng.nextInt(actions.size()));
      if (!a.global() || region == GLOBAL_REGION) {
        return a;
      }
    }
  }

  static <T> T pick(List<T> items, SplittableRandom rng) {
    return items.get(rng.nextInt(items.size()));
  }

  static int pickWeighted(double[] weights, SplittableRandom rng) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = rng.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  static int accountOf(String system) {
    for (int i = 0; i < ACCOUNTS.size(); i++) {
      if (ACCOUNTS.get(i).system().equals(system)) {
        return i;
      }
    }
    throw new IllegalArgumentException("unknown system " + system);
  }

  private Catalog() {}
}

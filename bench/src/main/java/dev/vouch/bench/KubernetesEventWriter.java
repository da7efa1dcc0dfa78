package dev.vouch.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vouch.bench.KubernetesCatalog.Addon;
import dev.vouch.bench.KubernetesCatalog.AppAccount;
import dev.vouch.bench.KubernetesCatalog.Auth;
import dev.vouch.bench.KubernetesCatalog.Person;
import dev.vouch.bench.KubernetesCatalog.Workload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds Kubernetes API requests (background traffic and people's planned changes) and writes their
 * audit.k8s.io/v1 {@code Event} objects, one JSON line per stage, in the field order the API server
 * marshals them.
 *
 * <p>Stages follow a policy like the one in the benchmark README: requests by the control plane and
 * platform automation (nodes, kube-controller-manager, kube-scheduler, kube-proxy, {@code eks:*},
 * kube-system service accounts) are logged with {@code omitStages: [RequestReceived]}, every other
 * request also at RequestReceived; long-running requests (watch, exec, attach, port-forward,
 * followed logs) add ResponseStarted. The RequestReceived event is written before impersonation and
 * authorization run, so it has no {@code impersonatedUser}, no {@code responseStatus} and no
 * annotations.
 */
final class KubernetesEventWriter {

  /** Background traffic, drawn independently of the change plan. */
  enum Background {
    NODE_READ(11, false, true, false),
    NODE_WATCH(5, false, true, true),
    NODE_LEASE(3, false, true, false),
    NODE_WRITE(1.2, false, true, false),
    NODE_EVENT(0.4, false, true, false),
    CONTROLLER_READ(10, false, true, false),
    CONTROLLER_WATCH(7, false, true, true),
    CONTROLLER_LEASE(1.5, false, true, false),
    CONTROLLER_WRITE(1.5, false, true, false),
    CONTROLLER_EVENT(0.5, false, true, false),
    ADDON_READ(10, false, true, false),
    ADDON_WATCH(8, false, true, true),
    SYSTEM_FAILED(1.2, false, true, false),
    APP_READ(13, false, false, false),
    APP_WATCH(7, false, false, true),
    APP_LEASE(0.7, false, false, false),
    APP_EVENT(0.3, false, false, false),
    APP_REVIEW(0.6, false, false, false),
    APP_FAILED(0.8, false, false, false),
    ARGOCD_SYNC(1.6, true, false, false),
    ARGOCD_DRYRUN(0.4, true, false, false),
    PERSON_READ(8, true, false, false),
    PERSON_LOGS(1.0, true, false, true),
    PERSON_WATCH(0.8, true, false, true),
    PERSON_IMPERSONATED_READ(0.4, true, false, false),
    PERSON_REVIEW(0.2, true, false, false),
    PERSON_FAILED(1.8, true, false, false),
    PERSON_DRYRUN(0.3, true, false, false),
    PANIC(0.003, true, false, false);

    final double weight;
    final boolean diurnal;
    final boolean system;
    final boolean longRunning;

    Background(double weight, boolean diurnal, boolean system, boolean longRunning) {
      this.weight = weight;
      this.diurnal = diurnal;
      this.system = system;
      this.longRunning = longRunning;
    }

    /** How many audit events (lines) one request of this kind writes. */
    int lines() {
      return (system ? 0 : 1) + (longRunning ? 1 : 0) + 1;
    }
  }

  /** How many lines a planned change writes: RequestReceived, (ResponseStarted,) complete. */
  static int lines(KubernetesPlannedChange c) {
    return c.action().interactive() ? 3 : 2;
  }

  /** The authenticated (or impersonated) user of a request. */
  record Principal(
      String username,
      String uid,
      List<String> groups,
      Map<String, List<String>> extra,
      String reason) {}

  /** Writes a request or response body. */
  @FunctionalInterface
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /** One API request, with what every stage needs. */
  static final class Request {
    String auditId;
    String level = "Metadata";
    String verb;
    String uri;
    Principal user;
    Principal impersonated;
    List<String> sourceIps;
    String userAgent;
    boolean hasObjectRef;
    String resource;
    String namespace;
    String name;
    boolean nameFromBody;
    String uid;
    String resourceVersion;
    String apiGroup;
    String apiVersion;
    String subresource;
    int code = 200;
    String failureReason;
    String failureMessage;
    boolean panic;
    boolean omitReceived;
    boolean longRunning;
    int startedCode;
    long received;
    long started;
    long completed;
    Body requestObject;
    Body responseObject;
    String decision = "allow";
    final Map<String, String> annotations = new LinkedHashMap<>();

    /** The change id carried in requestObject.metadata.annotations, for bookkeeping. */
    String reference;

    String completeStage() {
      return panic ? "Panic" : "ResponseComplete";
    }
  }

  /** One serialized stage event. */
  record Line(long micros, String stage, byte[] json) {}

  private static final Map<String, String[]> API =
      Map.ofEntries(
          Map.entry("pods", new String[] {"", "v1"}),
          Map.entry("configmaps", new String[] {"", "v1"}),
          Map.entry("secrets", new String[] {"", "v1"}),
          Map.entry("services", new String[] {"", "v1"}),
          Map.entry("endpoints", new String[] {"", "v1"}),
          Map.entry("nodes", new String[] {"", "v1"}),
          Map.entry("namespaces", new String[] {"", "v1"}),
          Map.entry("events", new String[] {"", "v1"}),
          Map.entry("serviceaccounts", new String[] {"", "v1"}),
          Map.entry("persistentvolumeclaims", new String[] {"", "v1"}),
          Map.entry("persistentvolumes", new String[] {"", "v1"}),
          Map.entry("deployments", new String[] {"apps", "v1"}),
          Map.entry("statefulsets", new String[] {"apps", "v1"}),
          Map.entry("daemonsets", new String[] {"apps", "v1"}),
          Map.entry("replicasets", new String[] {"apps", "v1"}),
          Map.entry("jobs", new String[] {"batch", "v1"}),
          Map.entry("cronjobs", new String[] {"batch", "v1"}),
          Map.entry("leases", new String[] {"coordination.k8s.io", "v1"}),
          Map.entry("endpointslices", new String[] {"discovery.k8s.io", "v1"}),
          Map.entry("ingresses", new String[] {"networking.k8s.io", "v1"}),
          Map.entry("networkpolicies", new String[] {"networking.k8s.io", "v1"}),
          Map.entry("roles", new String[] {"rbac.authorization.k8s.io", "v1"}),
          Map.entry("rolebindings", new String[] {"rbac.authorization.k8s.io", "v1"}),
          Map.entry("clusterroles", new String[] {"rbac.authorization.k8s.io", "v1"}),
          Map.entry("clusterrolebindings", new String[] {"rbac.authorization.k8s.io", "v1"}),
          Map.entry(
              "validatingwebhookconfigurations",
              new String[] {"admissionregistration.k8s.io", "v1"}),
          Map.entry("tokenreviews", new String[] {"authentication.k8s.io", "v1"}),
          Map.entry("subjectaccessreviews", new String[] {"authorization.k8s.io", "v1"}),
          Map.entry("selfsubjectaccessreviews", new String[] {"authorization.k8s.io", "v1"}),
          Map.entry("selfsubjectrulesreviews", new String[] {"authorization.k8s.io", "v1"}),
          Map.entry("localsubjectaccessreviews", new String[] {"authorization.k8s.io", "v1"}),
          Map.entry("certificatesigningrequests", new String[] {"certificates.k8s.io", "v1"}),
          Map.entry("poddisruptionbudgets", new String[] {"policy", "v1"}),
          Map.entry("storageclasses", new String[] {"storage.k8s.io", "v1"}),
          Map.entry("horizontalpodautoscalers", new String[] {"autoscaling", "v2"}),
          Map.entry("applications", new String[] {"argoproj.io", "v1alpha1"}),
          Map.entry("appprojects", new String[] {"argoproj.io", "v1alpha1"}),
          Map.entry("certificates", new String[] {"cert-manager.io", "v1"}),
          Map.entry("eniconfigs", new String[] {"crd.k8s.amazonaws.com", "v1alpha1"}),
          Map.entry("targetgroupbindings", new String[] {"elbv2.k8s.aws", "v1beta1"}));

  private static final List<String> CLUSTER_SCOPED =
      List.of(
          "nodes",
          "namespaces",
          "persistentvolumes",
          "clusterroles",
          "clusterrolebindings",
          "validatingwebhookconfigurations",
          "tokenreviews",
          "subjectaccessreviews",
          "selfsubjectaccessreviews",
          "selfsubjectrulesreviews",
          "certificatesigningrequests",
          "storageclasses",
          "eniconfigs");

  private static final String KUBECTL_NEW =
      "kubectl/" + KubernetesCatalog.K8S_VERSION + " (darwin/arm64) kubernetes/93248f9";
  private static final String KUBECTL_LINUX = "kubectl/v1.33.4 (linux/amd64) kubernetes/74cdb42";

  /** kubectl before 1.30 still speaks SPDY: exec and port-forward are {@code create}. */
  private static final String KUBECTL_OLD = "kubectl/v1.29.4 (linux/amd64) kubernetes/55019c8";

  private static final String K9S = "k9s/v0.50.9 (darwin/arm64) kubernetes/$Format";
  private static final String KUBELET =
      "kubelet/" + KubernetesCatalog.EKS_VERSION + " (linux/amd64) kubernetes/113cf36";
  private static final String KCM =
      "kube-controller-manager/"
          + KubernetesCatalog.K8S_VERSION
          + " (linux/amd64) kubernetes/"
          + KubernetesCatalog.K8S_COMMIT;
  private static final String SCHEDULER =
      "kube-scheduler/"
          + KubernetesCatalog.K8S_VERSION
          + " (linux/amd64) kubernetes/"
          + KubernetesCatalog.K8S_COMMIT;
  private static final String KUBE_PROXY =
      "kube-proxy/" + KubernetesCatalog.EKS_VERSION + " (linux/amd64) kubernetes/113cf36";
  private static final List<String> CONTROL_PLANE_IPS = List.of("10.0.0.10", "10.0.0.11");
  private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";
  private static final String UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final SplittableRandom rng;
  private final JsonFactory factory = new JsonFactory();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(8192);
  private final long lastMicros;
  private long resourceVersion = 48_213_377;

  /** The request being serialized: bodies of a create show the object as just created. */
  private Request serializing;

  /**
   * @param lastMicros no stage may be later than this (the end of the period minus a second)
   */
  KubernetesEventWriter(SplittableRandom rng, long lastMicros) {
    this.rng = rng;
    this.lastMicros = lastMicros;
  }

  // ========================================================================= serialization

  /** The request's stage events, in stage order. */
  List<Line> lines(Request r) throws IOException {
    serializing = r;
    List<Line> lines = new ArrayList<>(3);
    if (!r.omitReceived) {
      lines.add(
          new Line(r.received, "RequestReceived", serialize(r, "RequestReceived", r.received)));
    }
    if (r.longRunning) {
      lines.add(new Line(r.started, "ResponseStarted", serialize(r, "ResponseStarted", r.started)));
    }
    lines.add(
        new Line(r.completed, r.completeStage(), serialize(r, r.completeStage(), r.completed)));
    return lines;
  }

  private byte[] serialize(Request r, String stage, long stageMicros) throws IOException {
    boolean received = stage.equals("RequestReceived");
    boolean complete = stage.equals("ResponseComplete") || stage.equals("Panic");
    buffer.reset();
    try (JsonGenerator g = factory.createGenerator(buffer)) {
      g.writeStartObject();
      g.writeStringField("kind", "Event");
      g.writeStringField("apiVersion", "audit.k8s.io/v1");
      g.writeStringField("level", r.level);
      g.writeStringField("auditID", r.auditId);
      g.writeStringField("stage", stage);
      g.writeStringField("requestURI", r.uri);
      g.writeStringField("verb", r.verb);
      g.writeFieldName("user");
      writeUser(g, r.user);
      if (!received && r.impersonated != null) {
        g.writeFieldName("impersonatedUser");
        writeUser(g, r.impersonated);
      }
      g.writeArrayFieldStart("sourceIPs");
      for (String ip : r.sourceIps) {
        g.writeString(ip);
      }
      g.writeEndArray();
      g.writeStringField("userAgent", r.userAgent);
      if (r.hasObjectRef) {
        g.writeObjectFieldStart("objectRef");
        g.writeStringField("resource", r.resource);
        if (r.namespace != null) {
          g.writeStringField("namespace", r.namespace);
        }
        if (r.name != null && !(received && r.nameFromBody)) {
          g.writeStringField("name", r.name);
        }
        if (!received && r.uid != null) {
          g.writeStringField("uid", r.uid);
        }
        if (!r.apiGroup.isEmpty()) {
          g.writeStringField("apiGroup", r.apiGroup);
        }
        g.writeStringField("apiVersion", r.apiVersion);
        if (!received && r.resourceVersion != null) {
          g.writeStringField("resourceVersion", r.resourceVersion);
        }
        if (r.subresource != null) {
          g.writeStringField("subresource", r.subresource);
        }
        g.writeEndObject();
      }
      if (!received) {
        g.writeObjectFieldStart("responseStatus");
        g.writeObjectFieldStart("metadata");
        g.writeEndObject();
        int code = stage.equals("ResponseStarted") ? r.startedCode : r.code;
        if (complete && r.panic) {
          g.writeStringField("status", "Failure");
          g.writeStringField("message", "APIServer panic'd: net/http: abort Handler");
          g.writeStringField("reason", "InternalError");
        } else if (complete && r.code >= 400) {
          g.writeStringField("status", "Failure");
          g.writeStringField("message", r.failureMessage);
          g.writeStringField("reason", r.failureReason);
          g.writeObjectFieldStart("details");
          if (r.name != null) {
            g.writeStringField("name", r.name);
          }
          if (r.apiGroup != null && !r.apiGroup.isEmpty()) {
            g.writeStringField("group", r.apiGroup);
          }
          if (r.resource != null) {
            g.writeStringField("kind", r.resource);
          }
          g.writeEndObject();
        }
        g.writeNumberField("code", code);
        g.writeEndObject();
      }
      if (complete && r.requestObject != null) {
        g.writeFieldName("requestObject");
        r.requestObject.write(g);
      }
      if (complete && r.responseObject != null) {
        g.writeFieldName("responseObject");
        r.responseObject.write(g);
      }
      g.writeStringField("requestReceivedTimestamp", micro(r.received));
      g.writeStringField("stageTimestamp", micro(stageMicros));
      if (!received) {
        g.writeObjectFieldStart("annotations");
        g.writeStringField("authorization.k8s.io/decision", r.decision);
        g.writeStringField("authorization.k8s.io/reason", r.user == null ? "" : reason(r));
        for (Map.Entry<String, String> e : r.annotations.entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    buffer.write('\n');
    return buffer.toByteArray();
  }

  private static String reason(Request r) {
    if (!r.decision.equals("allow")) {
      return "";
    }
    return r.impersonated != null ? r.impersonated.reason() : r.user.reason();
  }

  private static void writeUser(JsonGenerator g, Principal p) throws IOException {
    g.writeStartObject();
    g.writeStringField("username", p.username());
    if (p.uid() != null) {
      g.writeStringField("uid", p.uid());
    }
    g.writeArrayFieldStart("groups");
    for (String group : p.groups()) {
      g.writeString(group);
    }
    g.writeEndArray();
    if (!p.extra().isEmpty()) {
      g.writeObjectFieldStart("extra");
      for (Map.Entry<String, List<String>> e : p.extra().entrySet()) {
        g.writeArrayFieldStart(e.getKey());
        for (String v : e.getValue()) {
          g.writeString(v);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  /** RFC 3339 with microseconds, as {@code metav1.MicroTime} marshals it. */
  static String micro(long micros) {
    long second = Math.floorDiv(micros, 1_000_000L);
    int fraction = (int) Math.floorMod(micros, 1_000_000L);
    LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(27);
    sb.append(t.getYear()).append('-');
    two(sb, t.getMonthValue()).append('-');
    two(sb, t.getDayOfMonth()).append('T');
    two(sb, t.getHour()).append(':');
    two(sb, t.getMinute()).append(':');
    two(sb, t.getSecond()).append('.');
    String f = Integer.toString(fraction);
    sb.append("000000", 0, 6 - f.length()).append(f).append('Z');
    return sb.toString();
  }

  private static StringBuilder two(StringBuilder sb, int v) {
    return sb.append(v < 10 ? "0" : "").append(v);
  }

  // ========================================================================= principals

  private static List<String> groups(String... groups) {
    return List.of(groups);
  }

  private static String rbac(String kind, String binding, String role, String subject) {
    return "RBAC: allowed by "
        + kind
        + " \""
        + binding
        + "\" of ClusterRole \""
        + role
        + "\" to "
        + subject;
  }

  static Principal node(String ip) {
    return new Principal(
        "system:node:" + KubernetesCatalog.nodeName(ip),
        null,
        groups("system:nodes", "system:authenticated"),
        Map.of(),
        "");
  }

  private static Principal systemUser(String username, String binding) {
    return new Principal(
        username,
        null,
        groups("system:authenticated"),
        Map.of(),
        rbac("ClusterRoleBinding", binding, binding, "User \"" + username + "\""));
  }

  private static Principal serviceAccount(
      String namespace, String name, boolean inPod, String binding) {
    String username = "system:serviceaccount:" + namespace + ":" + name;
    Map<String, List<String>> extra = new LinkedHashMap<>();
    extra.put(
        "authentication.kubernetes.io/credential-id", List.of("JTI=" + uuid(username + "/jti")));
    if (inPod) {
      String nodeIp = KubernetesCatalog.NODE_IPS.get(index(username, 9));
      extra.put("authentication.kubernetes.io/node-name", List.of(nodeName(nodeIp)));
      extra.put("authentication.kubernetes.io/node-uid", List.of(uuid("node/" + nodeIp)));
      extra.put("authentication.kubernetes.io/pod-name", List.of(name + "-" + suffix(username)));
      extra.put("authentication.kubernetes.io/pod-uid", List.of(uuid(username + "/pod")));
    }
    return new Principal(
        username,
        uuid(username + "/uid"),
        groups(
            "system:serviceaccounts",
            "system:serviceaccounts:" + namespace,
            "system:authenticated"),
        extra,
        rbac(
            "ClusterRoleBinding",
            binding,
            binding,
            "ServiceAccount \"" + name + "/" + namespace + "\""));
  }

  private static String nodeName(String ip) {
    return KubernetesCatalog.nodeName(ip);
  }

  private static Principal eksUser(String username) {
    String role = "AWSWesleyClusterManagerLambda-" + username.substring(4) + "Role-G332QAM69H";
    String session = Long.toString(1_790_000_000_000_000_000L + (mix(username.hashCode()) >>> 8));
    Map<String, List<String>> extra = new LinkedHashMap<>();
    extra.put("accessKeyId", List.of("ASIA" + upper(username + "/key", 16)));
    extra.put(
        "arn",
        List.of(
            "arn:aws:sts::"
                + KubernetesCatalog.AWS_ACCOUNT
                + ":assumed-role/"
                + role
                + "/"
                + session));
    extra.put(
        "canonicalArn", List.of("arn:aws:iam::" + KubernetesCatalog.AWS_ACCOUNT + ":role/" + role));
    extra.put("sessionName", List.of(session));
    return new Principal(
        username,
        "aws-iam-authenticator:" + KubernetesCatalog.AWS_ACCOUNT + ":AROA" + upper(username, 17),
        groups("system:authenticated"),
        extra,
        rbac("ClusterRoleBinding", username, username, "User \"" + username + "\""));
  }

  private Principal person(Person p, long micros) {
    Auth via = p.auth();
    if (via == Auth.CERT && rng.nextDouble() < 0.4) {
      via = Auth.OIDC;
    }
    String group = p.team().group();
    String reason =
        rbac(
            "ClusterRoleBinding",
            group,
            p.team() == KubernetesCatalog.Team.PLATFORM ? "cluster-admin" : "edit",
            "Group \"" + (via == Auth.IAM ? group : "oidc:" + group) + "\"");
    return switch (via) {
      case OIDC ->
          new Principal(
              p.oidcUsername(),
              null,
              groups("oidc:" + group, "system:authenticated"),
              Map.of(),
              reason);
      case CERT -> certAdmin();
      case IAM -> {
        // Session credentials: a new access key per person and day.
        long day = Math.floorDiv(micros, 86_400_000_000L);
        Map<String, List<String>> extra = new LinkedHashMap<>();
        String roleId = "AROA" + upper(KubernetesCatalog.EKS_ROLE, 17);
        extra.put("accessKeyId", List.of("ASIA" + upper(p.id() + "/" + day, 16)));
        extra.put("arn", List.of(p.iamArn()));
        extra.put(
            "canonicalArn",
            List.of(
                "arn:aws:iam::"
                    + KubernetesCatalog.AWS_ACCOUNT
                    + ":role/"
                    + KubernetesCatalog.EKS_ROLE));
        extra.put("principalId", List.of(roleId));
        extra.put("sessionName", List.of(p.id()));
        yield new Principal(
            p.iamArn(),
            "aws-iam-authenticator:" + KubernetesCatalog.AWS_ACCOUNT + ":" + roleId,
            groups(group, "system:authenticated"),
            extra,
            reason);
      }
    };
  }

  private static Principal certAdmin() {
    return new Principal(
        "kubernetes-admin",
        null,
        groups("kubeadm:cluster-admins", "system:authenticated"),
        Map.of(),
        rbac(
            "ClusterRoleBinding",
            "kubeadm:cluster-admins",
            "cluster-admin",
            "Group \"kubeadm:cluster-admins\""));
  }

  private static Principal impersonatedPerson(Person p) {
    return new Principal(
        p.oidcUsername(),
        null,
        groups("system:authenticated"),
        Map.of(),
        rbac(
            "RoleBinding",
            p.team().group() + "-edit/" + p.team().homeNamespace(),
            "edit",
            "User \"" + p.oidcUsername() + "\""));
  }

  private static Principal deployer() {
    String ns = KubernetesCatalog.DEPLOYER_NAMESPACE;
    String name = KubernetesCatalog.DEPLOYER;
    String username = "system:serviceaccount:" + ns + ":" + name;
    return new Principal(
        username,
        uuid(username + "/uid"),
        groups("system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"),
        Map.of(),
        rbac("RoleBinding", name + "/" + ns, "edit", "ServiceAccount \"" + name + "/" + ns + "\""));
  }

  private static Principal impersonatedDeployer() {
    Principal d = deployer();
    return new Principal(
        d.username(),
        null,
        groups("system:serviceaccounts", "system:serviceaccounts:payments", "system:authenticated"),
        Map.of(),
        d.reason());
  }

  private static Principal contractor() {
    return new Principal(
        KubernetesCatalog.CONTRACTOR,
        null,
        groups("oidc:contractors", "system:authenticated"),
        Map.of(),
        rbac("ClusterRoleBinding", "contractors-edit", "edit", "Group \"oidc:contractors\""));
  }

  private static Principal app(AppAccount a) {
    return serviceAccount(a.namespace(), a.name(), true, a.name());
  }

  /**
   * A kube-controller-manager controller's service account, bound to its system:controller role.
   */
  private static Principal controller(String name) {
    return serviceAccount("kube-system", name, false, "system:controller:" + name);
  }

  /** An add-on's service account in kube-system, bound to a role of its own name. */
  private static Principal addon(Addon a) {
    return serviceAccount("kube-system", a.serviceAccount(), true, a.serviceAccount());
  }

  private static String podIp(String key) {
    long h = mix(key.hashCode());
    return "10.0." + (1 + Math.floorMod(h, 3)) + "." + (10 + Math.floorMod(h >>> 8, 240));
  }

  private List<String> personIps(Person p) {
    String ip = "203.0.113." + (10 + index(p.id(), 200));
    return rng.nextDouble() < 0.2 ? List.of(ip, "10.0.4.12") : List.of(ip);
  }

  /** The kubectl a person uses for changes. */
  private static String kubectl(Person p) {
    return index(p.id() + "/agent", 10) < 4 ? KUBECTL_LINUX : KUBECTL_NEW;
  }

  /** The client a person reads with: kubectl, or k9s for some. */
  private String personAgent(Person p) {
    double u = rng.nextDouble();
    int habit = index(p.id() + "/agent", 10);
    if (habit < 2) {
      return u < 0.7 ? K9S : KUBECTL_NEW;
    }
    return habit < 4 ? KUBECTL_LINUX : KUBECTL_NEW;
  }

  // ========================================================================= request basics

  private Request request(Principal user, String verb, long micros) {
    Request r = new Request();
    r.auditId = uuid();
    r.user = user;
    r.verb = verb;
    r.received = micros;
    return r;
  }

  /** Sets the objectRef and the request path (query added by the caller). */
  private static String target(
      Request r, String resource, String namespace, String name, String sub) {
    String[] api = API.get(resource);
    if (api == null) {
      throw new IllegalArgumentException("unknown resource " + resource);
    }
    r.hasObjectRef = true;
    r.resource = resource;
    r.namespace = CLUSTER_SCOPED.contains(resource) ? null : namespace;
    r.name = name;
    r.subresource = sub;
    r.apiGroup = api[0];
    r.apiVersion = api[1];
    StringBuilder path = new StringBuilder(api[0].isEmpty() ? "/api/" : "/apis/" + api[0] + "/");
    path.append(api[1]);
    if (r.namespace != null) {
      path.append("/namespaces/").append(r.namespace);
    }
    path.append('/').append(resource);
    if (name != null) {
      path.append('/').append(name);
    }
    if (sub != null) {
      path.append('/').append(sub);
    }
    return path.toString();
  }

  private void latency(Request r, long minMicros, long maxMicros) {
    r.completed =
        Math.min(r.received + minMicros + rng.nextLong(maxMicros - minMicros + 1), lastMicros);
  }

  /** A watch from client-go's reflector: timeoutSeconds 300-600, as the query says. */
  private String watch(Request r, String path, String selector) {
    int seconds = 300 + rng.nextInt(301);
    return watch(r, path, selector, seconds);
  }

  private String watch(Request r, String path, String selector, int seconds) {
    r.longRunning = true;
    r.startedCode = 200;
    r.started = r.received + 800 + rng.nextInt(4000);
    r.completed =
        Math.max(
            r.started + 1,
            Math.min(r.received + seconds * 1_000_000L + rng.nextInt(3000), lastMicros));
    StringBuilder q = new StringBuilder(path).append("?allowWatchBookmarks=true");
    if (selector != null) {
      q.append("&fieldSelector=").append(selector);
    }
    q.append("&resourceVersion=").append(resourceVersion - rng.nextInt(5000));
    q.append("&timeout=").append(seconds / 60).append('m').append(seconds % 60).append('s');
    q.append("&timeoutSeconds=").append(seconds).append("&watch=true");
    return q.toString();
  }

  private String nextResourceVersion() {
    resourceVersion += 1 + rng.nextInt(40);
    return Long.toString(resourceVersion);
  }

  private void fail(Request r, int code, String reason, String message) {
    r.code = code;
    r.failureReason = reason;
    r.failureMessage = message;
    if (code == 403) {
      r.decision = "forbid";
    }
  }

  private static String forbidden(Request r, String who) {
    String what = r.resource + (r.apiGroup.isEmpty() ? "" : "." + r.apiGroup);
    String scope =
        r.namespace == null ? "at the cluster scope" : "in the namespace \"" + r.namespace + "\"";
    return (r.name == null ? what : what + " \"" + r.name + "\"")
        + " is forbidden: User \""
        + who
        + "\" cannot "
        + r.verb
        + " resource \""
        + r.resource
        + (r.subresource == null ? "" : "/" + r.subresource)
        + "\" in API group \""
        + r.apiGroup
        + "\" "
        + scope;
  }

  // ========================================================================= background

  Request background(Background kind, long micros) {
    Request r =
        switch (kind) {
          case NODE_READ -> nodeRead(micros);
          case NODE_WATCH -> nodeWatch(micros);
          case NODE_LEASE -> nodeLease(micros);
          case NODE_WRITE -> nodeWrite(micros);
          case NODE_EVENT -> nodeEvent(micros);
          case CONTROLLER_READ -> controllerRead(micros, false);
          case CONTROLLER_WATCH -> controllerRead(micros, true);
          case CONTROLLER_LEASE -> controllerLease(micros);
          case CONTROLLER_WRITE -> controllerWrite(micros);
          case CONTROLLER_EVENT -> controllerEvent(micros);
          case ADDON_READ -> addonRead(micros, false);
          case ADDON_WATCH -> addonRead(micros, true);
          case SYSTEM_FAILED -> systemFailed(micros);
          case APP_READ -> appRead(micros, false);
          case APP_WATCH -> appRead(micros, true);
          case APP_LEASE -> appLease(micros);
          case APP_EVENT -> appEvent(micros);
          case APP_REVIEW -> appReview(micros);
          case APP_FAILED -> appFailed(micros);
          case ARGOCD_SYNC -> argocd(micros, false);
          case ARGOCD_DRYRUN -> argocd(micros, true);
          case PERSON_READ -> personRead(micros);
          case PERSON_LOGS -> personLogs(micros);
          case PERSON_WATCH -> personWatch(micros);
          case PERSON_IMPERSONATED_READ -> impersonatedRead(micros);
          case PERSON_REVIEW -> personReview(micros);
          case PERSON_FAILED -> personFailed(micros);
          case PERSON_DRYRUN -> personDryRun(micros);
          case PANIC -> panic(micros);
        };
    r.omitReceived = kind.system;
    if (r.longRunning != kind.longRunning) {
      throw new IllegalStateException("generator bug: " + kind + " long-running mismatch");
    }
    if (KubernetesRules.excludedUser(r.user.username()) != kind.system) {
      throw new IllegalStateException("generator bug: " + kind + " by " + r.user.username());
    }
    return r;
  }

  private String randomNodeIp() {
    return KubernetesCatalog.pick(KubernetesCatalog.NODE_IPS, rng);
  }

  private Workload randomWorkload(String namespace) {
    return KubernetesCatalog.pick(KubernetesCatalog.workloads(namespace), rng);
  }

  private String randomNamespace() {
    return KubernetesCatalog.pick(KubernetesCatalog.NAMESPACES, rng);
  }

  private String podName(Workload w) {
    return switch (w.kind()) {
      case "StatefulSet" -> w.name() + "-" + rng.nextInt(3);
      case "DaemonSet" -> w.name() + "-" + random(NAME_CHARS, 5);
      default -> w.name() + "-" + hashName(w.name() + "/rs", 10) + "-" + random(NAME_CHARS, 5);
    };
  }

  /** A request by the kubelet of the node with this IP. */
  private Request kubeletRequest(String ip, String verb, long micros) {
    Request r = request(node(ip), verb, micros);
    r.sourceIps = List.of(ip);
    r.userAgent = KUBELET;
    return r;
  }

  private Request nodeRead(long micros) {
    String ip = randomNodeIp();
    Request r = kubeletRequest(ip, "get", micros);
    double u = rng.nextDouble();
    String path;
    if (u < 0.45) {
      path = target(r, "nodes", null, nodeName(ip), null) + "?resourceVersion=0&timeout=10s";
    } else if (u < 0.75) {
      Workload w = randomWorkload(randomNamespace());
      path = target(r, "pods", w.namespace(), podName(w), null);
    } else if (u < 0.9) {
      String ns = randomNamespace();
      path = target(r, "configmaps", ns, "kube-root-ca.crt", null) + "?resourceVersion=0";
    } else {
      r.verb = "list";
      path =
          target(r, "pods", null, null, null)
              + "?fieldSelector=spec.nodeName%3D"
              + nodeName(ip)
              + "&limit=500";
    }
    r.uri = path;
    latency(r, 900, 12_000);
    return r;
  }

  private Request nodeWatch(long micros) {
    String ip = randomNodeIp();
    Request r = kubeletRequest(ip, "watch", micros);
    double u = rng.nextDouble();
    if (u < 0.35) {
      r.uri = watch(r, target(r, "pods", null, null, null), "spec.nodeName%3D" + nodeName(ip));
    } else if (u < 0.6) {
      String ns = randomNamespace();
      r.uri = watch(r, target(r, "configmaps", ns, null, null), "metadata.name%3Dkube-root-ca.crt");
    } else if (u < 0.8) {
      r.uri = watch(r, target(r, "services", null, null, null), null);
    } else {
      r.uri = watch(r, target(r, "nodes", null, null, null), "metadata.name%3D" + nodeName(ip));
    }
    return r;
  }

  private Request nodeLease(long micros) {
    String ip = randomNodeIp();
    Request r = kubeletRequest(ip, "update", micros);
    r.uri = target(r, "leases", "kube-node-lease", nodeName(ip), null) + "?timeout=10s";
    r.uid = uuid("lease/" + ip);
    r.resourceVersion = nextResourceVersion();
    latency(r, 3_000, 15_000);
    return r;
  }

  private Request nodeWrite(long micros) {
    String ip = randomNodeIp();
    Request r = kubeletRequest(ip, "patch", micros);
    double u = rng.nextDouble();
    if (u < 0.4) {
      r.uri = target(r, "nodes", null, nodeName(ip), "status") + "?timeout=10s";
    } else if (u < 0.8) {
      Workload w = randomWorkload(randomNamespace());
      r.uri = target(r, "pods", w.namespace(), podName(w), "status");
    } else {
      // The kubelet requests a bound token for a pod's service account.
      r.verb = "create";
      AppAccount a = KubernetesCatalog.pick(KubernetesCatalog.APP_ACCOUNTS, rng);
      r.uri = target(r, "serviceaccounts", a.namespace(), a.name(), "token");
      r.code = 201;
    }
    nextResourceVersion();
    latency(r, 4_000, 25_000);
    return r;
  }

  private Request nodeEvent(long micros) {
    String ip = randomNodeIp();
    boolean patch = rng.nextDouble() < 0.3;
    Request r = kubeletRequest(ip, patch ? "patch" : "create", micros);
    Workload w = randomWorkload(randomNamespace());
    String event = podName(w) + "." + hex(16);
    r.uri = target(r, "events", w.namespace(), patch ? event : null, null);
    if (!patch) {
      r.name = event;
      r.nameFromBody = true;
      r.code = 201;
    }
    latency(r, 2_000, 9_000);
    return r;
  }

  private Principal controllerPrincipal() {
    double u = rng.nextDouble();
    if (u < 0.12) {
      return systemUser("system:kube-controller-manager", "system:kube-controller-manager");
    }
    if (u < 0.25) {
      return systemUser("system:kube-scheduler", "system:kube-scheduler");
    }
    String sa = KubernetesCatalog.pick(KubernetesCatalog.CONTROLLER_SAS, rng);
    return controller(sa);
  }

  private static String controllerAgent(Principal p) {
    if (p.username().equals("system:kube-scheduler")) {
      return SCHEDULER + "/scheduler";
    }
    if (p.username().equals("system:kube-controller-manager")) {
      return KCM + "/shared-informers";
    }
    return KCM + "/" + p.username();
  }

  private static final List<String> CONTROLLER_RESOURCES =
      List.of(
          "pods",
          "replicasets",
          "deployments",
          "endpointslices",
          "nodes",
          "jobs",
          "namespaces",
          "persistentvolumeclaims",
          "statefulsets",
          "daemonsets",
          "horizontalpodautoscalers",
          "serviceaccounts",
          "cronjobs");

  private Request controllerRead(long micros, boolean watch) {
    Principal p = controllerPrincipal();
    Request r = request(p, watch ? "watch" : "list", micros);
    r.sourceIps = List.of(KubernetesCatalog.pick(CONTROL_PLANE_IPS, rng));
    r.userAgent = controllerAgent(p);
    String resource = KubernetesCatalog.pick(CONTROLLER_RESOURCES, rng);
    if (watch) {
      r.uri = watch(r, target(r, resource, null, null, null), null);
      return r;
    }
    if (rng.nextDouble() < 0.4 && !CLUSTER_SCOPED.contains(resource)) {
      r.verb = "get";
      Workload w = randomWorkload(randomNamespace());
      String name = resource.equals("pods") ? podName(w) : w.name();
      r.uri = target(r, resource, w.namespace(), name, null);
      latency(r, 700, 6_000);
    } else {
      r.uri = target(r, resource, null, null, null) + "?limit=500&resourceVersion=0";
      latency(r, 3_000, 120_000);
    }
    return r;
  }

  private Request controllerLease(long micros) {
    double u = rng.nextDouble();
    Principal p;
    String lease;
    String agent;
    if (u < 0.35) {
      p = systemUser("system:kube-controller-manager", "system:kube-controller-manager");
      lease = "kube-controller-manager";
      agent = KCM + "/leader-election";
    } else if (u < 0.7) {
      p = systemUser("system:kube-scheduler", "system:kube-scheduler");
      lease = "kube-scheduler";
      agent = SCHEDULER + "/leader-election";
    } else if (u < 0.8) {
      p = eksUser("eks:cloud-controller-manager");
      lease = "cloud-controller-manager";
      agent =
          "aws-cloud-controller-manager/v1.34.0 (linux/amd64) kubernetes/$Format/leader-election";
    } else {
      Addon a =
          rng.nextBoolean() ? KubernetesCatalog.ADDONS.get(3) : KubernetesCatalog.ADDONS.get(5);
      p = addon(a);
      lease =
          a.serviceAccount().equals("cluster-autoscaler")
              ? "cluster-autoscaler"
              : "aws-load-balancer-controller-leader";
      agent = a.userAgent() + "/leader-election";
    }
    Request r = request(p, "update", micros);
    r.sourceIps =
        List.of(
            p.username().startsWith("system:serviceaccount:")
                ? podIp(p.username())
                : KubernetesCatalog.pick(CONTROL_PLANE_IPS, rng));
    r.userAgent = agent;
    return leaderElection(r, "kube-system", lease);
  }

  /** Renews a leader-election lease. */
  private Request leaderElection(Request r, String ns, String lease) {
    r.uri = target(r, "leases", ns, lease, null) + "?timeout=5s";
    r.uid = uuid("lease/" + lease);
    r.resourceVersion = nextResourceVersion();
    latency(r, 2_500, 12_000);
    return r;
  }

  private Request controllerWrite(long micros) {
    double u = rng.nextDouble();
    Workload w =
        randomWorkload(KubernetesCatalog.pick(List.of("payments", "data", "default"), rng));
    Principal p;
    String verb;
    String path;
    String agent;
    int code = 200;
    Request r;
    if (u < 0.2) {
      p = controller("replicaset-controller");
      r = request(p, rng.nextBoolean() ? "create" : "delete", micros);
      if (r.verb.equals("create")) {
        path = target(r, "pods", w.namespace(), null, null);
        r.name = podName(w);
        r.nameFromBody = true;
        code = 201;
      } else {
        path = target(r, "pods", w.namespace(), podName(w), null);
      }
    } else if (u < 0.4) {
      p = systemUser("system:kube-scheduler", "system:kube-scheduler");
      r = request(p, "create", micros);
      path = target(r, "pods", w.namespace(), podName(w), "binding");
      code = 201;
    } else if (u < 0.55) {
      p = controller("endpointslice-controller");
      r = request(p, "update", micros);
      path =
          target(r, "endpointslices", w.namespace(), w.name() + "-" + random(NAME_CHARS, 5), null);
      r.uid = uuid("eps/" + r.name);
      r.resourceVersion = nextResourceVersion();
    } else if (u < 0.7) {
      p = controller("deployment-controller");
      r = request(p, "update", micros);
      path = target(r, "deployments", w.namespace(), w.name(), "status");
      r.uid = uuid("workload/" + w.name());
      r.resourceVersion = nextResourceVersion();
    } else if (u < 0.8) {
      p = controller("horizontal-pod-autoscaler");
      r = request(p, "update", micros);
      path = target(r, "deployments", w.namespace(), w.name(), "scale");
      r.uid = uuid("workload/" + w.name());
      r.resourceVersion = nextResourceVersion();
    } else if (u < 0.88) {
      p = controller("generic-garbage-collector");
      r = request(p, "delete", micros);
      path = target(r, "replicasets", w.namespace(), w.name() + "-" + random(NAME_CHARS, 10), null);
    } else if (u < 0.94) {
      p = eksUser("eks:addon-manager");
      r = request(p, "patch", micros);
      path =
          target(
                  r,
                  "daemonsets",
                  "kube-system",
                  rng.nextBoolean() ? "aws-node" : "kube-proxy",
                  null)
              + "?fieldManager=eks&force=true";
    } else {
      p = eksUser("eks:certificate-controller");
      r = request(p, "update", micros);
      path =
          target(r, "certificatesigningrequests", null, "csr-" + random(NAME_CHARS, 5), "approval");
    }
    verb = r.verb;
    agent = p.username().startsWith("eks:") ? "Go-http-client/1.1" : controllerAgent(p);
    r.uri = path;
    r.code = code;
    r.userAgent = agent;
    r.sourceIps =
        List.of(
            p.username().startsWith("eks:")
                ? "198.51.100." + (20 + index(p.username(), 20))
                : KubernetesCatalog.pick(CONTROL_PLANE_IPS, rng));
    nextResourceVersion();
    latency(r, 3_000, verb.equals("delete") ? 40_000 : 20_000);
    return r;
  }

  private Request controllerEvent(long micros) {
    Principal p = controllerPrincipal();
    Request r = request(p, "create", micros);
    Workload w = randomWorkload(randomNamespace());
    String name = w.name() + "." + hex(16);
    r.uri = target(r, "events", w.namespace(), null, null);
    if (p.username().equals("system:kube-scheduler")) {
      // The scheduler uses the events.k8s.io API.
      r.apiGroup = "events.k8s.io";
      r.uri = "/apis/events.k8s.io/v1/namespaces/" + w.namespace() + "/events";
    }
    r.name = name;
    r.nameFromBody = true;
    r.code = 201;
    r.sourceIps = List.of(KubernetesCatalog.pick(CONTROL_PLANE_IPS, rng));
    r.userAgent = controllerAgent(p);
    latency(r, 1_500, 8_000);
    return r;
  }

  private Request addonRead(long micros, boolean watch) {
    double u = rng.nextDouble();
    Principal p;
    String agent;
    List<String> reads;
    String ip;
    if (u < 0.1) {
      p =
          rng.nextDouble() < 0.3
              ? systemUser("system:kube-proxy", "system:node-proxier")
              : serviceAccount("kube-system", "kube-proxy", true, "system:node-proxier");
      agent = KUBE_PROXY;
      reads = List.of("services", "endpointslices", "nodes");
      ip = randomNodeIp();
    } else if (u < 0.2) {
      String user = KubernetesCatalog.pick(KubernetesCatalog.EKS_USERS, rng);
      p = eksUser(user);
      agent = "Go-http-client/1.1";
      reads = List.of("nodes", "pods", "configmaps", "daemonsets", "deployments");
      ip = "198.51.100." + (20 + index(user, 20));
    } else {
      Addon a = KubernetesCatalog.pick(KubernetesCatalog.ADDONS, rng);
      p = addon(a);
      agent = a.userAgent();
      reads = a.reads();
      ip = podIp(p.username());
    }
    String resource = KubernetesCatalog.pick(reads, rng);
    Request r = request(p, watch ? "watch" : "list", micros);
    r.sourceIps = List.of(ip);
    r.userAgent = agent;
    if (watch) {
      r.uri = watch(r, target(r, resource, null, null, null), null);
    } else if (rng.nextDouble() < 0.5 && !CLUSTER_SCOPED.contains(resource)) {
      r.verb = "get";
      Workload w = randomWorkload("kube-system");
      String name =
          switch (resource) {
            case "pods" -> podName(w);
            case "configmaps" ->
                KubernetesCatalog.pick(KubernetesCatalog.names("configmaps", "kube-system"), rng);
            default -> w.name();
          };
      r.uri = target(r, resource, "kube-system", name, null);
      latency(r, 700, 5_000);
    } else {
      r.uri = target(r, resource, null, null, null) + "?limit=500&resourceVersion=0";
      latency(r, 2_000, 90_000);
    }
    return r;
  }

  private Request systemFailed(long micros) {
    Request r;
    if (rng.nextBoolean()) {
      String ip = randomNodeIp();
      r = kubeletRequest(ip, "get", micros);
      Workload w = randomWorkload(randomNamespace());
      r.uri = target(r, "pods", w.namespace(), podName(w), null);
      fail(r, 404, "NotFound", "pods \"" + r.name + "\" not found");
    } else {
      String sa = rng.nextBoolean() ? "endpointslice-controller" : "replicaset-controller";
      Principal p = controller(sa);
      r = request(p, "update", micros);
      Workload w = randomWorkload(KubernetesCatalog.pick(List.of("payments", "data"), rng));
      String resource = sa.startsWith("endpointslice") ? "endpointslices" : "replicasets";
      r.uri = target(r, resource, w.namespace(), w.name() + "-" + random(NAME_CHARS, 5), null);
      r.uid = uuid("obj/" + r.name);
      r.resourceVersion = Long.toString(resourceVersion - 1 - rng.nextInt(100));
      r.sourceIps = List.of(KubernetesCatalog.pick(CONTROL_PLANE_IPS, rng));
      r.userAgent = controllerAgent(p);
      fail(
          r,
          409,
          "Conflict",
          "Operation cannot be fulfilled on "
              + resource
              + "."
              + r.apiGroup
              + " \""
              + r.name
              + "\": the object has been modified; please apply your changes to the latest"
              + " version and try again");
    }
    latency(r, 800, 9_000);
    return r;
  }

  private Request appRead(long micros, boolean watch) {
    List<AppAccount> pool = new ArrayList<>();
    for (AppAccount a : KubernetesCatalog.APP_ACCOUNTS) {
      if (!watch || a.watches()) {
        pool.add(a);
      }
    }
    AppAccount a = KubernetesCatalog.pick(pool, rng);
    String resource = KubernetesCatalog.pick(a.reads(), rng);
    Request r = appRequest(a, watch ? "watch" : "list", micros);
    boolean clusterWide =
        a.namespace().equals("monitoring")
            || a.namespace().equals("argocd")
            || a.namespace().equals("cert-manager")
            || a.namespace().equals("external-dns");
    String ns = clusterWide ? null : a.namespace();
    if (resource.equals("applications") || resource.equals("appprojects")) {
      ns = "argocd";
    }
    if (watch) {
      r.uri = watch(r, target(r, resource, ns, null, null), null);
    } else if (rng.nextDouble() < 0.5 && !CLUSTER_SCOPED.contains(resource)) {
      r.verb = "get";
      String namespace = ns == null ? KubernetesCatalog.pick(List.of("payments", "data"), rng) : ns;
      String name;
      if (resource.equals("configmaps") || resource.equals("secrets")) {
        List<String> names =
            KubernetesCatalog.names(resource, namespace.equals("argocd") ? "payments" : namespace);
        name = KubernetesCatalog.pick(names, rng);
      } else if (resource.equals("pods")) {
        name = podName(randomWorkload(namespace.equals("argocd") ? "payments" : namespace));
      } else if (resource.equals("leases")) {
        name = "ledger-worker-leader";
      } else if (resource.equals("applications")) {
        name = KubernetesCatalog.pick(List.of("payments", "data", "status-page"), rng);
      } else {
        name = randomWorkload(namespace.equals("argocd") ? "payments" : namespace).name();
      }
      r.uri = target(r, resource, namespace, name, null);
      latency(r, 700, 6_000);
    } else {
      r.uri = target(r, resource, ns, null, null) + "?limit=500";
      latency(r, 2_000, 150_000);
    }
    return r;
  }

  /** A request by an application's service account, from its pod. */
  private Request appRequest(AppAccount a, String verb, long micros) {
    Request r = request(app(a), verb, micros);
    r.sourceIps = List.of(podIp(r.user.username()));
    r.userAgent = a.userAgent();
    return r;
  }

  private Request appLease(long micros) {
    double u = rng.nextDouble();
    AppAccount a;
    String ns;
    String lease;
    if (u < 0.4) {
      a = KubernetesCatalog.app("cert-manager", "cert-manager");
      ns = "kube-system";
      lease = "cert-manager-controller";
    } else if (u < 0.8) {
      a = KubernetesCatalog.app("payments", "ledger-worker");
      ns = "payments";
      lease = "ledger-worker-leader";
    } else {
      a = KubernetesCatalog.app("external-dns", "external-dns");
      ns = "external-dns";
      lease = "external-dns";
    }
    Request r = appRequest(a, "update", micros);
    r.userAgent = a.userAgent() + "/leader-election";
    return leaderElection(r, ns, lease);
  }

  private Request appEvent(long micros) {
    boolean argo = rng.nextBoolean();
    AppAccount a =
        argo
            ? KubernetesCatalog.app("argocd", "argocd-application-controller")
            : KubernetesCatalog.app("cert-manager", "cert-manager");
    Request r = appRequest(a, "create", micros);
    String ns = argo ? "argocd" : KubernetesCatalog.pick(List.of("payments", "data"), rng);
    String object = argo ? KubernetesCatalog.pick(List.of("payments", "data"), rng) : ns + "-tls";
    r.uri = target(r, "events", ns, null, null);
    r.name = object + "." + hex(16);
    r.nameFromBody = true;
    r.code = 201;
    latency(r, 1_500, 8_000);
    return r;
  }

  private Request appReview(long micros) {
    double u = rng.nextDouble();
    AppAccount a =
        u < 0.8
            ? KubernetesCatalog.app("monitoring", "kube-state-metrics")
            : KubernetesCatalog.app("argocd", "argocd-server");
    Request r = appRequest(a, "create", micros);
    r.code = 201;
    if (u < 0.45) {
      r.uri = target(r, "tokenreviews", null, null, null);
    } else if (u < 0.8) {
      r.uri = target(r, "subjectaccessreviews", null, null, null);
    } else {
      r.uri = target(r, "localsubjectaccessreviews", "argocd", null, null);
    }
    if (u < 0.8) {
      r.userAgent = "kube-rbac-proxy/v0.19.1 (linux/amd64) kubernetes/$Format";
    }
    latency(r, 1_000, 6_000);
    return r;
  }

  private Request appFailed(long micros) {
    AppAccount a = KubernetesCatalog.pick(KubernetesCatalog.APP_ACCOUNTS, rng);
    Request r = appRequest(a, "get", micros);
    if (rng.nextBoolean()) {
      r.verb = "list";
      r.uri = target(r, "secrets", null, null, null) + "?limit=500";
      fail(r, 403, "Forbidden", forbidden(r, r.user.username()));
    } else {
      String ns = KubernetesCatalog.pick(List.of("payments", "data"), rng);
      r.uri =
          target(
              r,
              "configmaps",
              ns,
              KubernetesCatalog.pick(KubernetesCatalog.names("configmaps", ns), rng) + "-v2",
              null);
      fail(r, 404, "NotFound", "configmaps \"" + r.name + "\" not found");
    }
    latency(r, 700, 5_000);
    return r;
  }

  private static final List<String> ARGOCD_RESOURCES =
      List.of(
          "deployments",
          "deployments",
          "services",
          "configmaps",
          "ingresses",
          "networkpolicies",
          "cronjobs",
          "secrets");

  private Request argocd(long micros, boolean dryRun) {
    AppAccount a = KubernetesCatalog.app("argocd", "argocd-application-controller");
    Request r = appRequest(a, "patch", micros);
    String ns = KubernetesCatalog.pick(List.of("payments", "payments", "data", "default"), rng);
    double u = dryRun ? 1 : rng.nextDouble();
    if (u < 0.25) {
      // Argo CD records the sync result on its own Application.
      String app = ns.equals("default") ? "status-page" : ns;
      r.uri = target(r, "applications", "argocd", app, null);
      r.level = "RequestResponse";
      r.requestObject = g -> applicationStatus(g, app);
      r.responseObject = g -> applicationStatus(g, app);
    } else if (u < 0.35) {
      // A PreSync hook: a migration job, created and later deleted.
      String job = ns + "-db-migrate-" + random(NAME_CHARS, 5);
      boolean create = rng.nextDouble() < 0.6;
      r.verb = create ? "create" : "delete";
      r.uri = target(r, "jobs", ns, create ? null : job, null);
      r.level = "RequestResponse";
      if (create) {
        r.name = job;
        r.nameFromBody = true;
        r.code = 201;
        String image = randomWorkload(ns).image() + ":" + tag(ns);
        r.requestObject = g -> job(g, job, ns, image, null, false, null, null);
        r.responseObject = g -> job(g, job, ns, image, null, true, uuid("job/" + job), null);
      } else {
        r.requestObject = KubernetesEventWriter::deleteOptions;
        r.responseObject = g -> deleted(g, job, "batch", "jobs", uuid("job/" + job));
      }
    } else {
      String resource = KubernetesCatalog.pick(ARGOCD_RESOURCES, rng);
      String name =
          switch (resource) {
            case "deployments" -> randomWorkloadOfKind(ns, "Deployment").name();
            case "cronjobs" -> KubernetesCatalog.pick(KubernetesCatalog.names("cronjobs", ns), rng);
            default -> KubernetesCatalog.pick(KubernetesCatalog.names(resource, ns), rng);
          };
      r.uri = target(r, resource, ns, name, null);
      boolean secretLike = resource.equals("secrets") || resource.equals("configmaps");
      r.level = secretLike ? "Metadata" : "RequestResponse";
      if (!secretLike) {
        String kind = kind(resource);
        String appName = ns.equals("default") ? "status-page" : ns;
        Body manifest = g -> managed(g, kind, r.apiGroup, r.apiVersion, name, ns, appName, null);
        r.requestObject = manifest;
        String uid = uuid(resource + "/" + ns + "/" + name);
        r.responseObject = g -> managed(g, kind, r.apiGroup, r.apiVersion, name, ns, appName, uid);
      }
      r.uri +=
          dryRun
              ? "?dryRun=All&fieldManager=argocd-controller&force=true"
              : "?fieldManager=argocd-controller&force=true";
      return finishArgocd(r);
    }
    if (dryRun) {
      throw new IllegalStateException("generator bug: argocd dry run on " + r.resource);
    }
    return finishArgocd(r);
  }

  private Request finishArgocd(Request r) {
    if (r.verb.equals("patch") || r.verb.equals("delete")) {
      r.resourceVersion = null;
    }
    nextResourceVersion();
    latency(r, 6_000, 60_000);
    return r;
  }

  private Workload randomWorkloadOfKind(String namespace, String kind) {
    List<Workload> matching = new ArrayList<>();
    for (Workload w : KubernetesCatalog.workloads(namespace)) {
      if (w.kind().equals(kind)) {
        matching.add(w);
      }
    }
    return KubernetesCatalog.pick(matching, rng);
  }

  private Person randomPerson() {
    return KubernetesCatalog.pick(KubernetesCatalog.PEOPLE, rng);
  }

  private Request personRequest(Person p, String verb, long micros) {
    Request r = request(person(p, micros), verb, micros);
    r.sourceIps = personIps(p);
    r.userAgent = personAgent(p);
    return r;
  }

  private static final List<String> PERSON_READS =
      List.of(
          "pods",
          "pods",
          "pods",
          "deployments",
          "deployments",
          "services",
          "configmaps",
          "events",
          "ingresses",
          "jobs",
          "cronjobs",
          "secrets",
          "replicasets",
          "persistentvolumeclaims");

  private Request personRead(long micros) {
    Person p = randomPerson();
    Request r = personRequest(p, "get", micros);
    String ns = rng.nextDouble() < 0.75 ? p.team().homeNamespace() : randomNamespace();
    double u = rng.nextDouble();
    if (u < 0.12) {
      // Discovery: non-resource URLs, no objectRef.
      r.uri =
          KubernetesCatalog.pick(
              List.of("/api?timeout=32s", "/apis?timeout=32s", "/version?timeout=32s"), rng);
      latency(r, 500, 4_000);
      return r;
    }
    String resource = KubernetesCatalog.pick(PERSON_READS, rng);
    if (u < 0.55) {
      r.verb = "list";
      String query =
          resource.equals("events")
              ? "?fieldSelector=involvedObject.name%3D" + randomWorkload(ns).name() + "&limit=500"
              : "?limit=500";
      r.uri = target(r, resource, ns, null, null) + query;
      latency(r, 2_000, 60_000);
      return r;
    }
    Workload w = randomWorkload(ns);
    String name =
        switch (resource) {
          case "pods" -> podName(w);
          case "deployments", "replicasets" -> w.name();
          case "events" -> w.name() + "." + hex(16);
          default -> KubernetesCatalog.pick(KubernetesCatalog.names(resource, ns), rng);
        };
    r.uri = target(r, resource, ns, name, null);
    latency(r, 800, 8_000);
    return r;
  }

  private Request personLogs(long micros) {
    Person p = randomPerson();
    Request r = personRequest(p, "get", micros);
    String ns = rng.nextDouble() < 0.8 ? p.team().homeNamespace() : randomNamespace();
    Workload w = randomWorkload(ns);
    String container = w.name();
    r.uri =
        target(r, "pods", ns, podName(w), "log")
            + "?container="
            + container
            + "&follow=true&tailLines=100";
    r.longRunning = true;
    r.startedCode = 200;
    r.started = r.received + 2_000 + rng.nextInt(20_000);
    r.completed =
        Math.max(
            r.started + 1, Math.min(r.received + (5 + rng.nextInt(600)) * 1_000_000L, lastMicros));
    return r;
  }

  private Request personWatch(long micros) {
    Person p = randomPerson();
    Request r = personRequest(p, "watch", micros);
    String ns = rng.nextDouble() < 0.8 ? p.team().homeNamespace() : randomNamespace();
    String resource = rng.nextDouble() < 0.7 ? "pods" : "deployments";
    r.uri = watch(r, target(r, resource, ns, null, null), null, 30 + rng.nextInt(900));
    return r;
  }

  private Request impersonatedRead(long micros) {
    List<Person> platform = KubernetesCatalog.team(KubernetesCatalog.Team.PLATFORM);
    Person p = KubernetesCatalog.pick(platform, rng);
    Request r = personRequest(p, "list", micros);
    boolean asPerson = rng.nextDouble() < 0.7;
    String ns;
    if (asPerson) {
      Person target =
          KubernetesCatalog.pick(KubernetesCatalog.team(KubernetesCatalog.Team.PAYMENTS), rng);
      r.impersonated = impersonatedPerson(target);
      ns = target.team().homeNamespace();
    } else {
      AppAccount a = KubernetesCatalog.app("payments", "payments-api");
      r.impersonated =
          new Principal(
              a.username(),
              null,
              groups(
                  "system:serviceaccounts",
                  "system:serviceaccounts:payments",
                  "system:authenticated"),
              Map.of(),
              rbac(
                  "RoleBinding",
                  "payments-api/payments",
                  "payments-api",
                  "ServiceAccount \"payments-api/payments\""));
      ns = "payments";
    }
    r.userAgent = KUBECTL_NEW;
    String resource =
        KubernetesCatalog.pick(List.of("pods", "secrets", "configmaps", "deployments"), rng);
    r.uri = target(r, resource, ns, null, null) + "?limit=500";
    latency(r, 2_000, 30_000);
    return r;
  }

  private Request personReview(long micros) {
    Person p = randomPerson();
    Request r = personRequest(p, "create", micros);
    r.code = 201;
    r.userAgent = p.auth() == Auth.OIDC && rng.nextDouble() < 0.3 ? "Lens/2025.9.260" : KUBECTL_NEW;
    if (rng.nextDouble() < 0.75) {
      r.uri = target(r, "selfsubjectaccessreviews", null, null, null);
    } else {
      r.uri = target(r, "selfsubjectrulesreviews", null, null, null);
    }
    latency(r, 800, 4_000);
    return r;
  }

  private Request personFailed(long micros) {
    Person p = randomPerson();
    Request r = personRequest(p, "get", micros);
    r.userAgent = KUBECTL_NEW;
    double u = rng.nextDouble();
    String who = r.user.username();
    if (u < 0.35) {
      String ns = p.team() == KubernetesCatalog.Team.PLATFORM ? "payments" : "kube-system";
      r.uri =
          target(
              r,
              "secrets",
              ns,
              KubernetesCatalog.pick(KubernetesCatalog.names("secrets", ns), rng),
              null);
      fail(r, 403, "Forbidden", forbidden(r, who));
    } else if (u < 0.45) {
      r.verb = "get";
      Workload w = randomWorkload("kube-system");
      r.uri =
          target(r, "pods", "kube-system", podName(w), "exec")
              + "?command=sh&container="
              + w.name()
              + "&stdin=true&stdout=true&tty=true";
      fail(r, 403, "Forbidden", forbidden(r, who));
    } else if (u < 0.55) {
      r.verb = "delete";
      String ns = p.team() == KubernetesCatalog.Team.DATA ? "payments" : "data";
      r.uri = target(r, "deployments", ns, randomWorkload(ns).name(), null);
      fail(r, 403, "Forbidden", forbidden(r, who));
    } else if (u < 0.8) {
      String ns = p.team().homeNamespace();
      r.uri = target(r, "deployments", ns, randomWorkload(ns).name() + "-old", null);
      fail(r, 404, "NotFound", "deployments.apps \"" + r.name + "\" not found");
    } else if (u < 0.92) {
      r.verb = "create";
      String ns = p.team().homeNamespace();
      String name = KubernetesCatalog.pick(KubernetesCatalog.names("configmaps", ns), rng);
      r.uri =
          target(r, "configmaps", ns, null, null)
              + "?fieldManager=kubectl-create&fieldValidation=Strict";
      r.name = name;
      r.nameFromBody = true;
      fail(r, 409, "AlreadyExists", "configmaps \"" + name + "\" already exists");
    } else {
      r.verb = "create";
      String ns = p.team().homeNamespace();
      String name = randomWorkload(ns).name() + "-canary";
      r.uri =
          target(r, "deployments", ns, null, null)
              + "?fieldManager=kubectl-client-side-apply&fieldValidation=Strict";
      r.name = name;
      r.nameFromBody = true;
      fail(
          r,
          422,
          "Invalid",
          "Deployment.apps \""
              + name
              + "\" is invalid: spec.template.metadata.labels: Invalid value:"
              + " map[string]string{\"app\":\""
              + name
              + "\"}: `selector` does not match template `labels`");
    }
    latency(r, 800, 9_000);
    return r;
  }

  private Request personDryRun(long micros) {
    List<KubernetesCatalog.Person> implementers = new ArrayList<>();
    for (Person p : KubernetesCatalog.PEOPLE) {
      if (!p.approver()) {
        implementers.add(p);
      }
    }
    Person p = KubernetesCatalog.pick(implementers, rng);
    String ns = p.team().homeNamespace();
    Workload w = randomWorkloadOfKind(ns, "Deployment");
    Request r = personRequest(p, "patch", micros);
    r.userAgent = KUBECTL_NEW;
    r.level = "RequestResponse";
    r.uri =
        target(r, "deployments", ns, w.name(), null)
            + "?dryRun=All&fieldManager=kubectl-client-side-apply&fieldValidation=Strict";
    String image = w.image() + ":" + tag(w.name());
    r.requestObject = g -> setImage(g, w, image, null);
    r.responseObject = g -> workload(g, w, image, 3, uuid("workload/" + w.name()), null);
    latency(r, 5_000, 40_000);
    return r;
  }

  private Request panic(long micros) {
    Person p = randomPerson();
    Request r = personRequest(p, "list", micros);
    r.uri = target(r, "pods", null, null, null) + "?labelSelector=app%3D%21%21&limit=500";
    r.panic = true;
    r.code = 500;
    latency(r, 5_000, 50_000);
    return r;
  }

  // ========================================================================= planned changes

  /**
   * The request of a planned change.
   *
   * @param received when the request was received (microseconds)
   * @param completed when it completed; for interactive sessions, when the session ended
   */
  Request planned(KubernetesPlannedChange c, long received, long completed) {
    Principal user;
    Principal impersonated = null;
    List<String> ips;
    Person person = c.person() == null ? null : KubernetesCatalog.person(c.person());
    switch (c.actor()) {
      case PERSON -> {
        user = person(person, received);
        ips = personIps(person);
      }
      case ADMIN_AS_PERSON -> {
        user = certAdmin();
        impersonated = impersonatedPerson(KubernetesCatalog.person(c.effectivePerson()));
        ips = personIps(person);
      }
      case PERSON_AS_DEPLOYER -> {
        user = person(person, received);
        impersonated = impersonatedDeployer();
        ips = personIps(person);
      }
      case DEPLOYER -> {
        user = deployer();
        ips = List.of("198.51.100.77");
      }
      case CONTRACTOR -> {
        user = contractor();
        ips = List.of("192.0.2.77");
      }
      default -> throw new IllegalStateException(c.actor().name());
    }
    Request r = request(user, c.action().verb(), received);
    r.impersonated = impersonated;
    r.sourceIps = ips;
    if (c.actor() == KubernetesPlannedChange.ActorKind.DEPLOYER) {
      r.userAgent = KUBECTL_LINUX;
    } else if (c.action().interactive()) {
      // SPDY (create) is what kubectl before 1.30 sends; WebSocket (get) is newer kubectl.
      r.userAgent = c.action().verb().equals("create") ? KUBECTL_OLD : KUBECTL_NEW;
    } else {
      r.userAgent = person == null ? KUBECTL_NEW : kubectl(person);
    }
    r.reference = c.reference();
    change(r, c.action(), c.namespace(), c.reference(), received);
    r.completed = completed;
    if (r.longRunning) {
      r.started = Math.min(received + 30_000 + rng.nextInt(60_000), completed - 1);
    }
    return r;
  }

  /** Fills in a person's change: target, query, level, bodies, response code. */
  private void change(
      Request r, KubernetesAction action, String ns, String reference, long micros) {
    String verb = action.verb();
    String resource = action.resource();
    r.level =
        resource.equals("secrets") || resource.equals("configmaps") || verb.equals("get")
            ? "Metadata"
            : "RequestResponse";
    switch (action) {
      case SET_IMAGE -> {
        Workload w = randomWorkload(ns);
        String image = w.image() + ":" + newTag(w.name());
        r.uri = target(r, w.resource(), ns, w.name(), null) + "?fieldManager=kubectl-set";
        r.requestObject = g -> setImage(g, w, image, reference);
        r.responseObject = g -> workload(g, w, image, 3, uuid("workload/" + w.name()), reference);
      }
      case RESTART_ROLLOUT -> {
        Workload w = randomWorkloadOfKind(ns, "Deployment");
        String at = Instant.ofEpochSecond(micros / 1_000_000L).toString();
        r.uri = target(r, "deployments", ns, w.name(), null) + "?fieldManager=kubectl-rollout";
        r.requestObject = g -> restart(g, at, reference);
        String image = w.image() + ":" + tag(w.name());
        r.responseObject = g -> workload(g, w, image, 3, uuid("workload/" + w.name()), reference);
      }
      case SCALE -> {
        Workload w = randomWorkloadOfKind(ns, "Deployment");
        int replicas = 2 + rng.nextInt(9);
        r.uri = target(r, "deployments", ns, w.name(), "scale") + "?fieldManager=kubectl-scale";
        r.requestObject = g -> scale(g, null, replicas, null);
        r.responseObject = g -> scale(g, w, replicas, uuid("workload/" + w.name()));
      }
      case CREATE_DEPLOYMENT -> {
        Workload base = randomWorkloadOfKind(ns, "Deployment");
        String name =
            base.name()
                + "-"
                + KubernetesCatalog.pick(List.of("canary", "blue", "v2", "shadow"), rng);
        Workload w = new Workload(ns, "Deployment", name, base.image());
        String image = w.image() + ":" + newTag(base.name());
        r.uri =
            target(r, "deployments", ns, null, null)
                + "?fieldManager=kubectl-client-side-apply&fieldValidation=Strict";
        created(r, name);
        r.requestObject = g -> workload(g, w, image, 1, null, reference);
        r.responseObject = g -> workload(g, w, image, 1, uuid("workload/" + name), reference);
      }
      case DELETE_DEPLOYMENT -> {
        Workload w = randomWorkloadOfKind(ns, "Deployment");
        deleted(
            r,
            "deployments",
            ns,
            w.name() + "-" + KubernetesCatalog.pick(List.of("canary", "blue", "old"), rng));
      }
      case DELETE_POD -> deleted(r, "pods", ns, podName(randomWorkload(ns)));
      case CREATE_PRIVILEGED_POD, CREATE_HOSTPATH_POD -> {
        boolean privileged = action == KubernetesAction.CREATE_PRIVILEGED_POD;
        String name = "debug-" + random(NAME_CHARS, 5);
        r.uri = target(r, "pods", ns, null, null) + "?fieldManager=kubectl-run";
        created(r, name);
        r.requestObject = g -> debugPod(g, name, ns, privileged, null, reference);
        r.responseObject = g -> debugPod(g, name, ns, privileged, uuid("pod/" + name), reference);
        r.annotations.put("pod-security.kubernetes.io/enforce-policy", "privileged:latest");
        r.annotations.put(
            "pod-security.kubernetes.io/audit-violations",
            privileged
                ? "would violate PodSecurity \"restricted:latest\": privileged (container \"debug\""
                    + " must not set securityContext.privileged=true)"
                : "would violate PodSecurity \"restricted:latest\": restricted volume types"
                    + " (volume \"host-root\" uses restricted volume type \"hostPath\")");
      }
      case CREATE_CONFIGMAP, CREATE_SECRET -> {
        String name =
            KubernetesCatalog.pick(KubernetesCatalog.names(resource, ns), rng)
                + "-"
                + random(NAME_CHARS, 4);
        r.uri =
            target(r, resource, ns, null, null)
                + "?fieldManager=kubectl-create&fieldValidation=Strict";
        created(r, name);
      }
      case PATCH_CONFIGMAP, PATCH_SECRET -> {
        String name = KubernetesCatalog.pick(KubernetesCatalog.names(resource, ns), rng);
        String manager = rng.nextBoolean() ? "kubectl-edit" : "kubectl-client-side-apply";
        r.uri = target(r, resource, ns, name, null) + "?fieldManager=" + manager;
      }
      case DELETE_CONFIGMAP, DELETE_SECRET, DELETE_ROLEBINDING, DELETE_NETWORKPOLICY, DELETE_PVC ->
          deleted(
              r, resource, ns, KubernetesCatalog.pick(KubernetesCatalog.names(resource, ns), rng));
      case CREATE_ROLEBINDING -> {
        String subject = "oidc:" + randomPerson().email();
        String name = "oncall-" + random(NAME_CHARS, 5);
        String role = KubernetesCatalog.pick(List.of("edit", "admin", "view"), rng);
        r.uri =
            target(r, "rolebindings", ns, null, null)
                + "?fieldManager=kubectl-create&fieldValidation=Strict";
        created(r, name);
        r.requestObject = g -> binding(g, "RoleBinding", name, ns, role, subject, null, reference);
        r.responseObject =
            g -> binding(g, "RoleBinding", name, ns, role, subject, uuid("rb/" + name), reference);
      }
      case PATCH_CLUSTERROLE -> {
        String name = KubernetesCatalog.pick(KubernetesCatalog.CLUSTER_ROLES, rng);
        r.uri = target(r, "clusterroles", null, name, null) + "?fieldManager=kubectl-edit";
        r.requestObject = g -> clusterRole(g, name, null, reference);
        r.responseObject = g -> clusterRole(g, name, uuid("cr/" + name), reference);
      }
      case CREATE_CLUSTERROLEBINDING -> {
        String subject = "oidc:" + randomPerson().email();
        String name =
            KubernetesCatalog.pick(KubernetesCatalog.CLUSTER_ROLE_BINDINGS, rng)
                + "-"
                + random(NAME_CHARS, 4);
        String role =
            KubernetesCatalog.pick(List.of("cluster-admin", "view", "secret-reader"), rng);
        r.uri =
            target(r, "clusterrolebindings", null, null, null)
                + "?fieldManager=kubectl-create&fieldValidation=Strict";
        created(r, name);
        r.requestObject =
            g -> binding(g, "ClusterRoleBinding", name, null, role, subject, null, reference);
        r.responseObject =
            g ->
                binding(
                    g,
                    "ClusterRoleBinding",
                    name,
                    null,
                    role,
                    subject,
                    uuid("crb/" + name),
                    reference);
      }
      case PATCH_WEBHOOK -> {
        String name = KubernetesCatalog.pick(KubernetesCatalog.WEBHOOKS, rng);
        String policy = rng.nextBoolean() ? "Ignore" : "Fail";
        r.uri =
            target(r, "validatingwebhookconfigurations", null, name, null)
                + "?fieldManager=kubectl-patch";
        if (reference == null) {
          // kubectl patch --type=json: the body is the JSON-patch array itself.
          r.requestObject =
              g -> {
                g.writeStartArray();
                g.writeStartObject();
                g.writeStringField("op", "replace");
                g.writeStringField("path", "/webhooks/0/failurePolicy");
                g.writeStringField("value", policy);
                g.writeEndObject();
                g.writeEndArray();
              };
        } else {
          r.requestObject = g -> webhook(g, name, policy, null, reference);
        }
        r.responseObject = g -> webhook(g, name, policy, uuid("vwc/" + name), reference);
      }
      case DELETE_WEBHOOK ->
          deleted(
              r,
              "validatingwebhookconfigurations",
              null,
              KubernetesCatalog.pick(KubernetesCatalog.WEBHOOKS, rng));
      case PATCH_SERVICE -> {
        String name = KubernetesCatalog.pick(KubernetesCatalog.names("services", ns), rng);
        r.uri = target(r, "services", ns, name, null) + "?fieldManager=kubectl-patch";
        r.requestObject = g -> servicePatch(g, null, null, reference);
        r.responseObject = g -> servicePatch(g, name, ns, reference);
      }
      case CREATE_NETWORKPOLICY -> {
        String name =
            KubernetesCatalog.pick(KubernetesCatalog.names("networkpolicies", ns), rng)
                + "-"
                + random(NAME_CHARS, 4);
        r.uri =
            target(r, "networkpolicies", ns, null, null)
                + "?fieldManager=kubectl-client-side-apply&fieldValidation=Strict";
        created(r, name);
        r.requestObject = g -> networkPolicy(g, name, ns, null, reference);
        r.responseObject = g -> networkPolicy(g, name, ns, uuid("np/" + name), reference);
      }
      case PATCH_INGRESS -> {
        String name = KubernetesCatalog.pick(KubernetesCatalog.names("ingresses", ns), rng);
        String secret = name + "-tls-" + (2026 + rng.nextInt(2));
        r.uri = target(r, "ingresses", ns, name, null) + "?fieldManager=kubectl-patch";
        r.requestObject = g -> ingressPatch(g, name, secret, reference, false);
        r.responseObject = g -> ingressPatch(g, name, secret, reference, true);
      }
      case SUSPEND_CRONJOB -> {
        String name = KubernetesCatalog.pick(KubernetesCatalog.names("cronjobs", ns), rng);
        boolean suspend = rng.nextDouble() < 0.6;
        r.uri = target(r, "cronjobs", ns, name, null) + "?fieldManager=kubectl-patch";
        r.requestObject = g -> suspend(g, null, suspend, reference);
        r.responseObject = g -> suspend(g, name, suspend, reference);
      }
      case CREATE_JOB -> {
        String cron = KubernetesCatalog.pick(KubernetesCatalog.names("cronjobs", ns), rng);
        String name = cron + "-manual-" + random(NAME_CHARS, 3);
        String image = randomWorkload(ns).image() + ":" + tag(ns);
        r.uri =
            target(r, "jobs", ns, null, null)
                + "?fieldManager=kubectl-create&fieldValidation=Strict";
        created(r, name);
        r.requestObject = g -> job(g, name, ns, image, cron, false, null, reference);
        r.responseObject = g -> job(g, name, ns, image, cron, true, uuid("job/" + name), reference);
      }
      case DELETE_JOB -> {
        String cron = KubernetesCatalog.pick(KubernetesCatalog.names("cronjobs", ns), rng);
        deleted(r, "jobs", ns, cron + "-" + (29_300_000 + rng.nextInt(90_000)));
      }
      case RESIZE_PVC -> {
        String name =
            KubernetesCatalog.pick(KubernetesCatalog.names("persistentvolumeclaims", ns), rng);
        String size = KubernetesCatalog.pick(List.of("50Gi", "100Gi", "200Gi", "500Gi"), rng);
        r.uri = target(r, "persistentvolumeclaims", ns, name, null) + "?fieldManager=kubectl-patch";
        r.requestObject = g -> pvcPatch(g, null, size, reference);
        r.responseObject = g -> pvcPatch(g, name, size, reference);
      }
      case EXEC_CREATE, EXEC_GET, ATTACH_GET, PORTFORWARD_GET, PORTFORWARD_CREATE -> {
        Workload w = randomWorkload(ns);
        String pod = podName(w);
        String path = target(r, "pods", ns, pod, action.subresource());
        r.uri =
            switch (action.subresource()) {
              case "exec" ->
                  path
                      + KubernetesCatalog.pick(
                          List.of(
                              "?command=sh",
                              "?command=bash",
                              "?command=%2Fbin%2Fsh&command=-c&command=env",
                              "?command=cat&command=%2Fetc%2Fconfig%2Fapp.yaml"),
                          rng)
                      + "&container="
                      + w.name()
                      + "&stdin=true&stdout=true&tty=true";
              case "attach" -> path + "?container=" + w.name() + "&stdin=true&stdout=true&tty=true";
              default -> path;
            };
        r.longRunning = true;
        r.startedCode = 101;
        r.code = 101;
      }
      default -> throw new IllegalStateException(action.name());
    }
    if (r.code == 200 && verb.equals("create")) {
      r.code = 201;
    }
    nextResourceVersion();
  }

  private static void created(Request r, String name) {
    r.name = name;
    r.nameFromBody = true;
  }

  private void deleted(Request r, String resource, String ns, String name) {
    r.uri = target(r, resource, ns, name, null);
    String group = API.get(resource)[0];
    String uid = uuid(resource + "/" + name);
    if (!r.level.equals("Metadata")) {
      r.requestObject = KubernetesEventWriter::deleteOptions;
      r.responseObject = g -> deleted(g, name, group, resource, uid);
    }
  }

  // ========================================================================= bodies

  private static void deleteOptions(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("kind", "DeleteOptions");
    g.writeStringField("apiVersion", "meta.k8s.io/__internal");
    g.writeStringField("propagationPolicy", "Background");
    g.writeEndObject();
  }

  private static void deleted(JsonGenerator g, String name, String group, String kind, String uid)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("kind", "Status");
    g.writeStringField("apiVersion", "v1");
    g.writeObjectFieldStart("metadata");
    g.writeEndObject();
    g.writeStringField("status", "Success");
    g.writeObjectFieldStart("details");
    g.writeStringField("name", name);
    if (!group.isEmpty()) {
      g.writeStringField("group", group);
    }
    g.writeStringField("kind", kind);
    g.writeStringField("uid", uid);
    g.writeEndObject();
    g.writeEndObject();
  }

  /**
   * Object metadata. With {@code uid} the object as stored (uid, resourceVersion, creation time);
   * without, as sent.
   */
  private void meta(
      JsonGenerator g,
      String name,
      String ns,
      Map<String, String> labels,
      String reference,
      String uid,
      Map<String, String> annotations)
      throws IOException {
    g.writeObjectFieldStart("metadata");
    if (name != null) {
      g.writeStringField("name", name);
    }
    if (ns != null) {
      g.writeStringField("namespace", ns);
    }
    if (uid != null) {
      g.writeStringField("uid", uid);
      g.writeStringField("resourceVersion", Long.toString(resourceVersion));
      if (serializing != null && serializing.verb.equals("create")) {
        g.writeNumberField("generation", 1);
        g.writeStringField(
            "creationTimestamp",
            Instant.ofEpochSecond(serializing.received / 1_000_000L).toString());
      } else {
        // An object that has existed for months.
        g.writeNumberField("generation", 1 + Math.floorMod(mix(uid.hashCode()), 40));
        g.writeStringField(
            "creationTimestamp",
            "2026-0"
                + (1 + index(uid, 8))
                + "-1"
                + index(uid + "d", 10)
                + "T09:"
                + (10 + index(uid + "m", 50))
                + ":07Z");
      }
    }
    if (labels != null && !labels.isEmpty()) {
      g.writeObjectFieldStart("labels");
      for (Map.Entry<String, String> e : labels.entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    }
    if (reference != null || (annotations != null && !annotations.isEmpty())) {
      g.writeObjectFieldStart("annotations");
      if (annotations != null) {
        for (Map.Entry<String, String> e : annotations.entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
      }
      if (reference != null) {
        g.writeStringField("change-id", reference);
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static Map<String, String> appLabels(String name) {
    return Map.of("app.kubernetes.io/name", name);
  }

  /** An object's kind, apiVersion and metadata (see {@link #meta}), without annotations. */
  private void head(
      JsonGenerator g,
      String kind,
      String apiVersion,
      String name,
      String ns,
      Map<String, String> labels,
      String reference,
      String uid)
      throws IOException {
    g.writeStringField("kind", kind);
    g.writeStringField("apiVersion", apiVersion);
    meta(g, name, ns, labels, reference, uid, null);
  }

  /**
   * The metadata of a patch as kubectl sends it: the change-id annotation only, if there is one.
   */
  private void patchMeta(JsonGenerator g, String reference) throws IOException {
    if (reference != null) {
      meta(g, null, null, null, reference, null, null);
    }
  }

  private void setImage(JsonGenerator g, Workload w, String image, String reference)
      throws IOException {
    g.writeStartObject();
    patchMeta(g, reference);
    g.writeObjectFieldStart("spec");
    g.writeObjectFieldStart("template");
    g.writeObjectFieldStart("spec");
    g.writeArrayFieldStart("containers");
    g.writeStartObject();
    g.writeStringField("name", w.name());
    g.writeStringField("image", image);
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
  }

  private void restart(JsonGenerator g, String at, String reference) throws IOException {
    g.writeStartObject();
    patchMeta(g, reference);
    g.writeObjectFieldStart("spec");
    g.writeObjectFieldStart("template");
    g.writeObjectFieldStart("metadata");
    g.writeObjectFieldStart("annotations");
    g.writeStringField("kubectl.kubernetes.io/restartedAt", at);
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
  }

  private void scale(JsonGenerator g, Workload w, int replicas, String uid) throws IOException {
    g.writeStartObject();
    if (w != null) {
      head(g, "Scale", "autoscaling/v1", w.name(), w.namespace(), null, null, uid);
    }
    g.writeObjectFieldStart("spec");
    g.writeNumberField("replicas", replicas);
    g.writeEndObject();
    if (w != null) {
      g.writeObjectFieldStart("status");
      g.writeNumberField("replicas", 3);
      g.writeStringField("selector", "app.kubernetes.io/name=" + w.name());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  /** A Deployment, StatefulSet or DaemonSet manifest (as sent) or object (as stored). */
  private void workload(
      JsonGenerator g, Workload w, String image, int replicas, String uid, String reference)
      throws IOException {
    g.writeStartObject();
    head(g, w.kind(), "apps/v1", w.name(), w.namespace(), appLabels(w.name()), reference, uid);
    g.writeObjectFieldStart("spec");
    if (!w.kind().equals("DaemonSet")) {
      g.writeNumberField("replicas", replicas);
    }
    g.writeObjectFieldStart("selector");
    g.writeObjectFieldStart("matchLabels");
    g.writeStringField("app.kubernetes.io/name", w.name());
    g.writeEndObject();
    g.writeEndObject();
    g.writeObjectFieldStart("template");
    g.writeObjectFieldStart("metadata");
    g.writeObjectFieldStart("labels");
    g.writeStringField("app.kubernetes.io/name", w.name());
    g.writeEndObject();
    g.writeEndObject();
    g.writeObjectFieldStart("spec");
    g.writeStringField("serviceAccountName", w.name());
    g.writeArrayFieldStart("containers");
    g.writeStartObject();
    g.writeStringField("name", w.name());
    g.writeStringField("image", image);
    g.writeArrayFieldStart("ports");
    g.writeStartObject();
    g.writeNumberField("containerPort", 8080);
    g.writeStringField("protocol", "TCP");
    g.writeEndObject();
    g.writeEndArray();
    g.writeObjectFieldStart("resources");
    g.writeObjectFieldStart("requests");
    g.writeStringField("cpu", "250m");
    g.writeStringField("memory", "512Mi");
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
    if (uid != null) {
      g.writeObjectFieldStart("status");
      g.writeNumberField("observedGeneration", 1 + Math.floorMod(mix(uid.hashCode()), 40));
      g.writeNumberField("replicas", replicas);
      g.writeNumberField("readyReplicas", replicas);
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private void debugPod(
      JsonGenerator g, String name, String ns, boolean privileged, String uid, String reference)
      throws IOException {
    g.writeStartObject();
    head(g, "Pod", "v1", name, ns, Map.of("run", name), reference, uid);
    g.writeObjectFieldStart("spec");
    g.writeArrayFieldStart("containers");
    g.writeStartObject();
    g.writeStringField("name", "debug");
    g.writeStringField("image", "nicolaka/netshoot:v0.14");
    g.writeArrayFieldStart("command");
    g.writeString("sleep");
    g.writeString("3600");
    g.writeEndArray();
    if (privileged) {
      g.writeObjectFieldStart("securityContext");
      g.writeBooleanField("privileged", true);
      g.writeEndObject();
    } else {
      g.writeArrayFieldStart("volumeMounts");
      g.writeStartObject();
      g.writeStringField("name", "host-root");
      g.writeStringField("mountPath", "/host");
      g.writeEndObject();
      g.writeEndArray();
    }
    g.writeEndObject();
    g.writeEndArray();
    if (privileged) {
      g.writeBooleanField("hostNetwork", true);
      g.writeBooleanField("hostPID", true);
    } else {
      g.writeArrayFieldStart("volumes");
      g.writeStartObject();
      g.writeStringField("name", "host-root");
      g.writeObjectFieldStart("hostPath");
      g.writeStringField("path", "/");
      g.writeStringField("type", "");
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndArray();
    }
    g.writeStringField("restartPolicy", "Never");
    g.writeEndObject();
    if (uid != null) {
      g.writeObjectFieldStart("status");
      g.writeStringField("phase", "Pending");
      g.writeStringField("qosClass", "BestEffort");
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private void binding(
      JsonGenerator g,
      String kind,
      String name,
      String ns,
      String role,
      String subject,
      String uid,
      String reference)
      throws IOException {
    g.writeStartObject();
    head(g, kind, "rbac.authorization.k8s.io/v1", name, ns, null, reference, uid);
    g.writeArrayFieldStart("subjects");
    g.writeStartObject();
    g.writeStringField("kind", "User");
    g.writeStringField("apiGroup", "rbac.authorization.k8s.io");
    g.writeStringField("name", subject);
    g.writeEndObject();
    g.writeEndArray();
    g.writeObjectFieldStart("roleRef");
    g.writeStringField("apiGroup", "rbac.authorization.k8s.io");
    g.writeStringField("kind", "ClusterRole");
    g.writeStringField("name", role);
    g.writeEndObject();
    g.writeEndObject();
  }

  private void clusterRole(JsonGenerator g, String name, String uid, String reference)
      throws IOException {
    g.writeStartObject();
    if (uid != null) {
      head(g, "ClusterRole", "rbac.authorization.k8s.io/v1", name, null, null, reference, uid);
    } else {
      patchMeta(g, reference);
    }
    g.writeArrayFieldStart("rules");
    g.writeStartObject();
    g.writeArrayFieldStart("apiGroups");
    g.writeString("");
    g.writeEndArray();
    g.writeArrayFieldStart("resources");
    g.writeString("pods");
    g.writeString("pods/log");
    g.writeString(name.startsWith("secret") ? "secrets" : "configmaps");
    g.writeEndArray();
    g.writeArrayFieldStart("verbs");
    g.writeString("get");
    g.writeString("list");
    g.writeString("watch");
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
  }

  private void webhook(JsonGenerator g, String name, String policy, String uid, String reference)
      throws IOException {
    g.writeStartObject();
    if (uid != null) {
      head(
          g,
          "ValidatingWebhookConfiguration",
          "admissionregistration.k8s.io/v1",
          name,
          null,
          null,
          reference,
          uid);
    } else {
      patchMeta(g, reference);
    }
    g.writeArrayFieldStart("webhooks");
    g.writeStartObject();
    g.writeStringField("name", "validate." + name.replace("-webhook", "") + ".example.com");
    g.writeStringField("failurePolicy", policy);
    if (uid != null) {
      g.writeStringField("sideEffects", "None");
      g.writeNumberField("timeoutSeconds", 10);
      g.writeArrayFieldStart("admissionReviewVersions");
      g.writeString("v1");
      g.writeEndArray();
    }
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
  }

  private void servicePatch(JsonGenerator g, String name, String ns, String reference)
      throws IOException {
    g.writeStartObject();
    if (name != null) {
      head(g, "Service", "v1", name, ns, appLabels(name), reference, uuid("svc/" + name));
    } else {
      patchMeta(g, reference);
    }
    g.writeObjectFieldStart("spec");
    if (name != null) {
      g.writeStringField("type", "ClusterIP");
      g.writeStringField("clusterIP", "172.20." + index(name, 250) + "." + index(name + "x", 250));
    }
    g.writeArrayFieldStart("ports");
    g.writeStartObject();
    g.writeStringField("name", "https");
    g.writeNumberField("port", 8443);
    g.writeNumberField("targetPort", 8443);
    g.writeStringField("protocol", "TCP");
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndObject();
  }

  private void networkPolicy(JsonGenerator g, String name, String ns, String uid, String reference)
      throws IOException {
    g.writeStartObject();
    head(g, "NetworkPolicy", "networking.k8s.io/v1", name, ns, null, reference, uid);
    g.writeObjectFieldStart("spec");
    g.writeObjectFieldStart("podSelector");
    g.writeEndObject();
    g.writeArrayFieldStart("policyTypes");
    g.writeString("Ingress");
    g.writeEndArray();
    g.writeArrayFieldStart("ingress");
    g.writeStartObject();
    g.writeArrayFieldStart("from");
    g.writeStartObject();
    g.writeObjectFieldStart("namespaceSelector");
    g.writeObjectFieldStart("matchLabels");
    g.writeStringField("kubernetes.io/metadata.name", "ingress-nginx");
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndObject();
  }

  private void ingressPatch(
      JsonGenerator g, String name, String secret, String reference, boolean stored)
      throws IOException {
    g.writeStartObject();
    if (stored) {
      head(
          g,
          "Ingress",
          "networking.k8s.io/v1",
          name,
          null,
          appLabels(name),
          reference,
          uuid("ing/" + name));
    } else {
      patchMeta(g, reference);
    }
    g.writeObjectFieldStart("spec");
    g.writeArrayFieldStart("tls");
    g.writeStartObject();
    g.writeArrayFieldStart("hosts");
    g.writeString(name + ".example.com");
    g.writeEndArray();
    g.writeStringField("secretName", secret);
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndObject();
  }

  private void suspend(JsonGenerator g, String name, boolean suspend, String reference)
      throws IOException {
    g.writeStartObject();
    if (name != null) {
      head(g, "CronJob", "batch/v1", name, null, appLabels(name), reference, uuid("cj/" + name));
    } else {
      patchMeta(g, reference);
    }
    g.writeObjectFieldStart("spec");
    if (name != null) {
      g.writeStringField("schedule", "0 2 * * *");
    }
    g.writeBooleanField("suspend", suspend);
    g.writeEndObject();
    g.writeEndObject();
  }

  private void job(
      JsonGenerator g,
      String name,
      String ns,
      String image,
      String cron,
      boolean stored,
      String uid,
      String reference)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("kind", "Job");
    g.writeStringField("apiVersion", "batch/v1");
    Map<String, String> annotations = new LinkedHashMap<>();
    if (cron != null) {
      annotations.put("cronjob.kubernetes.io/instantiate", "manual");
    } else {
      annotations.put("argocd.argoproj.io/hook", "PreSync");
    }
    meta(g, name, ns, null, reference, stored ? uid : null, annotations);
    g.writeObjectFieldStart("spec");
    g.writeNumberField("backoffLimit", 2);
    g.writeObjectFieldStart("template");
    g.writeObjectFieldStart("spec");
    g.writeArrayFieldStart("containers");
    g.writeStartObject();
    g.writeStringField("name", cron == null ? "migrate" : cron);
    g.writeStringField("image", image);
    g.writeEndObject();
    g.writeEndArray();
    g.writeStringField("restartPolicy", "Never");
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
  }

  private void pvcPatch(JsonGenerator g, String name, String size, String reference)
      throws IOException {
    g.writeStartObject();
    if (name != null) {
      head(g, "PersistentVolumeClaim", "v1", name, null, null, reference, uuid("pvc/" + name));
    } else {
      patchMeta(g, reference);
    }
    g.writeObjectFieldStart("spec");
    g.writeObjectFieldStart("resources");
    g.writeObjectFieldStart("requests");
    g.writeStringField("storage", size);
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
  }

  private void applicationStatus(JsonGenerator g, String app) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart("status");
    g.writeObjectFieldStart("sync");
    g.writeStringField("status", "Synced");
    g.writeStringField("revision", hexFor(app + resourceVersion, 40));
    g.writeEndObject();
    g.writeObjectFieldStart("health");
    g.writeStringField("status", "Healthy");
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
  }

  /** A manifest applied by Argo CD with server-side apply, or the object it produced. */
  private void managed(
      JsonGenerator g,
      String kind,
      String group,
      String version,
      String name,
      String ns,
      String app,
      String uid)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("kind", kind);
    g.writeStringField("apiVersion", group.isEmpty() ? version : group + "/" + version);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/instance", app);
    labels.put("app.kubernetes.io/name", name);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(
        "argocd.argoproj.io/tracking-id",
        app + ":" + (group.isEmpty() ? "" : group) + "/" + kind + ":" + ns + "/" + name);
    meta(g, name, ns, labels, null, uid, annotations);
    g.writeEndObject();
  }

  private static String kind(String resource) {
    return switch (resource) {
      case "deployments" -> "Deployment";
      case "services" -> "Service";
      case "configmaps" -> "ConfigMap";
      case "ingresses" -> "Ingress";
      case "networkpolicies" -> "NetworkPolicy";
      case "cronjobs" -> "CronJob";
      case "secrets" -> "Secret";
      default -> throw new IllegalArgumentException(resource);
    };
  }

  // ========================================================================= ids and names

  /** A random version-4 UUID from the seeded source. */
  private String uuid() {
    return formatUuid(rng.nextLong(), rng.nextLong());
  }

  /** A stable version-4-shaped UUID derived from a key. */
  static String uuid(String key) {
    long a = mix(key.hashCode() * 0x9E3779B97F4A7C15L + key.length());
    long b = mix(a ^ 0xD1B54A32D192ED03L);
    return formatUuid(a, b);
  }

  private static String formatUuid(long hi, long lo) {
    hi = (hi & ~0xF000L) | 0x4000L;
    lo = (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    char[] c = new char[36];
    int p = 0;
    for (int i = 15; i >= 0; i--) {
      if (i == 7 || i == 3) {
        c[p++] = '-';
      }
      c[p++] = HEX[(int) (hi >>> (i * 4)) & 0xF];
    }
    c[p++] = '-';
    for (int i = 15; i >= 0; i--) {
      if (i == 11) {
        c[p++] = '-';
      }
      c[p++] = HEX[(int) (lo >>> (i * 4)) & 0xF];
    }
    return new String(c);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static int index(String key, int n) {
    return (int) Math.floorMod(mix(key.hashCode()), (long) n);
  }

  private String random(String alphabet, int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) {
      c[i] = alphabet.charAt(rng.nextInt(alphabet.length()));
    }
    return new String(c);
  }

  private String hex(int n) {
    return random("0123456789abcdef", n);
  }

  private static String hashName(String key, int n) {
    return derived(key, NAME_CHARS, n);
  }

  private static String suffix(String key) {
    return derived(key, NAME_CHARS, 5);
  }

  private static String upper(String key, int n) {
    return derived(key, UPPER_ALNUM, n);
  }

  private static String hexFor(String key, int n) {
    return derived(key, "0123456789abcdef", n);
  }

  private static String derived(String key, String alphabet, int n) {
    char[] c = new char[n];
    long h = key.hashCode();
    for (int i = 0; i < n; i++) {
      h = mix(h + i + 0x9E3779B97F4A7C15L);
      c[i] = alphabet.charAt((int) Math.floorMod(h, (long) alphabet.length()));
    }
    return new String(c);
  }

  /** The image tag currently deployed for a key (stable). */
  private static String tag(String key) {
    int h = index(key + "/tag", 1000);
    return "v" + (1 + h / 300) + "." + (h % 30) + "." + (h % 7);
  }

  /** A new image tag for a rollout. */
  private String newTag(String key) {
    int h = index(key + "/tag", 1000);
    return "v" + (1 + h / 300) + "." + (h % 30 + 1 + rng.nextInt(3)) + "." + rng.nextInt(10);
  }
}

package dev.vouch.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The fixed cast of the generated Kubernetes cluster {@code prod-eu}: people and how they
 * authenticate, workload and controller identities, nodes, namespaces and the objects in them.
 * Nothing here is random; the generator draws from these lists with its seeded random source.
 */
final class KubernetesCatalog {

  /** The cluster name and the logical system Vouch maps it to. */
  static final String CLUSTER = "prod-eu";

  static final String SYSTEM = "prod-eu";

  /** The AWS account of the EKS access entries (the cluster runs on EKS). */
  static final String AWS_ACCOUNT = "111111111111";

  static final String EKS_ROLE = "eks-admins";

  static final String K8S_VERSION = "v1.34.1";
  static final String EKS_VERSION = "v1.34.1-eks-113cf36";
  static final String K8S_COMMIT = "93248f9";

  static final List<String> NAMESPACES = List.of("payments", "data", "default", "kube-system");

  /** How a person authenticates to the API server. */
  enum Auth {
    /** OIDC with {@code --oidc-username-prefix=oidc:}: {@code oidc:alice@example.com}. */
    OIDC,
    /** An EKS access entry for an IAM role session: the assumed-role ARN, session name = id. */
    IAM,
    /** The kubeadm-style client certificate {@code kubernetes-admin} (and OIDC otherwise). */
    CERT
  }

  /** Which part of the cluster a person changes; approvers change nothing legitimately. */
  enum Team {
    PLATFORM("platform-admins"),
    PAYMENTS("payments-developers"),
    DATA("data-engineers"),
    APPROVERS("engineering-managers");

    private final String group;

    Team(String group) {
      this.group = group;
    }

    String group() {
      return group;
    }

    /** The namespace the team's records mostly target. */
    String homeNamespace() {
      return switch (this) {
        case PLATFORM -> "kube-system";
        case PAYMENTS -> "payments";
        case DATA -> "data";
        case APPROVERS -> "default";
      };
    }
  }

  /** A person who acts in the cluster. */
  record Person(String id, Auth auth, Team team) implements ChangePlanning.HasId {

    boolean approver() {
      return team == Team.APPROVERS;
    }

    String email() {
      return id + "@example.com";
    }

    String oidcUsername() {
      return "oidc:" + email();
    }

    String iamArn() {
      return "arn:aws:sts::" + AWS_ACCOUNT + ":assumed-role/" + EKS_ROLE + "/" + id;
    }

    /** The aliases vouch.yaml lists for this person (the person's id is an alias anyway). */
    List<String> aliases() {
      return switch (auth) {
        case OIDC -> List.of(oidcUsername(), email());
        case IAM -> List.of(id, iamArn(), email());
        case CERT -> List.of("kubernetes-admin", oidcUsername(), email());
      };
    }
  }

  private static final List<String> PLATFORM_NAMES =
      List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy");
  private static final List<String> PAYMENTS_NAMES =
      List.of(
          "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter",
          "wendy", "yolanda", "zoe", "aaron");
  private static final List<String> DATA_NAMES =
      List.of(
          "bianca", "chen", "dmitri", "elena", "farah", "gustavo", "hana", "igor", "jamal", "kenji",
          "lucia", "marek", "nadia");
  private static final List<String> APPROVER_NAMES =
      List.of("omar", "priya", "quentin", "rosa", "sanjay", "tomas");

  /** People who reach the cluster through an EKS access entry (IAM role session). */
  private static final List<String> IAM_PEOPLE = List.of("bob", "frank", "victor", "igor");

  static final List<Person> PEOPLE;

  static {
    List<Person> people = new ArrayList<>();
    addTeam(people, PLATFORM_NAMES, Team.PLATFORM);
    addTeam(people, PAYMENTS_NAMES, Team.PAYMENTS);
    addTeam(people, DATA_NAMES, Team.DATA);
    addTeam(people, APPROVER_NAMES, Team.APPROVERS);
    PEOPLE = Collections.unmodifiableList(people);
  }

  private static void addTeam(List<Person> people, List<String> names, Team team) {
    for (String name : names) {
      Auth auth =
          name.equals("carol") ? Auth.CERT : IAM_PEOPLE.contains(name) ? Auth.IAM : Auth.OIDC;
      people.add(new Person(name, auth, team));
    }
  }

  static List<Person> team(Team team) {
    List<Person> result = new ArrayList<>();
    for (Person p : PEOPLE) {
      if (p.team() == team) {
        result.add(p);
      }
    }
    return result;
  }

  static Person person(String id) {
    for (Person p : PEOPLE) {
      if (p.id().equals(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown person " + id);
  }

  /** An OIDC user from a partner company that nobody mapped to a person. */
  static final String CONTRACTOR = "oidc:j.doe@contractor.example.net";

  /** The CI pipeline's service account: deploys without a person behind it. */
  static final String DEPLOYER_NAMESPACE = "payments";

  static final String DEPLOYER = "payments-deployer";

  static final String ARGOCD_CONTROLLER =
      "system:serviceaccount:argocd:argocd-application-controller";

  // ------------------------------------------------------------------------------ machines

  static final List<String> NODE_IPS =
      List.of(
          "10.0.1.23",
          "10.0.1.87",
          "10.0.1.150",
          "10.0.2.14",
          "10.0.2.66",
          "10.0.2.201",
          "10.0.3.45",
          "10.0.3.119",
          "10.0.3.200");

  static String nodeName(String ip) {
    return "ip-" + ip.replace('.', '-') + ".eu-west-1.compute.internal";
  }

  /** Controllers of kube-controller-manager, each with its own service account in kube-system. */
  static final List<String> CONTROLLER_SAS =
      List.of(
          "replicaset-controller",
          "deployment-controller",
          "endpointslice-controller",
          "endpointslicemirroring-controller",
          "job-controller",
          "cronjob-controller",
          "generic-garbage-collector",
          "namespace-controller",
          "horizontal-pod-autoscaler",
          "daemon-set-controller",
          "statefulset-controller",
          "node-controller",
          "resourcequota-controller",
          "pvc-protection-controller",
          "ttl-after-finished-controller");

  /** Add-ons in kube-system, their service account and user agent. */
  record Addon(String serviceAccount, String userAgent, List<String> reads) {}

  static final List<Addon> ADDONS =
      List.of(
          new Addon(
              "coredns",
              "coredns/v1.12.3 (linux/amd64) kubernetes/v1.12.3",
              List.of("endpointslices", "services", "namespaces")),
          new Addon(
              "aws-node",
              "aws-node/v1.20.3 (linux/amd64) kubernetes/$Format",
              List.of("pods", "nodes", "eniconfigs")),
          new Addon(
              "metrics-server",
              "metrics-server/v0.8.0 (linux/amd64) kubernetes/$Format",
              List.of("nodes", "pods", "configmaps")),
          new Addon(
              "cluster-autoscaler",
              "cluster-autoscaler/v1.34.0 (linux/amd64) kubernetes/$Format",
              List.of("pods", "nodes", "poddisruptionbudgets", "statefulsets", "replicasets")),
          new Addon(
              "ebs-csi-controller-sa",
              "csi-provisioner/v5.3.0 (linux/amd64) kubernetes/$Format",
              List.of("persistentvolumeclaims", "persistentvolumes", "storageclasses")),
          new Addon(
              "aws-load-balancer-controller",
              "aws-load-balancer-controller/v2.14.0 (linux/amd64) kubernetes/$Format",
              List.of("ingresses", "services", "endpointslices", "targetgroupbindings")));

  static final List<String> EKS_USERS =
      List.of(
          "eks:addon-manager",
          "eks:node-manager",
          "eks:certificate-controller",
          "eks:cloud-controller-manager",
          "eks:k8s-metrics");

  /** Service accounts of applications and tools outside kube-system (not excluded by default). */
  record AppAccount(
      String namespace, String name, String userAgent, List<String> reads, boolean watches) {

    String username() {
      return "system:serviceaccount:" + namespace + ":" + name;
    }
  }

  static final List<AppAccount> APP_ACCOUNTS =
      List.of(
          new AppAccount(
              "argocd",
              "argocd-application-controller",
              "argocd-application-controller/v3.1.8+21d8d1b (linux/amd64) kubernetes/$Format",
              List.of("deployments", "services", "configmaps", "ingresses", "applications"),
              true),
          new AppAccount(
              "argocd",
              "argocd-server",
              "argocd-server/v3.1.8+21d8d1b (linux/amd64) kubernetes/$Format",
              List.of("applications", "appprojects", "secrets"),
              true),
          new AppAccount(
              "monitoring",
              "prometheus-k8s",
              "Prometheus/3.6.0",
              List.of("pods", "services", "endpointslices"),
              true),
          new AppAccount(
              "monitoring",
              "kube-state-metrics",
              "kube-state-metrics/v2.17.0 (linux/amd64) kubernetes/$Format",
              List.of("pods", "deployments", "nodes", "jobs", "persistentvolumeclaims"),
              true),
          new AppAccount(
              "cert-manager",
              "cert-manager",
              "cert-manager-controller/v1.18.2 (linux/amd64) cert-manager/$Format",
              List.of("certificates", "secrets", "ingresses"),
              true),
          new AppAccount(
              "external-dns",
              "external-dns",
              "external-dns/v0.19.0",
              List.of("ingresses", "services", "nodes"),
              true),
          new AppAccount(
              "payments",
              "payments-api",
              "payments-api/2.14.0 (linux/amd64) client-go/v0.34.1",
              List.of("configmaps", "secrets"),
              false),
          new AppAccount(
              "payments",
              "ledger-worker",
              "ledger-worker/1.9.2 (linux/amd64) client-go/v0.34.1",
              List.of("configmaps", "leases"),
              false),
          new AppAccount(
              "data",
              "airflow-scheduler",
              "kubernetes/python/33.1.0",
              List.of("pods", "jobs", "configmaps"),
              true));

  static AppAccount app(String namespace, String name) {
    for (AppAccount a : APP_ACCOUNTS) {
      if (a.namespace().equals(namespace) && a.name().equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown service account " + namespace + "/" + name);
  }

  // ------------------------------------------------------------------------------ objects

  /** A workload: a Deployment, StatefulSet or DaemonSet and its container image. */
  record Workload(String namespace, String kind, String name, String image) {

    String resource() {
      return switch (kind) {
        case "Deployment" -> "deployments";
        case "StatefulSet" -> "statefulsets";
        default -> "daemonsets";
      };
    }
  }

  static final List<Workload> WORKLOADS =
      List.of(
          new Workload("payments", "Deployment", "payments-api", "ghcr.io/example/payments-api"),
          new Workload("payments", "Deployment", "checkout-web", "ghcr.io/example/checkout-web"),
          new Workload("payments", "Deployment", "ledger-worker", "ghcr.io/example/ledger-worker"),
          new Workload("payments", "Deployment", "fraud-scorer", "ghcr.io/example/fraud-scorer"),
          new Workload("data", "Deployment", "airflow-scheduler", "apache/airflow"),
          new Workload("data", "Deployment", "airflow-webserver", "apache/airflow"),
          new Workload(
              "data", "Deployment", "warehouse-loader", "ghcr.io/example/warehouse-loader"),
          new Workload("data", "StatefulSet", "kafka", "bitnami/kafka"),
          new Workload("default", "Deployment", "status-page", "ghcr.io/example/status-page"),
          new Workload("default", "Deployment", "debug-tools", "nicolaka/netshoot"),
          new Workload(
              "kube-system",
              "Deployment",
              "coredns",
              "602401143452.dkr.ecr.eu-west-1.amazonaws" + ".com/eks/coredns"),
          new Workload(
              "kube-system",
              "Deployment",
              "aws-load-balancer-controller",
              "public.ecr.aws/eks/aws-load-balancer-controller"),
          new Workload(
              "kube-system", "Deployment", "metrics-server", "registry.k8s.io/metrics-server"),
          new Workload(
              "kube-system",
              "Deployment",
              "cluster-autoscaler",
              "registry.k8s.io/autoscaling/cluster-autoscaler"),
          new Workload(
              "kube-system",
              "DaemonSet",
              "aws-node",
              "602401143452.dkr.ecr.eu-west-1.amazonaws" + ".com/amazon-k8s-cni"),
          new Workload(
              "kube-system",
              "DaemonSet",
              "kube-proxy",
              "602401143452.dkr.ecr.eu-west-1.amazonaws" + ".com/eks/kube-proxy"));

  static List<Workload> workloads(String namespace) {
    List<Workload> result = new ArrayList<>();
    for (Workload w : WORKLOADS) {
      if (w.namespace().equals(namespace)) {
        result.add(w);
      }
    }
    return result;
  }

  private static final Map<String, List<String>> CONFIG_MAPS =
      Map.of(
          "payments", List.of("payments-api-config", "ledger-worker-config", "feature-flags"),
          "data", List.of("airflow-config", "warehouse-loader-config"),
          "default", List.of("status-page-config"),
          "kube-system", List.of("coredns", "aws-auth", "kube-proxy-config"));

  private static final Map<String, List<String>> SECRETS =
      Map.of(
          "payments", List.of("payments-db-credentials", "stripe-api-key", "payments-tls"),
          "data", List.of("warehouse-credentials", "airflow-fernet-key"),
          "default", List.of("registry-pull-secret"),
          "kube-system", List.of("aws-load-balancer-tls", "ebs-csi-kms-key"));

  private static final Map<String, List<String>> SERVICES =
      Map.of(
          "payments", List.of("payments-api", "checkout-web", "fraud-scorer"),
          "data", List.of("airflow-webserver", "kafka-headless"),
          "default", List.of("status-page"),
          "kube-system", List.of("kube-dns", "metrics-server"));

  private static final Map<String, List<String>> ROLE_BINDINGS =
      Map.of(
          "payments", List.of("payments-developers-edit", "payments-oncall-admin"),
          "data", List.of("data-engineers-edit", "airflow-admin"),
          "default", List.of("default-view"),
          "kube-system", List.of("platform-oncall-admin", "aws-load-balancer-leader-election"));

  private static final Map<String, List<String>> NETWORK_POLICIES =
      Map.of(
          "payments", List.of("default-deny-ingress", "allow-from-ingress-nginx"),
          "data", List.of("default-deny-ingress", "allow-kafka-clients"),
          "default", List.of("allow-prometheus-scrape"),
          "kube-system", List.of("allow-dns"));

  private static final Map<String, List<String>> INGRESSES =
      Map.of(
          "payments", List.of("checkout-web", "payments-api"),
          "data", List.of("airflow-webserver"),
          "default", List.of("status-page"),
          "kube-system", List.of("metrics-server"));

  private static final Map<String, List<String>> CRON_JOBS =
      Map.of(
          "payments", List.of("ledger-reconcile", "settlement-export"),
          "data", List.of("dbt-nightly", "export-to-s3"),
          "default", List.of("status-page-probe"),
          "kube-system", List.of("etcd-defrag-check"));

  private static final Map<String, List<String>> PVCS =
      Map.of(
          "payments", List.of("ledger-archive"),
          "data", List.of("data-kafka-0", "data-kafka-1", "airflow-logs"),
          "default", List.of("status-page-data"),
          "kube-system", List.of("cluster-autoscaler-cache"));

  static final List<String> CLUSTER_ROLES =
      List.of(
          "payments-readonly",
          "data-engineer",
          "secret-reader",
          "platform-debugger",
          "aggregate-metrics-view");

  static final List<String> CLUSTER_ROLE_BINDINGS =
      List.of("platform-admins", "data-engineers-view", "secret-readers", "oncall-debuggers");

  static final List<String> WEBHOOKS =
      List.of("policy-controller-webhook", "aws-load-balancer-webhook", "cert-manager-webhook");

  /** Names of objects of a namespaced resource in a namespace. */
  static List<String> names(String resource, String namespace) {
    Map<String, List<String>> byNamespace =
        switch (resource) {
          case "configmaps" -> CONFIG_MAPS;
          case "secrets" -> SECRETS;
          case "services" -> SERVICES;
          case "rolebindings" -> ROLE_BINDINGS;
          case "networkpolicies" -> NETWORK_POLICIES;
          case "ingresses" -> INGRESSES;
          case "cronjobs", "jobs" -> CRON_JOBS;
          case "persistentvolumeclaims" -> PVCS;
          default -> throw new IllegalArgumentException("no names for " + resource);
        };
    return byNamespace.get(namespace);
  }

  // ------------------------------------------------------------------------------ helpers

  static <T> T pick(List<T> items, SplittableRandom rng) {
    return items.get(rng.nextInt(items.size()));
  }

  private KubernetesCatalog() {}
}

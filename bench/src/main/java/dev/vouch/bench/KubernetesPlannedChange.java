package dev.vouch.bench;

/**
 * A change made by a person (or by an identity that maps to nobody), planned before any event is
 * written so that its verdict can be decided against the change log.
 *
 * @param time epoch second of the change: when the request was received, or for an {@link Edge#END}
 *     boundary change when it completed
 * @param edge whether the change sits exactly on a window edge plus grace
 * @param actor how the caller authenticated
 * @param person the authenticated person's id, or null for an identity that is no person
 * @param effectivePerson the person the request acted as (the impersonated one, if any), or null
 *     when it acted as no known person
 * @param namespace the namespace of the object (ignored by cluster-scoped actions)
 * @param recordId the record the change was planned for, or null
 * @param reference the change id carried in {@code requestObject.metadata.annotations}, or null
 * @param referenceDecides true when only the explicit reference ties the change to its record
 * @param sessionSeconds how long an interactive session (exec, attach, port-forward) lasts, else 0
 */
record KubernetesPlannedChange(
    long time,
    Edge edge,
    ActorKind actor,
    String person,
    String effectivePerson,
    KubernetesAction action,
    String namespace,
    ExpectedVerdict verdict,
    String recordId,
    String reference,
    boolean referenceDecides,
    long sessionSeconds) {

  /** Which window edge (start - grace or end + grace) a boundary change sits on. */
  enum Edge {
    NONE,
    START,
    END
  }

  /** Who is behind the request. */
  enum ActorKind {
    /** A person under their own identity. */
    PERSON,
    /** {@code kubernetes-admin} (carol) impersonating another person: acts as that person. */
    ADMIN_AS_PERSON,
    /** A person impersonating the CI deployer service account: acts as no person. */
    PERSON_AS_DEPLOYER,
    /** The CI deployer service account's own token. */
    DEPLOYER,
    /** An OIDC user nobody mapped to a person. */
    CONTRACTOR
  }

  boolean boundary() {
    return edge != Edge.NONE;
  }
}

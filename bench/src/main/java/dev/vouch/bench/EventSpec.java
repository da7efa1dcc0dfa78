package dev.vouch.bench;

/**
 * One record to write into a delivery file: when, where and what kind. Background records get their
 * actor and action when written; changes by people carry their plan.
 *
 * @param planned the plan of a change by a person, null for background records
 */
record EventSpec(long time, int account, int region, Kind kind, PlannedChange planned) {

  /** What a record is, before its details are drawn. */
  enum Kind {
    READ_ONLY(EventClass.READ_ONLY),
    FAILED(EventClass.FAILED),
    SIGN_IN(EventClass.SIGN_IN),
    DATA(EventClass.DATA),
    /** A successful mutating call made by or through an AWS service: excluded from review. */
    SERVICE_CHANGE(EventClass.CHANGE),
    /** A successful mutating call by a person (or an unmapped IAM user). */
    PERSON_CHANGE(EventClass.CHANGE);

    private final EventClass eventClass;

    Kind(EventClass eventClass) {
      this.eventClass = eventClass;
    }

    EventClass eventClass() {
      return eventClass;
    }
  }

  static EventSpec of(PlannedChange c) {
    return new EventSpec(c.time(), c.account(), c.region(), Kind.PERSON_CHANGE, c);
  }
}

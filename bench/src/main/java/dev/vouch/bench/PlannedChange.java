package dev.vouch.bench;

/**
 * A change made by a person (or an unmapped IAM user), planned before any file is written so that
 * its verdict can be decided against the change log.
 *
 * @param time epoch second of the event
 * @param recordId the record the change was planned for, or null
 * @param boundary true when the event sits exactly on a window edge plus grace
 */
record PlannedChange(
    long time,
    int account,
    int region,
    Catalog.Person person,
    Catalog.Action action,
    ExpectedVerdict verdict,
    String recordId,
    boolean boundary) {

  /**
   * The key that orders changes into delivery files: the file's time span ({@code fileSeconds}
   * long), then account and region.
   */
  long fileKey(long monthStart, long fileSeconds) {
    long slot = (time - monthStart) / fileSeconds;
    return slot * CloudTrailMonthGenerator.PARTITIONS
        + (long) account * Catalog.REGIONS.size()
        + region;
  }
}

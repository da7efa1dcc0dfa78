package dev.vouch.bench;

/** How a generated CloudTrail record is counted; only {@link #CHANGE} gets a verdict. */
enum EventClass {
  CHANGE,
  READ_ONLY,
  FAILED,
  SIGN_IN,
  DATA
}

package dev.vouch.core.model;

/** The result of comparing one matching key (system, implementer, ...) between event and record. */
public enum KeyResult {
  MATCH,
  MISMATCH,
  /** The record does not constrain this key, or the event does not carry it. */
  NOT_SPECIFIED
}

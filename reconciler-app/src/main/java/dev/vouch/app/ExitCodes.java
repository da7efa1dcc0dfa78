package dev.vouch.app;

/** Exit codes of {@code vouch}, documented in the README. */
public final class ExitCodes {
  /** The run is complete and nothing needs review. */
  public static final int OK = 0;

  /** Findings need review: unauthorized or badly controlled changes. */
  public static final int FINDINGS = 1;

  /** The run is incomplete: a source failed, so the absence of findings proves nothing. */
  public static final int INCOMPLETE = 2;

  /** The command line was wrong. */
  public static final int USAGE = 64;

  /**
   * {@code vouch verify} found evidence, a run or the chain head that no longer matches what was
   * recorded.
   */
  public static final int VERIFY_FAILED = 65;

  /** {@code vouch notify test}: a channel did not take the message. */
  public static final int UNAVAILABLE = 69;

  /** Vouch itself failed unexpectedly (a bug or an environment problem); the message says which. */
  public static final int INTERNAL = 70;

  /** The store, or the report directory, could not be opened, read or written. */
  public static final int STORE_ERROR = 74;

  /** Another reconciliation was running on the store; nothing was done (sysexits' TEMPFAIL). */
  public static final int BUSY = 75;

  /** The configuration has problems. */
  public static final int CONFIG = 78;

  private ExitCodes() {}

  /** An I/O failure in words: the message, or the kind of failure when there is none. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    String kind =
        switch (e.getClass().getSimpleName()) {
          case "NoSuchFileException" -> "no such file or directory";
          case "AccessDeniedException" -> "permission denied";
          case "FileAlreadyExistsException" -> "a file is in the way";
          case "NotDirectoryException" -> "not a directory";
          case "DirectoryNotEmptyException" -> "directory not empty";
          case "FileSystemException" -> "file system error";
          default -> null;
        };
    if (message == null || message.isBlank()) {
      return kind != null ? kind : e.getClass().getSimpleName();
    }
    return kind != null && !message.contains(kind) ? message + " (" + kind + ")" : message;
  }
}

package dev.vouch.core.run;

/** Turns a failure into the one line a run report shows. */
final class Messages {
  private Messages() {}

  /** The failure's message, with its cause's when that adds something. */
  static String of(Throwable e) {
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !text.contains(cause.getMessage())) {
      text += ": " + cause.getMessage();
    }
    return text;
  }
}

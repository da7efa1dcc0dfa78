package dev.vouch.app;

/**
 * Makes text safe to open in a spreadsheet. A cell that starts with {@code =}, {@code +}, {@code
 * -}, {@code @}, a tab or a carriage return is read by Excel, LibreOffice and Google Sheets as a
 * formula, so a git author named {@code =HYPERLINK(...)} could run one in an auditor's spreadsheet;
 * such a cell is prefixed with an apostrophe, which spreadsheets show as text. Every CSV Vouch
 * writes goes through here.
 */
final class CsvCells {
  private CsvCells() {}

  static String text(String value) {
    if (value.isEmpty()) {
      return value;
    }
    char first = value.charAt(0);
    return switch (first) {
      case '=', '+', '-', '@', '\t', '\r' -> "'" + value;
      default -> value;
    };
  }
}

package dev.vouch.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * SHA-256 over a row's columns, in an encoding that cannot be confused: each value is written as
 * its length in UTF-8 bytes, a colon and the bytes, null as a dash. So {@code ("ab", "c")} and
 * {@code ("a", "bc")} hash differently, and no separator inside a value can fake a column boundary.
 * Used for every row hash and for the run links of the hash chain.
 */
final class RowHash {
  private static final byte[] NULL = "-;".getBytes(StandardCharsets.UTF_8);

  private final MessageDigest digest;

  RowHash() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }

  RowHash add(@Nullable String value) {
    if (value == null) {
      digest.update(NULL);
    } else {
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      digest.update((bytes.length + ":").getBytes(StandardCharsets.UTF_8));
      digest.update(bytes);
      digest.update((byte) ';');
    }
    return this;
  }

  RowHash add(long value) {
    return add(Long.toString(value));
  }

  String hex() {
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The hash of one row's values. */
  static String of(@Nullable Object... values) {
    RowHash hash = new RowHash();
    for (Object value : values) {
      hash.add(value == null ? null : value.toString());
    }
    return hash.hex();
  }
}

package dev.vouch.app.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a generic webhook's request: {@code X-Vouch-Signature: sha256=<hex>}, the
 * lower-case hex HMAC-SHA256, keyed with the notification's {@code secret}, of the bytes {@code
 * <timestamp>.<body>}, where {@code <timestamp>} is the decimal Unix time in seconds sent in {@code
 * X-Vouch-Timestamp}. Binding the time into the signature lets a receiver refuse an old request
 * replayed by whoever recorded it, as Stripe's and Slack's signed requests do.
 */
public final class Signature {
  public static final String SIGNATURE_HEADER = "X-Vouch-Signature";
  public static final String TIMESTAMP_HEADER = "X-Vouch-Timestamp";
  public static final String PREFIX = "sha256=";

  private Signature() {}

  /** The {@code X-Vouch-Signature} value for a body sent at {@code timestamp}. */
  public static String sign(String secret, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return PREFIX + java.util.HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      // Every JDK provides HmacSHA256, and any non-empty key is valid for it.
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}

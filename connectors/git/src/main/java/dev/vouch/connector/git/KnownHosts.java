package dev.vouch.connector.git;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.config.hosts.KnownHostHashValue;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.jspecify.annotations.Nullable;

/**
 * The server host keys Vouch trusts: those one known_hosts file names for the host, and nothing
 * else. A key that is not there is refused — there is no "accept new" and no prompt — and so is a
 * key marked {@code @revoked}. The refusal is remembered, so that the pull's failure can name the
 * host and the offered key's fingerprint.
 *
 * <p>Entries are matched as OpenSSH matches them: plain or hashed ({@code |1|…}) host names, a
 * non-standard port written {@code [host]:port}, patterns and negations. The host is the one the
 * repository URL names (as OpenSSH does with {@code CheckHostIP no}). Host certificates ({@code
 * @cert-authority}) are not supported.
 */
final class KnownHosts implements ServerKeyDatabase {
  static final String REVOKED = "revoked";

  private final Path file;
  private final List<KnownHostEntry> entries;
  private final AtomicReference<@Nullable String> refusal = new AtomicReference<>();
  private volatile boolean accepted;

  private KnownHosts(Path file, List<KnownHostEntry> entries) {
    this.file = file;
    this.entries = List.copyOf(entries);
  }

  /** Reads the file; a line that is not a known_hosts entry is skipped. */
  static KnownHosts read(Path file) throws IOException {
    return new KnownHosts(file, KnownHostEntry.readKnownHostEntries(file));
  }

  @Override
  public List<PublicKey> lookup(
      String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
    return keys(connectAddress, null);
  }

  @Override
  public boolean accept(
      String connectAddress,
      InetSocketAddress remoteAddress,
      PublicKey serverKey,
      Configuration config,
      @Nullable CredentialsProvider provider) {
    if (contains(keys(connectAddress, REVOKED), serverKey)) {
      refusal.set(
          "the host key "
              + describe(serverKey)
              + " of "
              + connectAddress
              + " is marked @revoked in known_hosts "
              + file
              + "; refusing to connect");
      return false;
    }
    List<PublicKey> known = keys(connectAddress, null);
    if (contains(known, serverKey)) {
      accepted = true;
      return true;
    }
    if (known.isEmpty()) {
      Address address = Address.parse(connectAddress);
      refusal.set(
          "the host key of "
              + connectAddress
              + " is not in known_hosts "
              + file
              + ": the server offered "
              + describe(serverKey)
              + "; if that is the server's key (compare the fingerprint with the one its owner"
              + " or hosting service publishes), add it to the file, for example with ssh-keyscan"
              + (address.port() == 22 ? "" : " -p " + address.port())
              + " "
              + address.host());
    } else {
      List<String> held = new ArrayList<>();
      known.forEach(key -> held.add(describe(key)));
      refusal.set(
          "the host key of "
              + connectAddress
              + " does not match known_hosts "
              + file
              + ": the server offered "
              + describe(serverKey)
              + ", and the file holds "
              + String.join(", ", held)
              + " for it; the server's key changed or someone is in between: check with the"
              + " server's owner before replacing the entry");
    }
    return false;
  }

  /** Why the last host key was refused, or null when none was. */
  @Nullable String refusal() {
    return refusal.get();
  }

  /** Whether a host key was accepted (so a later failure is not about the server's identity). */
  boolean accepted() {
    return accepted;
  }

  /** {@code ssh-ed25519 SHA256:…}: the key's type and the fingerprint OpenSSH shows. */
  static String describe(PublicKey key) {
    return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
  }

  private List<PublicKey> keys(String connectAddress, @Nullable String marker) {
    Address address = Address.parse(connectAddress);
    List<PublicKey> keys = new ArrayList<>();
    for (KnownHostEntry entry : entries) {
      if (!Objects.equals(entry.getMarker(), marker)
          || entry.getKeyEntry() == null
          || !entry.isHostMatch(address.host(), address.port())) {
        continue;
      }
      try {
        PublicKey key =
            entry
                .getKeyEntry()
                .resolvePublicKey(null, Collections.emptyMap(), PublicKeyEntryResolver.IGNORING);
        if (key != null) {
          keys.add(key);
        }
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        // a key type this client cannot read cannot be the one it accepts either
      }
    }
    return keys;
  }

  private static boolean contains(List<PublicKey> keys, PublicKey key) {
    return keys.stream().anyMatch(k -> KeyUtils.compareKeys(k, key));
  }

  /** A host and port, from JGit's connect address: {@code host}, or {@code [host]:port}. */
  record Address(String host, int port) {
    static Address parse(String text) {
      if (text.startsWith("[")) {
        int close = text.indexOf("]:");
        if (close > 0) {
          try {
            return new Address(
                text.substring(1, close), Integer.parseInt(text.substring(close + 2)));
          } catch (NumberFormatException e) {
            // not a port: take the text as a host
          }
        }
      }
      return new Address(text, 22);
    }

    /** {@code host} on port 22, else {@code [host]:port}: how known_hosts names it. */
    static String of(String host, int port) {
      return KnownHostHashValue.createHostPattern(host, port <= 0 ? 22 : port);
    }
  }

  @Override
  public String toString() {
    return "KnownHosts[" + file + ", " + entries.size() + " entries]";
  }
}

package dev.vouch.connector.git;

import dev.vouch.core.spi.SettingsNode.Secret;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How an {@code ssh://} or {@code git@host:} repository is reached: the client's private key, its
 * passphrase, and the known_hosts file that names the server's host keys. The key file is read at
 * each pull, never kept, and never shown: {@link #toString()} names the files and the passphrase's
 * reference only.
 *
 * @param key the private key file (OpenSSH or PEM format)
 * @param passphrase the key's passphrase, when the key is encrypted
 * @param knownHosts the known_hosts file that must hold the server's host key
 */
record SshSettings(Path key, Optional<Secret> passphrase, Path knownHosts) {
  SshSettings {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(passphrase, "passphrase");
    Objects.requireNonNull(knownHosts, "knownHosts");
  }

  @Override
  public String toString() {
    return "SshSettings[key="
        + key
        + ", passphrase="
        + passphrase.map(Secret::toString).orElse("none")
        + ", knownHosts="
        + knownHosts
        + "]";
  }
}

package dev.vouch.connector.git;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.jspecify.annotations.Nullable;

/**
 * Key pairs made in the test, and written as {@code ssh-keygen} and {@code openssl} write them: the
 * OpenSSH private key format (optionally encrypted with a passphrase: bcrypt KDF and AES-256-CTR),
 * PKCS#8 PEM, and known_hosts lines, plain or hashed ({@code |1|salt|hash}, HMAC-SHA1 computed here
 * with the JDK alone).
 */
final class SshKeys {
  private SshKeys() {}

  static KeyPair ed25519() {
    return generate(KeyPairProvider.SSH_ED25519, 256);
  }

  static KeyPair ecdsa() {
    return generate(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
  }

  static KeyPair rsa() {
    return generate(KeyPairProvider.SSH_RSA, 2048);
  }

  private static KeyPair generate(String type, int size) {
    try {
      return KeyUtils.generateKeyPair(type, size);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code -----BEGIN OPENSSH PRIVATE KEY-----}, encrypted when a passphrase is given. */
  static Path writeOpenSsh(Path file, KeyPair key, @Nullable String passphrase) throws Exception {
    OpenSSHKeyEncryptionContext encryption = null;
    if (passphrase != null) {
      encryption = new OpenSSHKeyEncryptionContext();
      encryption.setPassword(passphrase);
      encryption.setCipherName("AES");
      encryption.setCipherMode("CTR");
      encryption.setCipherType("256");
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "vouch@test", encryption, out);
    }
    return file;
  }

  /**
   * PKCS#8 PEM, as {@code openssl genpkey} writes it: {@code -----BEGIN PRIVATE KEY-----}, or with
   * a passphrase {@code -----BEGIN ENCRYPTED PRIVATE KEY-----} (PBES2: PBKDF2-HMAC-SHA256,
   * AES-256).
   */
  static Path writePem(Path file, KeyPair key, @Nullable String passphrase) throws Exception {
    byte[] der = key.getPrivate().getEncoded();
    String type = "PRIVATE KEY";
    if (passphrase != null) {
      String algorithm = "PBEWithHmacSHA256AndAES_256";
      byte[] salt = new byte[16];
      byte[] iv = new byte[16];
      SecureRandom random = new SecureRandom();
      random.nextBytes(salt);
      random.nextBytes(iv);
      Cipher cipher = Cipher.getInstance(algorithm);
      cipher.init(
          Cipher.ENCRYPT_MODE,
          SecretKeyFactory.getInstance(algorithm)
              .generateSecret(new PBEKeySpec(passphrase.toCharArray())),
          new PBEParameterSpec(salt, 10_000, new IvParameterSpec(iv)));
      // EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier (PBES2 and its parameters),
      // OCTET STRING }, written by hand: JDK 17's EncryptedPrivateKeyInfo cannot name PBES2.
      byte[] pbes2 = {
        0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 1, 5, 13
      };
      byte[] algorithmId = der(0x30, concat(pbes2, cipher.getParameters().getEncoded()));
      der = der(0x30, concat(algorithmId, der(0x04, cipher.doFinal(der))));
      type = "ENCRYPTED PRIVATE KEY";
    }
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    Files.writeString(
        file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    return file;
  }

  private static byte[] der(int tag, byte[] content) {
    int length = content.length;
    byte[] header;
    if (length < 0x80) {
      header = new byte[] {(byte) tag, (byte) length};
    } else if (length < 0x100) {
      header = new byte[] {(byte) tag, (byte) 0x81, (byte) length};
    } else {
      header = new byte[] {(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length};
    }
    return concat(header, content);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  /** A public key as an authorized_keys or known_hosts file writes it: {@code type base64}. */
  static String openSsh(PublicKey key) {
    return PublicKeyEntry.toString(key);
  }

  /** A hashed known_hosts line for {@code [host]:port}, as {@code HashKnownHosts yes} writes. */
  static String hashedKnownHostsLine(String host, int port, PublicKey key) throws Exception {
    byte[] salt = new byte[20];
    new SecureRandom().nextBytes(salt);
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(salt, "HmacSHA1"));
    byte[] hash = mac.doFinal(("[" + host + "]:" + port).getBytes(StandardCharsets.UTF_8));
    Base64.Encoder base64 = Base64.getEncoder();
    return "|1|"
        + base64.encodeToString(salt)
        + "|"
        + base64.encodeToString(hash)
        + " "
        + openSsh(key);
  }
}

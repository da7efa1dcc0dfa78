package dev.vouch.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The hash manifest of an audit pack, {@code manifest.json}, and its check. */
final class PackManifest {
  static final String FILE = "manifest.json";

  private PackManifest() {}

  /** What a check of a pack found: every file changed, added or removed, by its relative path. */
  record Check(List<String> changed, List<String> added, List<String> removed) {
    Check {
      changed = List.copyOf(changed);
      added = List.copyOf(added);
      removed = List.copyOf(removed);
    }

    boolean intact() {
      return changed.isEmpty() && added.isEmpty() && removed.isEmpty();
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Every regular file under the pack, as a relative path with '/', the manifest left out. */
  static TreeSet<String> files(Path dir) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          String name = dir.relativize(p).toString().replace('\\', '/');
          if (!name.equals(FILE)) {
            names.add(name);
          }
        }
      }
    }
    return names;
  }

  /** The hashes of the named files of the pack, by name. */
  static Map<String, String> hashes(Path dir, Iterable<String> names) throws IOException {
    Map<String, String> hashes = new TreeMap<>();
    for (String name : names) {
      hashes.put(name, sha256(dir.resolve(name)));
    }
    return hashes;
  }

  /** Recomputes every file's hash against the manifest, and lists files it does not name. */
  static Check check(Path dir, JsonNode manifest) throws IOException {
    JsonNode files = manifest.path("files");
    List<String> changed = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    TreeSet<String> present = files(dir);
    TreeSet<String> listed = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String name = entry.getKey();
      listed.add(name);
      Path file = dir.resolve(name).normalize();
      if (!file.startsWith(dir.normalize()) || !Files.isRegularFile(file)) {
        removed.add(name);
      } else if (!sha256(file).equals(entry.getValue().asText())) {
        changed.add(name);
      }
    }
    List<String> added = present.stream().filter(name -> !listed.contains(name)).toList();
    return new Check(changed, added, removed);
  }

  static ObjectNode read(Path dir) throws IOException {
    JsonNode node = Json.mapper().readTree(dir.resolve(FILE).toFile());
    if (!(node instanceof ObjectNode object) || !object.path("files").isObject()) {
      throw new IOException(dir.resolve(FILE) + " is not a Vouch pack manifest (no files object)");
    }
    return object;
  }
}

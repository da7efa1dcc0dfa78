package dev.vouch.connector.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.jspecify.annotations.Nullable;

/**
 * A real bare git repository in a temporary directory, standing for the remote ("origin") that a
 * source mirrors. Commits are written through JGit's object API with fixed authors, committers and
 * times; branches are moved (and force-moved, as a force push does) through ref updates.
 */
final class Origin implements AutoCloseable {
  static final ZoneId ZONE = ZoneOffset.ofHours(2);

  static final PersonIdent GITHUB = person("GitHub", "noreply@github.com", "2026-01-01T00:00:00Z");

  private final Path dir;
  private final Repository repository;
  private int sequence;

  private Origin(Path dir, Repository repository) {
    this.dir = dir;
    this.repository = repository;
  }

  /** A new, empty bare repository whose HEAD names {@code defaultBranch}. */
  static Origin create(Path dir, String defaultBranch) {
    try {
      Git git =
          Git.init()
              .setDirectory(dir.toFile())
              .setBare(true)
              .setInitialBranch(defaultBranch)
              .call();
      return new Origin(dir, git.getRepository());
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  static PersonIdent person(String name, String email, String time) {
    return new PersonIdent(name, email, Instant.parse(time), ZONE);
  }

  /** Alice, at the given time. */
  static PersonIdent alice(String time) {
    return person("Alice", "alice@example.com", time);
  }

  Path dir() {
    return dir;
  }

  Repository repository() {
    return repository;
  }

  /** A commit by Alice (author and committer) at one time. */
  ObjectId commit(String message, String time, ObjectId... parents) {
    return commit(alice(time), alice(time), message, false, parents);
  }

  /** A commit with its own tree (one file holding the message), so that no two are equal. */
  ObjectId commit(
      PersonIdent author,
      PersonIdent committer,
      String message,
      boolean signed,
      ObjectId... parents) {
    try (ObjectInserter inserter = repository.newObjectInserter()) {
      ObjectId blob =
          inserter.insert(
              Constants.OBJ_BLOB, (++sequence + " " + message).getBytes(StandardCharsets.UTF_8));
      TreeFormatter tree = new TreeFormatter();
      tree.append("CHANGELOG", FileMode.REGULAR_FILE, blob);
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(inserter.insert(tree));
      commit.setParentIds(parents);
      commit.setAuthor(author);
      commit.setCommitter(committer);
      commit.setMessage(message);
      if (signed) {
        commit.setGpgSignature(
            new GpgSignature(
                ("-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEE\n=abcd\n"
                        + "-----END PGP SIGNATURE-----")
                    .getBytes(StandardCharsets.US_ASCII)));
      }
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Points a branch at a commit, forced when it does not fast-forward (a force push). */
  Origin branch(String name, ObjectId commit) {
    try {
      RefUpdate update = repository.updateRef(Constants.R_HEADS + name);
      update.setNewObjectId(commit);
      update.setForceUpdate(true);
      RefUpdate.Result result = update.update();
      if (result != RefUpdate.Result.NEW
          && result != RefUpdate.Result.FORCED
          && result != RefUpdate.Result.FAST_FORWARD
          && result != RefUpdate.Result.NO_CHANGE) {
        throw new IllegalStateException("cannot move " + name + ": " + result);
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a branch. */
  void deleteBranch(String name) {
    try {
      RefUpdate update = repository.updateRef(Constants.R_HEADS + name);
      update.setForceUpdate(true);
      update.delete();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes {@code branch} the default branch (HEAD). */
  void head(String branch) {
    try {
      repository.updateRef(Constants.HEAD).link(Constants.R_HEADS + branch);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A first-parent chain of {@code count} commits by Alice, {@code step} apart from {@code first},
   * on {@code parent} (null for a new root), all with one tree, written as one pack (a cheap long
   * history).
   */
  ObjectId chain(@Nullable ObjectId parent, int count, Instant first, Duration step) {
    try (ObjectInserter inserter =
        ((ObjectDirectory) repository.getObjectDatabase()).newPackInserter()) {
      ObjectId tree = inserter.insert(new TreeFormatter());
      ObjectId tip = parent;
      for (int i = 0; i < count; i++) {
        PersonIdent who =
            new PersonIdent("Alice", "alice@example.com", first.plus(step.multipliedBy(i)), ZONE);
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        if (tip != null) {
          commit.setParentId(tip);
        }
        commit.setAuthor(who);
        commit.setCommitter(who);
        commit.setMessage("Commit " + i + "\n");
        tip = inserter.insert(commit);
      }
      inserter.flush();
      return java.util.Objects.requireNonNull(tip);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    repository.close();
  }
}

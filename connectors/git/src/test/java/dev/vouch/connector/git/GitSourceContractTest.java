package dev.vouch.connector.git;

import static dev.vouch.connector.git.TestSupport.settings;

import dev.vouch.core.model.TimeWindow;
import dev.vouch.core.spi.ChangeSource;
import dev.vouch.testkit.ChangeSourceContract;
import dev.vouch.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The testkit contract for a windowed source: a repository whose main branch has commits before,
 * inside (one exactly on the split point) and after the window, and a merged feature branch whose
 * own commits are not delivered. Every source instance shares one mirror, as a deployment does.
 */
class GitSourceContractTest extends ChangeSourceContract {
  private static final TimeWindow WINDOW =
      new TimeWindow(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-02T00:00:00Z"));

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.at("2026-10-02T06:00:00Z");
  private Origin origin;
  private List<String> expected;

  private Origin origin() {
    if (origin != null) {
      return origin;
    }
    origin = Origin.create(dir.resolve("origin.git"), "main");
    ObjectId before = origin.commit("Before the window", "2026-09-30T23:59:59Z");
    ObjectId first = origin.commit("At the start", "2026-10-01T00:00:00Z", before);
    ObjectId feature = origin.commit("Feature work", "2026-10-01T08:00:00Z", first);
    ObjectId merge =
        origin.commit(
            "Merge pull request #7 from acme/work", "2026-10-01T09:00:00Z", first, feature);
    ObjectId atSplit = origin.commit("At noon (#8)", "2026-10-01T12:00:00Z", merge);
    ObjectId last = origin.commit("Last of the day", "2026-10-01T23:59:59Z", atSplit);
    ObjectId after = origin.commit("At the end (excluded)", "2026-10-02T00:00:00Z", last);
    origin.branch("main", after).branch("work", feature);
    expected = List.of(first.name(), merge.name(), atSplit.name(), last.name());
    return origin;
  }

  @AfterEach
  void close() {
    if (origin != null) {
      origin.close();
    }
  }

  @Override
  protected ChangeSource createSource() {
    return TestSupport.source(dir, clock, settings(origin(), dir.resolve("mirror.git"), ""));
  }

  @Override
  protected ChangeSource createUnreadableSource() throws Exception {
    Files.createDirectories(dir.resolve("empty"));
    return TestSupport.source(
        dir, clock, "{\"repo\":\"empty/not-a-repo.git\",\"mirror\":\"unreadable-mirror.git\"}");
  }

  @Override
  protected TimeWindow window() {
    return WINDOW;
  }

  @Override
  protected Instant splitPoint() {
    return Instant.parse("2026-10-01T12:00:00Z");
  }

  @Override
  protected Collection<String> expectedNativeIds() {
    origin();
    return expected;
  }
}

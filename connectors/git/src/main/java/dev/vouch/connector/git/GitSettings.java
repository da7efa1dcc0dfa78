package dev.vouch.connector.git;

import dev.vouch.core.spi.SettingsNode.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one {@code git} source, validated by {@link GitSourceFactory}.
 *
 * @param repo where the repository is
 * @param mirror the directory of Vouch's bare mirror of it
 * @param branches the protected branches to read; empty means the remote's default branch
 * @param repoName how systems name the repository (the coordinates' scope)
 * @param pullRequestRepo the {@code owner/repo} pull requests are named with, or null when none
 * @param token the HTTPS token (sent as the password of user {@code x-access-token}), if any
 * @param ssh the key and known_hosts for an ssh repository; empty for any other
 * @param lookback how much further back than the window's start the walk goes, for committer-time
 *     skew along the first-parent chain
 */
record GitSettings(
    RepoLocation repo,
    Path mirror,
    List<String> branches,
    String repoName,
    @Nullable String pullRequestRepo,
    Optional<Secret> token,
    Optional<SshSettings> ssh,
    Duration lookback) {

  GitSettings {
    Objects.requireNonNull(repo, "repo");
    Objects.requireNonNull(mirror, "mirror");
    branches = List.copyOf(branches);
    Objects.requireNonNull(repoName, "repoName");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(ssh, "ssh");
    Objects.requireNonNull(lookback, "lookback");
  }

  @Override
  public String toString() {
    return "GitSettings[repo="
        + repo.shown()
        + ", mirror="
        + mirror
        + ", branches="
        + (branches.isEmpty() ? "(default)" : branches)
        + ", repoName="
        + repoName
        + ", pullRequestRepo="
        + pullRequestRepo
        + ", token="
        + token.map(Secret::toString).orElse("none")
        + ssh.map(s -> ", ssh=" + s).orElse("")
        + ", lookback="
        + lookback
        + "]";
  }
}

package dev.vouch.store;

import dev.vouch.core.run.RunStatus;
import dev.vouch.core.store.Alerts;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link Alerts} in the store's tables {@code alert_plans}, {@code alert_outbox}, {@code
 * alerted_findings}.
 */
final class JdbcAlerts implements Alerts {
  /** Keys looked up per statement when asking which findings a channel has heard of. */
  private static final int KEYS_PER_QUERY = 500;

  private final Connections connections;

  JdbcAlerts(Connections connections) {
    this.connections = connections;
  }

  @Override
  public boolean plan(long runId, Instant now, List<Planned> messages) {
    return connections.write(
        "plan the alerts of run " + runId,
        writer -> {
          try (PreparedStatement mark =
              writer.prepareStatement(
                  "INSERT INTO alert_plans (run_id, planned_at) VALUES (?, ?)"
                      + " ON CONFLICT DO NOTHING")) {
            mark.setLong(1, runId);
            mark.setString(2, now.toString());
            if (mark.executeUpdate() == 0) {
              return false;
            }
          }
          try (PreparedStatement message =
                  writer.prepareStatement(
                      "INSERT INTO alert_outbox (run_id, channel, content_type, body, created_at,"
                          + " next_attempt_ms) VALUES (?, ?, ?, ?, ?, ?)");
              PreparedStatement heard =
                  writer.prepareStatement(
                      "INSERT INTO alerted_findings (channel, event_key, run_id) VALUES (?, ?, ?)"
                          + " ON CONFLICT DO NOTHING")) {
            for (Planned planned : messages) {
              message.setLong(1, runId);
              message.setString(2, planned.channel());
              message.setString(3, planned.contentType());
              message.setBytes(4, planned.body());
              message.setString(5, now.toString());
              message.setLong(6, now.toEpochMilli());
              message.executeUpdate();
              for (String key : planned.eventKeys()) {
                heard.setString(1, planned.channel());
                heard.setString(2, key);
                heard.setLong(3, runId);
                heard.addBatch();
              }
              heard.executeBatch();
            }
          }
          return true;
        });
  }

  @Override
  public List<Long> unplannedRuns(Instant since) {
    return connections.read(
        "find the runs whose alerts are not planned",
        reader -> {
          List<Long> runs = new ArrayList<>();
          try (PreparedStatement select =
              reader.prepareStatement(
                  "SELECT r.id, r.finished_at FROM runs r"
                      + " WHERE r.status IN (?, ?) AND NOT EXISTS"
                      + " (SELECT 1 FROM alert_plans p WHERE p.run_id = r.id) ORDER BY r.id")) {
            select.setString(1, RunStatus.COMPLETE.name());
            select.setString(2, RunStatus.INCOMPLETE.name());
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                String finished = rows.getString(2);
                if (finished != null && !Instant.parse(finished).isBefore(since)) {
                  runs.add(rows.getLong(1));
                }
              }
            }
          }
          return runs;
        });
  }

  @Override
  public Set<String> alerted(String channel, Collection<String> eventKeys) {
    List<String> keys = List.copyOf(eventKeys);
    return connections.read(
        "read which findings " + channel + " has heard of",
        reader -> {
          Set<String> heard = new HashSet<>();
          for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
            List<String> part = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY));
            String marks = String.join(", ", java.util.Collections.nCopies(part.size(), "?"));
            try (PreparedStatement select =
                reader.prepareStatement(
                    "SELECT event_key FROM alerted_findings WHERE channel = ? AND event_key IN ("
                        + marks
                        + ")")) {
              select.setString(1, channel);
              for (int i = 0; i < part.size(); i++) {
                select.setString(2 + i, part.get(i));
              }
              try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                  heard.add(rows.getString(1));
                }
              }
            }
          }
          return heard;
        });
  }

  @Override
  public List<Message> due(Instant now, int limit) {
    return connections.read(
        "read the alerts due",
        reader -> {
          List<Message> due = new ArrayList<>();
          try (PreparedStatement select =
              reader.prepareStatement(
                  "SELECT id, run_id, channel, content_type, body, attempts, last_status"
                      + " FROM alert_outbox WHERE delivered_at IS NULL AND next_attempt_ms <= ?"
                      + " ORDER BY id LIMIT ?")) {
            select.setLong(1, now.toEpochMilli());
            select.setInt(2, limit);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                int status = rows.getInt(7);
                due.add(
                    new Message(
                        rows.getLong(1),
                        rows.getLong(2),
                        rows.getString(3),
                        rows.getString(4),
                        rows.getBytes(5),
                        rows.getInt(6),
                        rows.wasNull() ? null : status));
              }
            }
          }
          return due;
        });
  }

  @Override
  public long waiting() {
    return connections.read(
        "count the alerts waiting",
        reader -> {
          try (PreparedStatement select =
                  reader.prepareStatement(
                      "SELECT COUNT(*) FROM alert_outbox WHERE delivered_at IS NULL");
              ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
          }
        });
  }

  @Override
  public void delivered(long messageId, Instant at, int status) {
    update(
        "mark alert " + messageId + " delivered",
        "UPDATE alert_outbox SET delivered_at = ?, attempts = attempts + 1, last_status = ?,"
            + " last_error = NULL WHERE id = ?",
        statement -> {
          statement.setString(1, at.toString());
          statement.setInt(2, status);
          statement.setLong(3, messageId);
        });
  }

  @Override
  public void failed(long messageId, Instant nextAttempt, int status, String error) {
    update(
        "record a failed attempt of alert " + messageId,
        "UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_ms = ?, last_status = ?,"
            + " last_error = ? WHERE id = ? AND delivered_at IS NULL",
        statement -> {
          statement.setLong(1, nextAttempt.toEpochMilli());
          statement.setInt(2, status);
          statement.setString(3, error.length() > 500 ? error.substring(0, 500) : error);
          statement.setLong(4, messageId);
        });
  }

  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  private void update(String what, String sql, Binder binder) {
    connections.write(
        what,
        writer -> {
          try (PreparedStatement statement = writer.prepareStatement(sql)) {
            binder.bind(statement);
            statement.executeUpdate();
          }
          return null;
        });
  }
}

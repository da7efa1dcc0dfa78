package dev.vouch.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store's connections: one writer, used by one transaction at a time under a lock, and a small
 * pool of readers, so that reads (a long event stream included) never wait for writes and writes
 * never wait for reads.
 */
final class Connections implements AutoCloseable {
  private static final int MAX_IDLE_READERS = 4;

  private final Dialect dialect;
  private final Connection writer;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Deque<Connection> idleReaders = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  Connections(Dialect dialect) throws SQLException {
    this.dialect = dialect;
    this.writer = dialect.openWriter();
  }

  /** A unit of work inside one write transaction. */
  @FunctionalInterface
  interface WriteWork<T> {
    T run(Connection writer) throws SQLException;
  }

  /** A unit of work on a reader connection. */
  @FunctionalInterface
  interface ReadWork<T> {
    T run(Connection reader) throws SQLException;
  }

  /**
   * Runs work in one write transaction: committed when it returns, rolled back when it throws.
   * Transactions from different threads run one after another.
   */
  <T> T write(String what, WriteWork<T> work) {
    writeLock.lock();
    try {
      ensureOpen();
      try {
        dialect.begin(writer);
      } catch (SQLException e) {
        throw new StoreException(
            "cannot start a transaction to " + what + ": " + e.getMessage(), e);
      }
      T result;
      try {
        result = work.run(writer);
        dialect.commit(writer);
      } catch (SQLException e) {
        rollbackQuietly(e);
        throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
      } catch (RuntimeException | Error e) {
        rollbackQuietly(e);
        throw e;
      }
      return result;
    } finally {
      writeLock.unlock();
    }
  }

  /** Runs work on a reader connection borrowed for the duration. */
  <T> T read(String what, ReadWork<T> work) {
    ensureOpen();
    Connection reader = borrow(what);
    try {
      return work.run(reader);
    } catch (SQLException e) {
      throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
    } finally {
      release(reader);
    }
  }

  Dialect dialect() {
    return dialect;
  }

  private void rollbackQuietly(Throwable cause) {
    try {
      dialect.rollback(writer);
    } catch (SQLException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  private Connection borrow(String what) {
    Connection reader = idleReaders.pollFirst();
    if (reader != null) {
      return reader;
    }
    try {
      return dialect.openReader();
    } catch (SQLException e) {
      throw new StoreException("cannot open a connection to " + what + ": " + e.getMessage(), e);
    }
  }

  private void release(Connection reader) {
    if (closed || idleReaders.size() >= MAX_IDLE_READERS) {
      closeQuietly(reader);
      return;
    }
    idleReaders.offerFirst(reader);
    if (closed && idleReaders.remove(reader)) {
      closeQuietly(reader); // close() ran between the check above and the offer
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the store is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
    List<Connection> readers = new ArrayList<>();
    for (Connection reader = idleReaders.pollFirst();
        reader != null;
        reader = idleReaders.pollFirst()) {
      readers.add(reader);
    }
    readers.forEach(Connections::closeQuietly);
    writeLock.lock();
    try {
      closeQuietly(writer);
    } finally {
      writeLock.unlock();
    }
    dialect.close();
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // Nothing is pending on a connection being closed; a failure here loses nothing.
    }
  }
}

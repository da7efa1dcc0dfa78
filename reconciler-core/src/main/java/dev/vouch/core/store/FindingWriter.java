package dev.vouch.core.store;

import dev.vouch.core.model.Finding;

/** Appends the findings of one run. Batched; {@link #close} flushes. Used from a single thread. */
public interface FindingWriter extends AutoCloseable {

  void write(Finding finding);

  @Override
  void close();
}

package dev.vouch.connector.cloudtrail;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The content of a gzip file of one or more members (as {@code cat a.gz b.gz} makes), that fails on
 * anything after a member that is not another whole member.
 *
 * <p>{@link GZIPInputStream} alone reads the members after the first, but ends the stream without a
 * word at bytes after a member that it cannot read as one: a member whose header is corrupt or cut
 * short, or any other trailing data. Whatever those bytes held would be unseen and unreported. Here
 * each member is read by a {@link GZIPInputStream} of its own, and the bytes it read ahead past its
 * end are handed to the next: when they are not a gzip member, reading fails with a {@link
 * ZipException}.
 */
final class GzipMembersInputStream extends InputStream {
  /** A member's trailer: CRC-32 and size, 4 bytes each. */
  private static final int TRAILER = 8;

  private final PushbackInputStream raw;
  private final int bufferSize;
  private Member member;
  private int members = 1;

  /**
   * @throws IOException when the first member's header cannot be read
   */
  GzipMembersInputStream(InputStream in, int bufferSize) throws IOException {
    // The GZIPInputStream of a member must not look past its read-ahead for a next member (it
    // would swallow what it cannot read): the underlying stream says nothing is available.
    this.raw = new PushbackInputStream(new NothingAvailable(in), bufferSize);
    this.bufferSize = bufferSize;
    this.member = new Member(raw, bufferSize);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (true) {
      int n = member.read(b, off, len);
      if (n >= 0) {
        return n;
      }
      if (!nextMember()) {
        return -1;
      }
    }
  }

  /** Starts the member after the current one; false at the end of the file. */
  private boolean nextMember() throws IOException {
    byte[] readAhead = member.readAhead();
    member.end();
    raw.unread(readAhead);
    int next = raw.read();
    if (next < 0) {
      return false;
    }
    raw.unread(next);
    try {
      member = new Member(raw, bufferSize);
    } catch (IOException e) {
      String why = e instanceof EOFException ? "they end within a member header" : e.getMessage();
      ZipException notAMember =
          new ZipException(
              "the bytes after gzip member " + members + " are not a gzip member: " + why);
      notAMember.initCause(e);
      throw notAMember;
    }
    members++;
    return true;
  }

  @Override
  public void close() throws IOException {
    member.end();
    raw.close();
  }

  /** One member, with access to what it read past its end. */
  private static final class Member extends GZIPInputStream {
    Member(InputStream in, int size) throws IOException {
      super(in, size);
    }

    /** The bytes of the file after this member's trailer that it has already taken in. */
    byte[] readAhead() {
      int remaining = inf.getRemaining();
      return remaining > TRAILER
          ? Arrays.copyOfRange(buf, len - remaining + TRAILER, len)
          : new byte[0];
    }

    /** Frees the inflater, leaving the file open for the next member. */
    void end() {
      inf.end();
    }
  }

  /** Passes reads through, but never says more is available without blocking. */
  private static final class NothingAvailable extends FilterInputStream {
    NothingAvailable(InputStream in) {
      super(in);
    }

    @Override
    public int available() {
      return 0;
    }
  }
}

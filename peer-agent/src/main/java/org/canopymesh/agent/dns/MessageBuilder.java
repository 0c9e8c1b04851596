package org.canopymesh.agent.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;

/**
 * A growable byte array that one answer is built in before it is copied into a buffer once: the
 * answer's size is known before a buffer is taken, and building it costs no buffer bookkeeping. One
 * per thread, reused.
 */
final class MessageBuilder {
  private static final FastThreadLocal<MessageBuilder> PER_THREAD =
      new FastThreadLocal<>() {
        @Override
        protected MessageBuilder initialValue() {
          return new MessageBuilder();
        }
      };

  private byte[] b = new byte[1024];
  private int length;

  /** This thread's builder, emptied. */
  static MessageBuilder get() {
    MessageBuilder m = PER_THREAD.get();
    m.length = 0;
    return m;
  }

  int length() {
    return length;
  }

  /** Forgets everything after {@code length}. */
  void truncate(int length) {
    this.length = length;
  }

  private void room(int n) {
    if (length + n > b.length) {
      b = Arrays.copyOf(b, Math.max(b.length * 2, length + n));
    }
  }

  MessageBuilder u8(int v) {
    room(1);
    b[length++] = (byte) v;
    return this;
  }

  MessageBuilder u16(int v) {
    room(2);
    b[length++] = (byte) (v >>> 8);
    b[length++] = (byte) v;
    return this;
  }

  MessageBuilder u32(int v) {
    return u16(v >>> 16).u16(v);
  }

  MessageBuilder u64(long v) {
    return u32((int) (v >>> 32)).u32((int) v);
  }

  MessageBuilder bytes(byte[] src, int from, int n) {
    room(n);
    System.arraycopy(src, from, b, length, n);
    length += n;
    return this;
  }

  MessageBuilder zeros(int n) {
    room(n);
    Arrays.fill(b, length, length + n, (byte) 0);
    length += n;
    return this;
  }

  void setU16(int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  /** The message in a new buffer, which the caller owns. */
  ByteBuf toBuffer(ByteBufAllocator alloc) {
    return alloc.ioBuffer(length).writeBytes(b, 0, length);
  }
}

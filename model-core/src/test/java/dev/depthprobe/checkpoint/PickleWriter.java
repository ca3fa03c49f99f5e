package dev.depthprobe.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Emits pickle opcodes one by one, so tests can build the pickles torch.save writes (and broken ones). */
final class PickleWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  PickleWriter op(int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
    return this;
  }

  PickleWriter proto(int version) {
    return op(0x80, version);
  }

  PickleWriter global(String module, String name) {
    op('c');
    write((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  PickleWriter mark() {
    return op('(');
  }

  PickleWriter str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    op('X');
    write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
    write(b);
    return this;
  }

  /** The smallest of BININT1, BININT2, BININT and LONG1 that holds {@code v}, as pickle picks. */
  PickleWriter integer(long v) {
    if (v >= 0 && v < 0x100) {
      return op('K', (int) v);
    }
    if (v >= 0 && v < 0x10000) {
      return op('M', (int) (v & 0xff), (int) (v >>> 8));
    }
    if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      op('J');
      write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
      return this;
    }
    op(0x8a, 8);
    write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    return this;
  }

  PickleWriter ints(long... values) {
    mark();
    for (long v : values) {
      integer(v);
    }
    return tuple();
  }

  PickleWriter tuple() {
    return op('t');
  }

  PickleWriter emptyTuple() {
    return op(')');
  }

  PickleWriter emptyDict() {
    return op('}');
  }

  PickleWriter none() {
    return op('N');
  }

  PickleWriter newFalse() {
    return op(0x89);
  }

  PickleWriter reduce() {
    return op('R');
  }

  PickleWriter build() {
    return op('b');
  }

  PickleWriter binpersid() {
    return op('Q');
  }

  PickleWriter setitem() {
    return op('s');
  }

  PickleWriter setitems() {
    return op('u');
  }

  PickleWriter binput(int slot) {
    return op('q', slot);
  }

  PickleWriter binget(int slot) {
    return op('h', slot);
  }

  PickleWriter stop() {
    return op('.');
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private void write(byte[] b) {
    out.write(b, 0, b.length);
  }
}

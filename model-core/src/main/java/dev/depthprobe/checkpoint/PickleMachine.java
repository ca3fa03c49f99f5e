package dev.depthprobe.checkpoint;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Runs a pickle, restricted to the opcodes {@code torch.save} emits (protocol 2, and the framing and
 * memo opcodes of protocol 4). Mirrors Python's {@code pickle.Unpickler} with a {@code find_class}
 * that imports nothing: a GLOBAL resolves only through the table it is given, and REDUCE calls only
 * the {@link PyCallable}s in that table. Python values become Java ones: int as {@link Long}, float as
 * {@link Double}, str as {@link String}, tuple as an unmodifiable {@link List}, list as
 * {@link ArrayList}, dict as {@link LinkedHashMap}, None as null.
 */
final class PickleMachine {
  /** A Python callable that a pickle may invoke through REDUCE. */
  @FunctionalInterface
  interface PyCallable {
    Object call(List<Object> args);
  }

  private static final int MARK = '(';
  private static final int STOP = '.';
  private static final int NONE = 'N';
  private static final int BININT = 'J';
  private static final int BININT1 = 'K';
  private static final int BININT2 = 'M';
  private static final int BINFLOAT = 'G';
  private static final int SHORT_BINSTRING = 'U';
  private static final int BINUNICODE = 'X';
  private static final int APPEND = 'a';
  private static final int BUILD = 'b';
  private static final int GLOBAL = 'c';
  private static final int APPENDS = 'e';
  private static final int BINGET = 'h';
  private static final int LONG_BINGET = 'j';
  private static final int BINPUT = 'q';
  private static final int LONG_BINPUT = 'r';
  private static final int SETITEM = 's';
  private static final int TUPLE = 't';
  private static final int SETITEMS = 'u';
  private static final int EMPTY_DICT = '}';
  private static final int EMPTY_LIST = ']';
  private static final int EMPTY_TUPLE = ')';
  private static final int REDUCE = 'R';
  private static final int BINPERSID = 'Q';
  private static final int PROTO = 0x80;
  private static final int NEWTRUE = 0x88;
  private static final int NEWFALSE = 0x89;
  private static final int LONG1 = 0x8a;
  private static final int TUPLE1 = 0x85;
  private static final int TUPLE2 = 0x86;
  private static final int TUPLE3 = 0x87;
  private static final int SHORT_BINUNICODE = 0x8c;
  private static final int STACK_GLOBAL = 0x93;
  private static final int MEMOIZE = 0x94;
  private static final int FRAME = 0x95;

  private final String where;
  private final Function<String, Object> findClass;
  private final Function<Object, Object> persistentLoad;

  /**
   * @param where names the pickle in error messages
   * @param findClass the value of GLOBAL {@code "module.name"}, or null to refuse it
   * @param persistentLoad turns a BINPERSID id into its object (torch's storage loader)
   */
  PickleMachine(String where, Function<String, Object> findClass, Function<Object, Object> persistentLoad) {
    this.where = where;
    this.findClass = findClass;
    this.persistentLoad = persistentLoad;
  }

  /** The object the pickle builds. */
  Object load(byte[] pickle) {
    ByteBuffer in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
    List<Object> stack = new ArrayList<>();
    Deque<Integer> marks = new ArrayDeque<>();
    Map<Long, Object> memo = new HashMap<>();
    while (true) {
      if (!in.hasRemaining()) {
        throw new CheckpointException(where + ": truncated pickle (ends at byte " + in.position()
            + " without STOP)");
      }
      int at = in.position();
      int op = in.get() & 0xff;
      try {
        if (op == STOP) {
          return pop(stack);
        }
        step(op, in, stack, marks, memo);
      } catch (BufferUnderflowException e) {
        throw new CheckpointException(where + ": truncated pickle (opcode " + opName(op) + " at byte " + at
            + " runs past the end, " + pickle.length + " bytes)");
      } catch (ClassCastException | IndexOutOfBoundsException | NoSuchElementException
          | UnsupportedOperationException e) {
        throw new CheckpointException(where + ": corrupt pickle (opcode " + opName(op) + " at byte " + at
            + " does not fit the stack)");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void step(int op, ByteBuffer in, List<Object> stack, Deque<Integer> marks, Map<Long, Object> memo) {
    switch (op) {
      case PROTO -> in.get();
      case FRAME -> in.getLong();
      case MARK -> marks.push(stack.size());
      case NONE -> stack.add(null);
      case NEWTRUE -> stack.add(Boolean.TRUE);
      case NEWFALSE -> stack.add(Boolean.FALSE);
      case BININT -> stack.add((long) in.getInt());
      case BININT1 -> stack.add((long) (in.get() & 0xff));
      case BININT2 -> stack.add((long) (in.getShort() & 0xffff));
      case LONG1 -> stack.add(long1(in));
      case BINFLOAT -> stack.add(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // big-endian
      case BINUNICODE -> stack.add(text(in, in.getInt() & 0xffffffffL, StandardCharsets.UTF_8));
      case SHORT_BINUNICODE -> stack.add(text(in, in.get() & 0xff, StandardCharsets.UTF_8));
      case SHORT_BINSTRING -> stack.add(text(in, in.get() & 0xff, StandardCharsets.ISO_8859_1));
      case EMPTY_DICT -> stack.add(new LinkedHashMap<>());
      case EMPTY_LIST -> stack.add(new ArrayList<>());
      case EMPTY_TUPLE -> stack.add(List.of());
      case TUPLE -> stack.add(tuple(popMark(stack, marks)));
      case TUPLE1, TUPLE2, TUPLE3 -> {
        int n = op - TUPLE1 + 1;
        List<Object> top = stack.subList(stack.size() - n, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        stack.add(tuple(items));
      }
      case BINPUT -> memo.put((long) (in.get() & 0xff), top(stack));
      case LONG_BINPUT -> memo.put(in.getInt() & 0xffffffffL, top(stack));
      case MEMOIZE -> memo.put((long) memo.size(), top(stack));
      case BINGET -> stack.add(memoGet(memo, in.get() & 0xff));
      case LONG_BINGET -> stack.add(memoGet(memo, in.getInt() & 0xffffffffL));
      case GLOBAL -> stack.add(global(line(in), line(in)));
      case STACK_GLOBAL -> {
        String name = (String) pop(stack);
        stack.add(global((String) pop(stack), name));
      }
      case REDUCE -> {
        List<Object> args = (List<Object>) pop(stack);
        Object fn = pop(stack);
        if (!(fn instanceof PyCallable callable)) {
          throw new CheckpointException(where + ": pickle calls a " + typeName(fn) + ", which is not callable");
        }
        stack.add(callable.call(args));
      }
      case BUILD -> {
        pop(stack); // an OrderedDict's state is its attributes (a state_dict's _metadata), not its items
        if (!(top(stack) instanceof Map)) {
          throw new CheckpointException(where + ": pickle sets the state of a " + typeName(top(stack))
              + " (only a dict's attributes, such as OrderedDict._metadata, are accepted)");
        }
      }
      case SETITEM -> {
        Object value = pop(stack);
        Object key = pop(stack);
        ((Map<Object, Object>) top(stack)).put(key, value);
      }
      case SETITEMS -> {
        List<Object> items = popMark(stack, marks);
        Map<Object, Object> dict = (Map<Object, Object>) top(stack);
        if (items.size() % 2 != 0) {
          throw new IndexOutOfBoundsException("SETITEMS with an odd number of items");
        }
        for (int i = 0; i < items.size(); i += 2) {
          dict.put(items.get(i), items.get(i + 1));
        }
      }
      case APPEND -> {
        Object value = pop(stack);
        ((List<Object>) top(stack)).add(value);
      }
      case APPENDS -> {
        List<Object> items = popMark(stack, marks);
        ((List<Object>) top(stack)).addAll(items);
      }
      case BINPERSID -> stack.add(persistentLoad.apply(pop(stack)));
      default -> throw new CheckpointException(where + ": unsupported pickle opcode " + opName(op) + " at byte "
          + (in.position() - 1) + " (torch.save does not emit it; the file is corrupt or not a state dict)");
    }
  }

  private Object global(String module, String name) {
    String key = module + "." + name;
    Object value = findClass.apply(key);
    if (value == null) {
      throw new CheckpointException(where + ": pickle refers to " + key
          + ", which is refused (only state dicts of tensors are loaded)");
    }
    return value;
  }

  private Object memoGet(Map<Long, Object> memo, long index) {
    if (!memo.containsKey(index)) {
      throw new CheckpointException(where + ": corrupt pickle (memo slot " + index + " read before it is set)");
    }
    return memo.get(index);
  }

  private static long long1(ByteBuffer in) {
    int n = in.get() & 0xff;
    if (n > 8) {
      throw new IndexOutOfBoundsException("integer of " + n + " bytes");
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      v |= (in.get() & 0xffL) << (8 * i);
    }
    int unused = 64 - 8 * n;
    return n == 0 ? 0 : (v << unused) >> unused; // sign-extend the two's complement
  }

  private static String text(ByteBuffer in, long length, Charset charset) {
    if (length > in.remaining()) {
      throw new BufferUnderflowException();
    }
    byte[] b = new byte[(int) length];
    in.get(b);
    return new String(b, charset);
  }

  private static String line(ByteBuffer in) {
    StringBuilder s = new StringBuilder();
    for (byte b = in.get(); b != '\n'; b = in.get()) {
      s.append((char) (b & 0xff));
    }
    return s.toString();
  }

  private static List<Object> tuple(List<Object> items) {
    return Collections.unmodifiableList(items);
  }

  private static List<Object> popMark(List<Object> stack, Deque<Integer> marks) {
    List<Object> top = stack.subList(marks.pop(), stack.size());
    List<Object> items = new ArrayList<>(top);
    top.clear();
    return items;
  }

  private static Object pop(List<Object> stack) {
    return stack.remove(stack.size() - 1);
  }

  private static Object top(List<Object> stack) {
    return stack.get(stack.size() - 1);
  }

  private static String typeName(Object value) {
    return value == null ? "None" : value.getClass().getSimpleName();
  }

  private static String opName(int op) {
    return op >= 0x20 && op < 0x7f ? String.format("'%c' (0x%02x)", (char) op, op) : String.format("0x%02x", op);
  }
}

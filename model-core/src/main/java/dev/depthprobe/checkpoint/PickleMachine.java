package dev.depthprobe.checkpoint;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
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

  /** The most objects (values pushed) one pickle may make; a state dict of 10,000 tensors makes some 250,000. */
  static final int MAX_OBJECTS = 2_000_000;
  /** The deepest nesting of containers accepted; a state dict nests 3 deep (its _metadata). */
  static final int MAX_DEPTH = 100;

  private final String where;
  private final Function<String, Object> findClass;
  private final Function<Object, Object> persistentLoad;
  private int objects;

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
          return requireBoundedNesting(pop(stack));
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
      case NONE -> push(stack, null);
      case NEWTRUE -> push(stack, Boolean.TRUE);
      case NEWFALSE -> push(stack, Boolean.FALSE);
      case BININT -> push(stack, (long) in.getInt());
      case BININT1 -> push(stack, (long) (in.get() & 0xff));
      case BININT2 -> push(stack, (long) (in.getShort() & 0xffff));
      case LONG1 -> push(stack, long1(in));
      case BINFLOAT -> push(stack, Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // big-endian
      case BINUNICODE -> push(stack, text(in, in.getInt() & 0xffffffffL, StandardCharsets.UTF_8));
      case SHORT_BINUNICODE -> push(stack, text(in, in.get() & 0xff, StandardCharsets.UTF_8));
      case SHORT_BINSTRING -> push(stack, text(in, in.get() & 0xff, StandardCharsets.ISO_8859_1));
      case EMPTY_DICT -> push(stack, new LinkedHashMap<>());
      case EMPTY_LIST -> push(stack, new ArrayList<>());
      case EMPTY_TUPLE -> push(stack, List.of());
      case TUPLE -> push(stack, tuple(popMark(stack, marks)));
      case TUPLE1, TUPLE2, TUPLE3 -> {
        int n = op - TUPLE1 + 1;
        List<Object> top = stack.subList(stack.size() - n, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        push(stack, tuple(items));
      }
      case BINPUT -> memoPut(memo, in.get() & 0xff, top(stack));
      case LONG_BINPUT -> memoPut(memo, in.getInt() & 0xffffffffL, top(stack));
      case MEMOIZE -> memoPut(memo, memo.size(), top(stack));
      case BINGET -> push(stack, memoGet(memo, in.get() & 0xff));
      case LONG_BINGET -> push(stack, memoGet(memo, in.getInt() & 0xffffffffL));
      case GLOBAL -> push(stack, global(line(in), line(in)));
      case STACK_GLOBAL -> {
        String name = (String) pop(stack);
        push(stack, global((String) pop(stack), name));
      }
      case REDUCE -> {
        List<Object> args = (List<Object>) pop(stack);
        Object fn = pop(stack);
        if (!(fn instanceof PyCallable callable)) {
          throw new CheckpointException(where + ": pickle calls a " + typeName(fn) + ", which is not callable");
        }
        push(stack, callable.call(args));
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
        Map<Object, Object> dict = (Map<Object, Object>) top(stack);
        dict.put(requireHashable(key), notItself(dict, value));
      }
      case SETITEMS -> {
        List<Object> items = popMark(stack, marks);
        Map<Object, Object> dict = (Map<Object, Object>) top(stack);
        if (items.size() % 2 != 0) {
          throw new IndexOutOfBoundsException("SETITEMS with an odd number of items");
        }
        for (int i = 0; i < items.size(); i += 2) {
          dict.put(requireHashable(items.get(i)), notItself(dict, items.get(i + 1)));
        }
      }
      case APPEND -> {
        Object value = pop(stack);
        List<Object> list = (List<Object>) top(stack);
        list.add(notItself(list, value));
      }
      case APPENDS -> {
        List<Object> items = popMark(stack, marks);
        List<Object> list = (List<Object>) top(stack);
        items.forEach(item -> notItself(list, item));
        list.addAll(items);
      }
      case BINPERSID -> push(stack, persistentLoad.apply(pop(stack)));
      default -> throw new CheckpointException(where + ": unsupported pickle opcode " + opName(op) + " at byte "
          + (in.position() - 1) + " (torch.save does not emit it; the file is corrupt or not a state dict)");
    }
  }

  /**
   * A dict key of a state dict: None, a bool, an int, a float or a str. A list or dict key (which Python
   * refuses as unhashable) would be hashed here by recursion, which a list that contains itself turns
   * into a StackOverflowError; a tuple key would be hashed whole on every insertion.
   */
  private Object requireHashable(Object key) {
    if (key instanceof List<?> || key instanceof Map<?, ?>) {
      String type = pythonType(key);
      throw new CheckpointException(where + ": corrupt pickle (a dict key is a "
          + (reaches(key, key) ? "self-referencing " + type : type) + "; a state dict's keys are strings)");
    }
    return key;
  }

  /** {@code item}, unless it is {@code container} itself (other cycles are found when the pickle stops). */
  private Object notItself(Object container, Object item) {
    if (item == container) {
      throw new CheckpointException(where + ": corrupt pickle (a " + pythonType(container)
          + " that contains itself; a state dict has no self-referencing containers)");
    }
    return item;
  }

  /**
   * The result, checked to hold no container inside itself (a cycle made through the memo) and to nest at
   * most {@link #MAX_DEPTH} containers deep, so that nothing that walks it can recurse without end. An
   * iterative depth-first walk that visits each container once.
   */
  private Object requireBoundedNesting(Object root) {
    Map<Object, Integer> height = new IdentityHashMap<>(); // containers walked: how deep they nest
    Map<Object, Boolean> onPath = new IdentityHashMap<>(); // containers whose items are being walked
    Deque<Object[]> todo = new ArrayDeque<>();
    todo.push(new Object[] {root, false});
    while (!todo.isEmpty()) {
      Object[] next = todo.pop();
      Object value = next[0];
      Collection<?> items = children(value);
      if (items == null) {
        continue;
      }
      if ((Boolean) next[1]) { // all its items are walked
        int h = 1 + items.stream().mapToInt(item -> height.getOrDefault(item, 0)).max().orElse(0);
        if (h > MAX_DEPTH) {
          throw new CheckpointException(where + ": corrupt pickle (containers nested deeper than " + MAX_DEPTH
              + "; a state dict nests 3 deep)");
        }
        height.put(value, h);
        onPath.remove(value);
      } else if (onPath.containsKey(value)) {
        throw new CheckpointException(where + ": corrupt pickle (a " + pythonType(value)
            + " that contains itself; a state dict has no self-referencing containers)");
      } else if (!height.containsKey(value)) {
        onPath.put(value, true);
        todo.push(new Object[] {value, true});
        items.forEach(item -> todo.push(new Object[] {item, false}));
      }
    }
    return root;
  }

  /** Whether {@code target} is among the containers reachable from {@code from} (not counting itself). */
  private static boolean reaches(Object from, Object target) {
    Map<Object, Boolean> seen = new IdentityHashMap<>();
    Deque<Object> todo = new ArrayDeque<>();
    Collection<?> start = children(from);
    if (start == null) {
      return false;
    }
    start.forEach(todo::push);
    while (!todo.isEmpty()) {
      Object next = todo.pop();
      if (next == target) {
        return true;
      }
      Collection<?> children = children(next);
      if (children != null && seen.put(next, true) == null) {
        children.forEach(todo::push);
      }
    }
    return false;
  }

  /** A container's items (a dict's keys and values), or null for anything else. */
  private static Collection<?> children(Object value) {
    if (value instanceof List<?> list) {
      return list;
    }
    if (value instanceof Map<?, ?> map) {
      List<Object> both = new ArrayList<>(map.keySet());
      both.addAll(map.values());
      return both;
    }
    return null;
  }

  private static boolean isTuple(List<?> list) {
    return !(list instanceof ArrayList<?>);
  }

  /** The Python type of a value the machine made: tuple, list, dict, or the Java class's name. */
  static String pythonType(Object value) {
    if (value instanceof List<?> list) {
      return isTuple(list) ? "tuple" : "list";
    }
    return value instanceof Map<?, ?> ? "dict" : typeName(value);
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

  private void memoPut(Map<Long, Object> memo, long index, Object value) {
    if (memo.size() >= MAX_OBJECTS && !memo.containsKey(index)) {
      throw new CheckpointException(where + ": pickle memoises more than " + MAX_OBJECTS + " objects; refused");
    }
    memo.put(index, value);
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

  /** Every object the pickle makes passes here: their number is bounded, so memory is too. */
  private void push(List<Object> stack, Object value) {
    if (++objects > MAX_OBJECTS) {
      throw new CheckpointException(where + ": pickle makes more than " + MAX_OBJECTS + " objects, far more than "
          + "a state dict holds; refused");
    }
    stack.add(value);
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

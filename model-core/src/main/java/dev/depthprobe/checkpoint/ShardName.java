package dev.depthprobe.checkpoint;

/**
 * The check every reader of a shard index applies to each shard name before it touches a file: the
 * name must be a plain file name in the index's folder. Refused: an absolute path, {@code .} or
 * {@code ..}, any separator ({@code /}, {@code \}), a {@code :} (a drive or a URI scheme), control
 * characters. The name is checked, not where a file of that name points, so a Hugging Face cache
 * snapshot, whose files are symlinks to {@code ../../blobs/HASH}, still loads.
 */
public final class ShardName {
  private static final int SHOWN = 200;

  private ShardName() {}

  /**
   * Returns {@code name} if it is a plain file name, else throws a one-line {@link CheckpointException}.
   *
   * @param index the index file, for the message
   */
  public static String requirePlain(Object index, String name) {
    boolean plain = !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
        && name.indexOf('\\') < 0 && name.indexOf(':') < 0 && name.chars().noneMatch(Character::isISOControl);
    if (!plain) {
      throw new CheckpointException(index + ": shard '" + printable(name) + "' is not a plain file name inside "
          + "the checkpoint folder (absolute paths, '..' and separators are refused)");
    }
    return name;
  }

  /** The name cut short, control characters shown as '?', so that the message stays one line. */
  private static String printable(String name) {
    StringBuilder shown = new StringBuilder();
    name.chars().limit(SHOWN).forEach(c -> shown.append(Character.isISOControl(c) ? '?' : (char) c));
    return name.length() > SHOWN ? shown + "..." : shown.toString();
  }
}

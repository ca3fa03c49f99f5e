package dev.depthprobe.jobs;

/** Process exit codes of every command: the contract Airflow and shell scripts rely on. */
public final class ExitCodes {
  /** Done; error rows are data and the summary counts them. */
  public static final int OK = 0;
  /** The job failed while running. */
  public static final int FAILURE = 1;
  /** Bad arguments, or an unreadable model or input, found before any work started. */
  public static final int USAGE = 2;

  private ExitCodes() {}
}

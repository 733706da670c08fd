/** A progress bar that redraws one line of stderr; a no-op when stderr is not a terminal. */
export interface ProgressBar {
  /** Moves the bar to `done` of `total`, with a short status after it. */
  update(done: number, total: number, status?: string): void;
  /** Clears the line, so that the next output starts clean. */
  stop(): void;
  /** True when the bar draws (stderr is a terminal); otherwise progress is the caller's to print. */
  readonly drawn: boolean;
}

const WIDTH = 24;

/**
 * Draws `label [#####-----] 5/10 status` in place. Drawn only on an interactive terminal: piped or
 * captured output gets the summary alone, never carriage returns.
 */
export function createProgressBar(
  label: string,
  stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
  enabled = stream.isTTY === true,
): ProgressBar {
  let drawn = false;
  return {
    drawn: enabled,
    update(done, total, status = '') {
      if (!enabled) return;
      const ratio = total > 0 ? Math.min(done / total, 1) : 1;
      const filled = Math.round(ratio * WIDTH);
      stream.write(
        `\r\x1b[2K${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${done}/${total} ${status}`,
      );
      drawn = true;
    },
    stop() {
      if (enabled && drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

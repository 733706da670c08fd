/** How long after a stop signal another one counts as its echo rather than a new request. */
const ECHO_WINDOW_MS = 1000;

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Keeps one Ctrl-C from killing the process half-way through its shutdown. Under `npm start` the
 * same Ctrl-C arrives twice: the terminal signals the whole process group, and npm forwards the
 * signal to its child as well. The CLI listens for the first signal only, so without another
 * listener the echo would end the process with the default action, before the store is closed.
 * A signal within a second of the first is taken as that echo and ignored; a later one is a
 * deliberate "stop now" and ends the process at once, leaving open actions for the next start.
 * Returns the function that removes the guard.
 */
export function guardAgainstSignalEcho(target: NodeJS.Process = process): () => void {
  let first: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    const now = Date.now();
    if (first === undefined) {
      first = now;
      return;
    }
    if (now - first < ECHO_WINDOW_MS) return;
    dispose();
    target.kill(target.pid, signal);
  };
  const dispose = () => {
    for (const signal of STOP_SIGNALS) target.removeListener(signal, onSignal);
  };
  for (const signal of STOP_SIGNALS) target.on(signal, onSignal);
  return dispose;
}

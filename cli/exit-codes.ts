/** The CLI's exit codes; scripts and CI rely on them, so they never change meaning. */
export const EXIT = {
  ok: 0,
  /** Bad input: a policy file, a flag, a missing token or setting. Fix the input and run again. */
  badInput: 1,
  /** A runtime failure: DigitalOcean unreachable or refusing, the ledger unavailable. */
  runtime: 2,
  /**
   * Stopped by Ctrl-C (SIGINT), after finishing what was in flight: 128 + 2, what a shell reports
   * for any command a Ctrl-C ends, so that `set -e` scripts and `&&` chains stop there too.
   * SIGTERM, the orderly stop that service managers and containers send, exits 0.
   */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The CLI's exit codes; scripts and CI rely on them, so they never change meaning. */
export const EXIT = {
  ok: 0,
  /** Bad input: a policy file, a flag, a missing token or setting. Fix the input and run again. */
  badInput: 1,
  /** A runtime failure: DigitalOcean unreachable or refusing, the ledger unavailable. */
  runtime: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

import type { Figure } from '../../bench/figure';
import type { DynaliteLedger } from '../../lambdas/adapters/local/dynalite-ledger';
import type { LedgerRecord } from '../../lambdas/core/ledger/ledger-record';
import type { Policy } from '../../lambdas/core/policy/policy';
import type { HistoryEvent, SimulatorStateView } from '../../simulator';
import type { RateBudgetPace } from './rate-budget-client';
import type { SchedulerExit } from './scheduler-processes';
import type { SimulatorProcess } from './simulator-process';

/**
 * What one kind of chaos run brings to the frame (`chaos-run.ts`), which owns everything the kinds
 * share: the work directory, dynalite, the simulator process and its faults, the scheduler
 * processes and their kills, the second client on the token, the settle phase and the figures'
 * printing. A scenario seeds the account, writes the policies, may run work of its own during the
 * window, and judges what happened.
 */
export interface ChaosScenario {
  /** For the log and the summary: `standard (quick)`, `park (full)`. */
  readonly label: string;
  /** The simulator's start fleet: generated droplets, and how many of them carry each tag. */
  readonly fleet: { readonly droplets: number; readonly tags: Readonly<Record<string, number>> };
  /** Longest wait for every open ledger item to settle once the faults stop. */
  readonly settleTimeoutMs: number;
  /** `kill -9`s of one random scheduler process at random moments of the window. */
  readonly kills: number;
  /** The second client's pace on the same token: part of the 250-a-minute budget. */
  readonly secondClient: RateBudgetPace;
  /** Seeds the account and decides the policies and the window; the schedulers start right after. */
  prepare(context: PrepareContext): Promise<PreparedScenario>;
}

export interface PrepareContext {
  readonly simulator: SimulatorProcess;
  readonly token: string;
  readonly ledger: DynaliteLedger;
  /** Seconds since the run started, for progress lines. */
  readonly elapsed: () => string;
  readonly note: (message: string) => void;
  readonly signal: AbortSignal;
}

/** The faults the simulator injects while the window is open (its admin API's names). */
export type FaultSettings = Readonly<Record<string, number | readonly number[]>>;

export interface PreparedScenario {
  /** The policy file's text; every policy ends with the window (`endDate`). */
  readonly policyFile: string;
  /** When the window closes (epoch ms): no tick fires after it, and the settle phase begins. */
  readonly windowEnd: number;
  readonly faults: FaultSettings;
  /** Work of the scenario's own while the window is open, and kills it chooses the moment of. */
  duringWindow?(context: WindowContext): WindowWork;
  /** Judges the run from the ledger and the simulator, once everything has settled and stopped. */
  judge(context: JudgeContext): Promise<ScenarioVerdict>;
}

export interface WindowContext {
  readonly simulatorUrl: string;
  readonly token: string;
  readonly ledger: DynaliteLedger;
  readonly policies: readonly Policy[];
  readonly windowStart: number;
  readonly windowEnd: number;
  /** Aborted when the window closes. */
  readonly signal: AbortSignal;
  readonly note: (message: string) => void;
}

export interface WindowWork {
  /**
   * Asked every quarter second while the window is open: a reason to `kill -9` every scheduler at
   * once now (then each is restarted), or undefined. `confirm` runs after the kill, to record
   * what it interrupted.
   */
  readonly killAllNow?: () => Promise<TargetedKill | undefined>;
  /** Called when the window has closed; resolves once its work has stopped, with lines for the summary. */
  finish(): Promise<string[]>;
  /** Releases what the work holds (a listening proxy), whatever happened; called last. */
  close?(): Promise<void>;
}

export interface TargetedKill {
  readonly reason: string;
  readonly confirm: () => Promise<void>;
}

export interface JudgeContext {
  readonly policies: readonly Policy[];
  /** Every ledger item of every policy. */
  readonly records: readonly LedgerRecord[];
  readonly ledger: DynaliteLedger;
  readonly finalState: SimulatorStateView;
  readonly history: readonly HistoryEvent[];
  /** Fire times of every policy while a scheduler was surely up: each needs a run in the ledger. */
  readonly expectedTicks: readonly { readonly policy: string; readonly scheduledTime: string }[];
  readonly exits: readonly SchedulerExit[];
  /** When the observation was taken (epoch ms). */
  readonly endedAt: number;
}

/** One finding behind a non-zero figure: which figure, and what exactly was found. */
export interface ScenarioFinding {
  readonly figure: string;
  readonly detail: string;
}

export interface ScenarioVerdict {
  readonly figures: Figure[];
  readonly findings: readonly ScenarioFinding[];
  /** Context lines for the summary (what was checked). */
  readonly summary: readonly string[];
}

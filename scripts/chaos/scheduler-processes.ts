import path from 'node:path';
import { ChildProcessGroup } from './child-process-group';

export interface SchedulerProcessesOptions {
  readonly repoRoot: string;
  readonly count: number;
  readonly policyFile: string;
  readonly table: string;
  readonly endpoint: string;
  readonly storeDir: string;
  readonly apiUrl: string;
  readonly timeScale: number;
  readonly reconcileInterval: string;
  readonly token: string;
  readonly logDir: string;
}

/** How each scheduler process ended when the run stopped it. */
export interface SchedulerExit {
  readonly slot: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when it ignored SIGTERM and had to be killed. */
  readonly forced: boolean;
}

/**
 * N `droplet-scheduler local` processes on the same policies, ledger table and store: every tick
 * is delivered N times and N reconcile loops run at once. A killed slot restarts with the very
 * same arguments.
 */
export class SchedulerProcesses {
  private readonly slots: ChildProcessGroup[] = [];
  private readonly starts: number[] = [];

  constructor(private readonly options: SchedulerProcessesOptions) {}

  startAll(): void {
    for (let slot = 0; slot < this.options.count; slot += 1) this.start(slot);
  }

  /** `kill -9` of one slot's process, then a restart at once; resolves when the old one is gone. */
  async killAndRestart(slot: number): Promise<number | undefined> {
    const victim = this.slots[slot];
    const pid = victim?.pid;
    victim?.signal('SIGKILL');
    await victim?.exited;
    this.start(slot);
    return pid;
  }

  /**
   * `kill -9` of every slot's process at once, as when the machine under them dies, then a
   * restart of each; resolves with the pids killed once all are gone.
   */
  async killAllAndRestart(): Promise<number[]> {
    const victims = [...this.slots];
    for (const victim of victims) victim.signal('SIGKILL');
    await Promise.all(victims.map((victim) => victim.exited));
    victims.forEach((_, slot) => this.start(slot));
    return victims.flatMap((victim) => (victim.pid === undefined ? [] : [victim.pid]));
  }

  /** Processes that died on their own (not by our kill) are restarted too, and counted. */
  restartCrashed(): number[] {
    const crashed: number[] = [];
    this.slots.forEach((group, slot) => {
      if (!group.running) {
        crashed.push(slot);
        this.start(slot);
      }
    });
    return crashed;
  }

  /** SIGTERM to every process; each must exit 0 on its own within `graceMs`. */
  async stopAll(graceMs: number): Promise<SchedulerExit[]> {
    return Promise.all(this.slots.map(async (group, slot) => ({ slot, ...(await group.stop(graceMs)) })));
  }

  /** Last resort in `finally`: every process group, killed. */
  killAll(): void {
    for (const group of this.slots) group.signal('SIGKILL');
  }

  get startCount(): number {
    return this.starts.reduce((sum, value) => sum + value, 0);
  }

  private start(slot: number): void {
    const o = this.options;
    this.starts[slot] = (this.starts[slot] ?? 0) + 1;
    const args = [
      path.join(o.repoRoot, 'bin/droplet-scheduler.cjs'),
      'local',
      '-f',
      o.policyFile,
      '--table',
      o.table,
      '--endpoint',
      o.endpoint,
      '--region',
      'us-east-1',
      '--store',
      o.storeDir,
      '--api-url',
      o.apiUrl,
      '--time-scale',
      String(o.timeScale),
      '--reconcile-interval',
      o.reconcileInterval,
    ];
    this.slots[slot] = new ChildProcessGroup(process.execPath, args, {
      cwd: o.repoRoot,
      env: {
        ...process.env,
        DIGITALOCEAN_TOKEN: o.token,
        // dynalite checks no credentials, but the SDK wants some.
        AWS_ACCESS_KEY_ID: 'chaos',
        AWS_SECRET_ACCESS_KEY: 'chaos',
        NO_COLOR: '1',
      },
      logFile: path.join(o.logDir, `scheduler-${slot}.log`),
    });
  }
}

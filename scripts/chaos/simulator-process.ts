import path from 'node:path';
import type { DropletSeed } from '../../simulator/options';
import type {
  FirewallSeed,
  HistoryEvent,
  ProjectSeed,
  ReservedIpSeed,
  SimulatorStateView,
  VolumeSeed,
} from '../../simulator';
import { ChildProcessGroup } from './child-process-group';

/** How long the simulator may take to print its URL (tsx compiles on start on a busy 2-core box). */
const START_TIMEOUT_MS = 60_000;

export interface SimulatorProcessOptions {
  readonly repoRoot: string;
  readonly logFile: string;
  readonly token: string;
  readonly droplets: number;
  readonly tags: Readonly<Record<string, number>>;
  readonly timeScale: number;
}

/** The simulator as a separate process (`tsx simulator/main.ts`), driven through its admin API. */
export class SimulatorProcess {
  private constructor(
    private readonly group: ChildProcessGroup,
    readonly url: string,
  ) {}

  static async start(options: SimulatorProcessOptions): Promise<SimulatorProcess> {
    const args = [
      path.join(options.repoRoot, 'node_modules/tsx/dist/cli.mjs'),
      path.join(options.repoRoot, 'simulator/main.ts'),
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--droplets',
      String(options.droplets),
      '--time-scale',
      String(options.timeScale),
      ...Object.entries(options.tags).flatMap(([tag, count]) => ['--tag', `${tag}=${count}`]),
    ];
    const group = new ChildProcessGroup(process.execPath, args, {
      cwd: options.repoRoot,
      // The token goes by environment, never on a command line that `ps` shows.
      env: { ...process.env, DIGITALOCEAN_TOKEN: options.token },
      logFile: options.logFile,
    });
    try {
      const url = await readUrl(group);
      return new SimulatorProcess(group, url);
    } catch (error) {
      await group.stop(5_000);
      throw error;
    }
  }

  async state(): Promise<SimulatorStateView> {
    return (await this.admin('GET', '/_simulator/state')) as SimulatorStateView;
  }

  /** Droplets created and destroyed, snapshots taken and deleted, oldest first. */
  async history(): Promise<HistoryEvent[]> {
    return ((await this.admin('GET', '/_simulator/history')) as { history: HistoryEvent[] }).history;
  }

  async setFaults(faults: Record<string, number | readonly number[]>): Promise<void> {
    await this.admin('POST', '/_simulator/faults', faults);
  }

  async addDroplet(seed: DropletSeed): Promise<{ id: number }> {
    const body = (await this.admin('POST', '/_simulator/droplets', seed)) as { droplet: { id: number } };
    return body.droplet;
  }

  async addReservedIp(seed: ReservedIpSeed): Promise<{ ip: string }> {
    return ((await this.admin('POST', '/_simulator/reserved_ips', seed)) as { reserved_ip: { ip: string } })
      .reserved_ip;
  }

  async addVolume(seed: VolumeSeed): Promise<{ id: string }> {
    return ((await this.admin('POST', '/_simulator/volumes', seed)) as { volume: { id: string } }).volume;
  }

  async addFirewall(seed: FirewallSeed): Promise<{ id: string }> {
    return ((await this.admin('POST', '/_simulator/firewalls', seed)) as { firewall: { id: string } })
      .firewall;
  }

  async addProject(seed: ProjectSeed): Promise<{ id: string }> {
    return ((await this.admin('POST', '/_simulator/projects', seed)) as { project: { id: string } }).project;
  }

  async stop(): Promise<void> {
    await this.group.stop(10_000);
  }

  private async admin(method: 'GET' | 'POST', route: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.url}${route}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok)
      throw new Error(`simulator ${method} ${route}: HTTP ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  }
}

function readUrl(group: ChildProcessGroup): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`simulator: no URL printed within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    group.child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void group.exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited with code ${code} before printing its URL`));
    });
  });
}

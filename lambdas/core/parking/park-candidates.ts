import type { Policy } from '../policy/policy';
import type { Droplet, DropletApi, RequestOptions, ReservedIp } from '../ports/droplet-api';
import { parkingLosses } from './inspect-for-park';

/** What a park tick would do with one droplet, as far as reads can tell beforehand. */
export interface ParkCandidate {
  readonly droplet: Droplet;
  /** Its reserved IP, which an unpark reassigns; absent when it has only a public IPv4. */
  readonly reservedIp?: ReservedIp;
  /** What parking would lose that the policy does not allow; empty when it may be parked. */
  readonly losses: readonly string[];
}

/**
 * The droplets a park policy would park and those it would leave running, decided with the same
 * rule as its `inspect` step (`parkingLosses`), for `plan` and `run --dry-run`: one list of the
 * account's reserved IPs for all of them. Only reads.
 */
export async function parkCandidates(
  api: DropletApi,
  policy: Pick<Policy, 'parking'>,
  droplets: readonly Droplet[],
  request: RequestOptions = {},
): Promise<{ readonly candidates: ParkCandidate[]; readonly reads: number }> {
  const allowance = {
    allowIpChange: policy.parking?.allowIpChange ?? false,
    allowBackupLoss: policy.parking?.allowBackupLoss ?? false,
  };
  const reserved = new Map<number, ReservedIp>();
  let reads = 0;
  for await (const page of api.listReservedIps({ ...request })) {
    reads += 1;
    for (const ip of page) if (ip.dropletId !== null) reserved.set(ip.dropletId, ip);
  }
  const candidates = droplets.map((droplet) => {
    const reservedIp = reserved.get(droplet.id);
    return {
      droplet,
      ...(reservedIp ? { reservedIp } : {}),
      losses: parkingLosses(droplet, reservedIp, allowance),
    };
  });
  return { candidates, reads };
}

/** The reason a park tick records for a droplet it leaves running; the same words as its inspect step. */
export function leftRunningReason(losses: readonly string[]): string {
  return `left running: parking would lose ${losses.join('; and ')}`;
}

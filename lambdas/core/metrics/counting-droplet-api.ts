import type { DropletApi } from '../ports/droplet-api';

/**
 * Wraps a `DropletApi` and counts the requests made through it (one per call, one per page), for
 * the reconciler's `ApiRequests` metric and the benchmarks.
 */
export function countingDropletApi(api: DropletApi): {
  readonly api: DropletApi;
  readonly count: () => number;
} {
  let requests = 0;
  const counted =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      requests += 1;
      return call(...args);
    };
  const countedPages =
    <A extends unknown[], T>(list: (...args: A) => AsyncIterable<T>) =>
    (...args: A): AsyncIterable<T> => ({
      async *[Symbol.asyncIterator]() {
        const iterator = list(...args)[Symbol.asyncIterator]();
        while (true) {
          requests += 1;
          const next = await iterator.next();
          if (next.done) return;
          yield next.value;
        }
      },
    });
  return {
    count: () => requests,
    api: {
      initiate: counted(api.initiate.bind(api)),
      initiateByTag: counted(api.initiateByTag.bind(api)),
      getAction: counted(api.getAction.bind(api)),
      getDroplet: counted(api.getDroplet.bind(api)),
      deleteSnapshot: counted(api.deleteSnapshot.bind(api)),
      listActions: countedPages(api.listActions.bind(api)),
      listDropletActions: countedPages(api.listDropletActions.bind(api)),
      listDroplets: countedPages(api.listDroplets.bind(api)),
      listDropletSnapshots: countedPages(api.listDropletSnapshots.bind(api)),
      createDroplet: counted(api.createDroplet.bind(api)),
      deleteDroplet: counted(api.deleteDroplet.bind(api)),
      listSizes: countedPages(api.listSizes.bind(api)),
      getSnapshot: counted(api.getSnapshot.bind(api)),
      listSnapshots: countedPages(api.listSnapshots.bind(api)),
      listReservedIps: countedPages(api.listReservedIps.bind(api)),
      assignReservedIp: counted(api.assignReservedIp.bind(api)),
      unassignReservedIp: counted(api.unassignReservedIp.bind(api)),
      listVolumes: countedPages(api.listVolumes.bind(api)),
      getVolume: counted(api.getVolume.bind(api)),
      attachVolume: counted(api.attachVolume.bind(api)),
      detachVolume: counted(api.detachVolume.bind(api)),
      listFirewalls: countedPages(api.listFirewalls.bind(api)),
      addDropletsToFirewall: counted(api.addDropletsToFirewall.bind(api)),
      removeDropletsFromFirewall: counted(api.removeDropletsFromFirewall.bind(api)),
      listProjects: countedPages(api.listProjects.bind(api)),
      listProjectResources: countedPages(api.listProjectResources.bind(api)),
      assignProjectResources: counted(api.assignProjectResources.bind(api)),
      listDropletBackups: countedPages(api.listDropletBackups.bind(api)),
      listDropletKernels: countedPages(api.listDropletKernels.bind(api)),
    },
  };
}

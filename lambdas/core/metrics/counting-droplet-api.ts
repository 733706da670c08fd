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
    },
  };
}

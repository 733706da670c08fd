import { nextStepIndex, needsDropletStatus, type Workflow } from '../../../../lambdas/core/workflow/workflow';

/** shutdown → power_off (fallback) → snapshot → power_on, on failure power_on. */
const OFFLINE_SNAPSHOT: Workflow = {
  steps: [
    { type: 'shutdown', timeoutMinutes: 5 },
    { type: 'power_off', timeoutMinutes: 5, afterFailure: true, unlessDroplet: 'off' },
    { type: 'snapshot', params: { name: 'x' }, timeoutMinutes: 240 },
    { type: 'power_on', timeoutMinutes: 5 },
  ],
  onFailure: { type: 'power_on', timeoutMinutes: 5 },
};

describe('nextStepIndex: what follows a step', () => {
  it.each([
    ['a shutdown that left the droplet off skips the fallback', 0, 'succeeded', 'off', 2],
    ['a shutdown that left it running gets the fallback', 0, 'succeeded', 'active', 1],
    ['a failed shutdown gets the fallback', 0, 'failed', 'active', 1],
    ['a failed shutdown that left it off anyway goes on as if it had worked', 0, 'failed', 'off', 2],
    ['a fallback that worked leads to the snapshot', 1, 'succeeded', undefined, 2],
    ['a failed fallback runs onFailure', 1, 'failed', undefined, 4],
    ['a failed snapshot runs onFailure, not the steps after it', 2, 'failed', undefined, 4],
    ['the last step ends the workflow', 3, 'succeeded', undefined, undefined],
    ['onFailure ends the workflow, whatever its outcome', 4, 'failed', undefined, undefined],
    ['a step stopped for a newer tick ends it, onFailure included', 2, 'stopped', undefined, undefined],
  ] as const)('%s', (_, index, outcome, status, expected) => {
    expect(nextStepIndex(OFFLINE_SNAPSHOT, index, outcome, status)).toBe(expected);
  });

  it('asks for the droplet power state only where a later step depends on it', () => {
    expect(needsDropletStatus(OFFLINE_SNAPSHOT, 0)).toBe(true);
    expect(needsDropletStatus(OFFLINE_SNAPSHOT, 1)).toBe(false);
    expect(needsDropletStatus(undefined, 0)).toBe(false);
  });

  it('without onFailure, a failure simply ends the workflow', () => {
    const { onFailure: _none, ...plain } = OFFLINE_SNAPSHOT;
    expect(nextStepIndex(plain, 2, 'failed')).toBeUndefined();
  });
});

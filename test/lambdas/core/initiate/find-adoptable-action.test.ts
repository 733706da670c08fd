import { adoptableActions } from '../../../../lambdas/core/initiate/find-adoptable-action';
import type { Action } from '../../../../lambdas/core/ports/droplet-api';

const action = (id: number, overrides: Partial<Action> = {}): Action => ({
  id,
  type: 'reboot',
  status: 'in-progress',
  startedAt: '2026-11-27T10:00:05.000Z',
  completedAt: null,
  resourceId: 42,
  resourceType: 'droplet',
  regionSlug: 'fra1',
  ...overrides,
});
const criteria = { dropletId: 42, type: 'reboot' as const, claimedAt: '2026-11-27T10:00:00.000Z' };

describe('adoptableActions', () => {
  it('adopts the action of the same type on the same droplet started after the attempt', () => {
    expect(adoptableActions([action(7)], criteria)[0]?.id).toBe(7);
  });

  it.each([
    ['another droplet', action(1, { resourceId: 43 })],
    ['another type', action(2, { type: 'power_off' })],
    ['an action from before the attempt', action(3, { startedAt: '2026-11-27T09:58:00.000Z' })],
  ])('ignores %s', (_, candidate) => {
    expect(adoptableActions([candidate], criteria)[0]).toBeUndefined();
  });

  it('picks the oldest match, so that every retry adopts the same action', () => {
    const later = action(9, { startedAt: '2026-11-27T10:02:00.000Z' });
    const earlier = action(8, { startedAt: '2026-11-27T10:00:01.000Z' });
    expect(adoptableActions([later, earlier], criteria)[0]?.id).toBe(8);
  });

  it('never adopts an action another ledger item already owns', () => {
    expect(
      adoptableActions([action(7), action(11)], { ...criteria, excludeActionIds: new Set([7]) })[0]?.id,
    ).toBe(11);
  });
});

describe('adoptableActions with an action someone else started just before the claim', () => {
  it('adopts ours, started after the claim, rather than the older one', () => {
    const theirs = action(50, { startedAt: '2026-11-27T09:59:57.000Z' });
    const ours = action(51, { startedAt: '2026-11-27T10:00:00.000Z' });
    expect(
      adoptableActions([theirs, ours], { ...criteria, claimedAt: '2026-11-27T10:00:00.293Z' })[0]?.id,
    ).toBe(51);
  });

  it('ignores an action started well before the claim', () => {
    const theirs = action(50, { startedAt: '2026-11-27T09:59:27.000Z' });
    expect(adoptableActions([theirs], criteria)[0]).toBeUndefined();
  });
});

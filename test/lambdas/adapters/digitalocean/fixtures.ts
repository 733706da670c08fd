/** DigitalOcean's JSON for one action, as the API returns it. */
export function wireAction(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 36804636,
    status: 'in-progress',
    type: 'power_off',
    started_at: '2026-11-27T08:00:00Z',
    completed_at: null,
    resource_id: 3164444,
    resource_type: 'droplet',
    region: { slug: 'fra1', name: 'Frankfurt 1' },
    region_slug: 'fra1',
    ...overrides,
  };
}

/** DigitalOcean's JSON for one droplet, trimmed to the fields the client reads plus a few it ignores. */
export function wireDroplet(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 3164444,
    name: 'web-1',
    memory: 1024,
    vcpus: 1,
    disk: 25,
    locked: false,
    status: 'active',
    tags: ['staging'],
    size_slug: 's-1vcpu-1gb',
    region: { slug: 'fra1', name: 'Frankfurt 1' },
    ...overrides,
  };
}

/** A fake token built at run time, shaped like a real one and unique per call. */
export function canaryToken(): string {
  const hex = Array.from({ length: 64 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return `dop_v1_${hex}`;
}

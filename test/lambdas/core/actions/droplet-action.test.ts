import {
  ACTION_CATALOG,
  ACTION_TYPES,
  BULK_ACTION_TYPES,
} from '../../../../lambdas/core/actions/action-catalog';
import { dropletActionSchema, type DropletActionOf } from '../../../../lambdas/core/actions/droplet-action';

describe('the droplet action catalog', () => {
  it('lists the sixteen documented types', () => {
    expect(ACTION_TYPES).toHaveLength(16);
    expect(ACTION_TYPES).toContain('change_backup_policy');
  });

  it('allows exactly the eight bulk-by-tag types DigitalOcean documents', () => {
    expect([...BULK_ACTION_TYPES].sort()).toEqual(
      [
        'disable_backups',
        'enable_backups',
        'enable_ipv6',
        'power_cycle',
        'power_off',
        'power_on',
        'shutdown',
        'snapshot',
      ].sort(),
    );
  });

  it.each([
    ['restore', 'droplet:admin'],
    ['password_reset', 'droplet:admin'],
    ['rebuild', 'droplet:admin'],
    ['resize', 'droplet:create'],
    ['snapshot', 'image:create'],
  ] as const)('requires the %s scope %s beside droplet:update', (type, scope) => {
    expect(ACTION_CATALOG[type].scopes).toEqual(['droplet:update', scope]);
  });
});

describe('dropletActionSchema', () => {
  it.each([
    [{ type: 'resize' }, 'size'],
    [{ type: 'rename' }, 'name'],
    [{ type: 'rebuild' }, 'image'],
    [{ type: 'restore' }, 'image'],
    [{ type: 'change_kernel' }, 'kernel'],
    [{ type: 'change_backup_policy' }, 'backup_policy'],
  ])('given %j without its required parameter, names %s', (input, parameter) => {
    const result = dropletActionSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(parameter);
  });

  it.each([0, 4, 8, 12, 16, 20])('accepts backup hour %i', (hour) => {
    expect(
      dropletActionSchema.safeParse({ type: 'enable_backups', backup_policy: { plan: 'daily', hour } })
        .success,
    ).toBe(true);
  });

  it.each([1, 3, 24, -4])('refuses backup hour %i', (hour) => {
    const result = dropletActionSchema.safeParse({
      type: 'enable_backups',
      backup_policy: { plan: 'daily', hour },
    });
    expect(result.error?.issues[0]?.path).toEqual(['backup_policy', 'hour']);
  });

  it('requires a weekday for a weekly backup plan', () => {
    const result = dropletActionSchema.safeParse({
      type: 'change_backup_policy',
      backup_policy: { plan: 'weekly', hour: 4 },
    });
    expect(result.error?.issues[0]?.path).toEqual(['backup_policy', 'weekday']);
  });

  it('refuses a parameter the type does not take', () => {
    const result = dropletActionSchema.safeParse({ type: 'reboot', image: 5 });
    expect(result.success).toBe(false);
  });

  it('refuses an unknown type and names the allowed ones', () => {
    const result = dropletActionSchema.safeParse({ type: 'destroy' });
    expect(result.error?.issues[0]?.path).toEqual(['type']);
  });
});

describe('DropletActionOf', () => {
  it('narrows to the parameters of one type', () => {
    const resize: DropletActionOf<'resize'> = { type: 'resize', size: 's-2vcpu-2gb', disk: true };
    const parsed = dropletActionSchema.parse(resize);
    expect(parsed.type === 'resize' ? [parsed.size, parsed.disk] : []).toEqual(['s-2vcpu-2gb', true]);
  });
});

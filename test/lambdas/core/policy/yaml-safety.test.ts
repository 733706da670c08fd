import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadPolicies,
  loadPolicyFile,
  PolicyValidationError,
  type PolicyIssue,
} from '../../../../lambdas/core/policy';

function issuesOf(run: () => unknown): readonly PolicyIssue[] {
  try {
    run();
  } catch (error) {
    if (error instanceof PolicyValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a PolicyValidationError');
}

const VALID = `defaults: { timezone: UTC }
policies:
  - { name: a, schedule: rate(1 hour), targets: { tag: x }, action: { type: reboot } }
`;

describe('the policy loader reading untrusted YAML', () => {
  it('refuses a file over the size limit, naming both sizes', () => {
    const [issue] = issuesOf(() => loadPolicies(VALID + '#'.repeat(2 * 1024 * 1024), 'big.yaml'));

    expect(issue).toMatchObject({ file: 'big.yaml', line: 1, expected: 'a file of at most 1 MiB' });
    expect(issue!.received).toContain('MiB');
  });

  it('honours a smaller size limit', () => {
    const [issue] = issuesOf(() => loadPolicies(VALID, 'p.yaml', { maxBytes: 10 }));

    expect(issue!.expected).toBe('a file of at most 10 bytes');
  });

  it('refuses an alias bomb ("billion laughs") without expanding it', () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
      'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
      'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
      'policies: *i',
    ].join('\n');
    const started = Date.now();

    const issues = issuesOf(() => loadPolicies(bomb, 'bomb.yaml'));

    expect(issues[0]!.expected).toContain('aliases');
    // Refused before expanding: 9^9 nodes would take minutes and gigabytes, so 10 s is a wide margin.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('accepts a few aliases, as anchors are a fair way to share a target list', () => {
    const { policies } = loadPolicies(
      `defaults: { timezone: UTC }
policies:
  - { name: a, schedule: rate(1 hour), targets: &staging { tag: staging }, action: { type: reboot } }
  - { name: b, schedule: rate(2 hours), targets: *staging, action: { type: power_cycle } }
`,
      'p.yaml',
    );

    expect(policies.map((policy) => policy.targets)).toEqual([{ tag: 'staging' }, { tag: 'staging' }]);
  });

  it.each([
    ['a custom tag', 'policies: !include other.yaml\n', '!include'],
    ['a standard tag', 'policies: !!binary aGk=\n', '!!binary'],
    ['a tag on a key', '!!str policies: []\n', '!!str'],
  ])('refuses %s, naming it', (_case, text, tag) => {
    const [issue] = issuesOf(() => loadPolicies(text, 't.yaml'));

    expect(issue).toMatchObject({ expected: 'no YAML tags', received: tag, line: 1 });
  });

  it('refuses duplicate keys, pointing at the second and naming the first', () => {
    const [issue] = issuesOf(() =>
      loadPolicies('defaults: { timezone: UTC }\ndefaults: { timezone: UTC }\npolicies: []\n', 'd.yaml'),
    );

    expect(issue).toMatchObject({ path: 'defaults', line: 2, column: 1, received: '"defaults"' });
    expect(issue!.message).toContain('first at line 1');
  });

  it('reports YAML syntax errors with line and column', () => {
    const issues = issuesOf(() => loadPolicies('policies:\n  - name: "unterminated\n', 's.yaml'));

    expect(issues[0]).toMatchObject({ file: 's.yaml', expected: 'valid YAML' });
    expect(issues[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses an alias to an anchor that does not exist', () => {
    const [issue] = issuesOf(() => loadPolicies('policies: *nowhere\n', 'a.yaml'));

    expect(issue).toMatchObject({ path: 'policies', received: '*nowhere', line: 1, column: 11 });
  });

  it('refuses several documents in one file', () => {
    const [issue] = issuesOf(() => loadPolicies(VALID + '---\n' + VALID, 'm.yaml'));

    expect(issue).toMatchObject({ line: 4, expected: 'valid YAML' });
  });

  it('refuses deep nesting without overflowing the stack', () => {
    const deep = 'policies: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n';

    const [issue] = issuesOf(() => loadPolicies(deep, 'deep.yaml'));

    expect(issue!.file).toBe('deep.yaml');
  });

  it('reads YAML 1.2: yes/no and dates stay strings, so they are reported rather than coerced', () => {
    const issues = issuesOf(() =>
      loadPolicies(
        `%YAML 1.1
---
defaults: { timezone: UTC }
policies:
  - { name: a, enabled: yes, schedule: rate(1 hour), targets: { tag: x }, action: { type: reboot } }
`,
        'y.yaml',
      ),
    );

    expect(issues[0]).toMatchObject({
      path: 'policies[0].enabled',
      received: '"yes"',
      expected: 'true or false',
    });
  });

  it('does not let __proto__ keys reach the prototype', () => {
    const issues = issuesOf(() => loadPolicies('__proto__: { polluted: true }\npolicies: []\n', 'p.yaml'));

    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(issues.map((issue) => issue.path)).toContain('__proto__');
  });
});

describe('loadPolicyFile', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'policies-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reads and loads a file', async () => {
    const file = join(directory, 'ok.yaml');
    await writeFile(file, VALID);

    const set = await loadPolicyFile(file);

    expect(set).toMatchObject({ file, policies: [{ name: 'a' }] });
  });

  it('turns a missing file into a PolicyValidationError naming the file', async () => {
    const file = join(directory, 'missing.yaml');

    const error = await loadPolicyFile(file).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(PolicyValidationError);
    expect((error as PolicyValidationError).message).toBe(
      `${file} (document): expected a readable file, got: ENOENT`,
    );
  });

  it('refuses a file over the limit before reading it', async () => {
    const file = join(directory, 'big.yaml');
    await writeFile(file, VALID + '#'.repeat(100));

    const error = (await loadPolicyFile(file, { maxBytes: 50 }).catch(
      (thrown: unknown) => thrown,
    )) as PolicyValidationError;

    expect(error.issues[0]).toMatchObject({ file, line: 1, expected: 'a file of at most 50 bytes' });
  });
});

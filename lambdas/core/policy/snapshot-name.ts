import * as z from 'zod';
import { POLICY_NAME_MAX_LENGTH } from './policy-name';

/**
 * Snapshot names come from a template. Placeholders:
 * - `{policy}`: the policy name;
 * - `{dropletId}`: the droplet id;
 * - `{dropletName}`: the droplet's name (characters outside `A-Z a-z 0-9 . _ -` become `-`,
 *   shortened when the whole name would pass DigitalOcean's 255 characters);
 * - `{utc:FORMAT}`: the tick's scheduled time in UTC, FORMAT made of `yyyy`, `MM`, `dd`, `HH`,
 *   `mm`, `ss` and the separators `-`, `_`, `.`.
 * Everything else must be a literal from `A-Z a-z 0-9 . _ -`.
 *
 * Every template starts with `{policy}--{dropletId}-`. Retention deletes only snapshots whose
 * names start with that prefix, and the prefix is unambiguous because policy names contain no
 * `--` and do not end in `-` (see `policyNameSchema`): if `P--D-` and `Q--E-` both began one name
 * with P shorter than Q, Q would have to contain `--` or end in `-`. So policy `web` never claims
 * snapshots of policy `web-2`, and droplet 4 never claims those of droplet 42.
 */
export const DEFAULT_SNAPSHOT_NAME_TEMPLATE = '{policy}--{dropletId}-{utc:yyyyMMdd-HHmm}';

/** The fixed beginning of every template. */
export const SNAPSHOT_NAME_TEMPLATE_PREFIX = '{policy}--{dropletId}-';

/** DigitalOcean's limit on an image name. */
export const SNAPSHOT_NAME_MAX_LENGTH = 255;

/** The largest droplet id we need to render: `Number.MAX_SAFE_INTEGER` has 16 digits. */
const MAX_DROPLET_ID_DIGITS = 16;

const LITERAL = /^[A-Za-z0-9._-]+$/;
const TIME_TOKEN = /yyyy|MM|dd|HH|mm|ss|[-_.]/g;
const UNSAFE_NAME_CHARACTERS = /[^A-Za-z0-9._-]/g;

type TemplatePart =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'policy' | 'dropletId' | 'dropletName' }
  | { readonly kind: 'utc'; readonly tokens: readonly string[] };

/** What a template is rendered with, for one droplet at one tick. */
export interface SnapshotNameValues {
  readonly policy: string;
  readonly dropletId: number;
  /** The droplet's current name; only used by `{dropletName}`. */
  readonly dropletName?: string | null;
  /** The tick's `<aws.scheduler.scheduled-time>`, ISO 8601, or a Date. */
  readonly scheduledTime: string | Date;
}

/** Why a template is not acceptable, or undefined when it is. */
export function snapshotNameTemplateProblem(template: string): string | undefined {
  if (!template.startsWith(SNAPSHOT_NAME_TEMPLATE_PREFIX)) {
    return `a template starting with "${SNAPSHOT_NAME_TEMPLATE_PREFIX}", so that retention only ever deletes this policy's snapshots of this droplet`;
  }
  const parts = parseTemplate(template);
  if (typeof parts === 'string') return parts;
  const longest = parts.reduce((length, part) => length + worstCaseLength(part), 0);
  if (longest > SNAPSHOT_NAME_MAX_LENGTH) {
    return `a template whose names fit DigitalOcean's ${SNAPSHOT_NAME_MAX_LENGTH} characters (this one can reach ${longest})`;
  }
  return undefined;
}

export const snapshotNameTemplateSchema = z.string().superRefine((template, ctx) => {
  const problem = snapshotNameTemplateProblem(template);
  if (problem) ctx.addIssue({ code: 'custom', message: `expected ${problem}` });
});

/**
 * The snapshot name for one droplet at one tick, e.g. `nightly--3164444-20261127-0200`.
 * @throws {RangeError} when the template was never validated (a programming error, not user input).
 */
export function renderSnapshotName(template: string, values: SnapshotNameValues): string {
  const problem = snapshotNameTemplateProblem(template);
  const parts = parseTemplate(template);
  if (problem || typeof parts === 'string')
    throw new RangeError(`invalid snapshot name template ${JSON.stringify(template)}: expected ${problem}`);
  const time = new Date(values.scheduledTime);
  if (Number.isNaN(time.getTime()))
    throw new RangeError(`invalid scheduled time ${JSON.stringify(values.scheduledTime)}`);
  const render = (part: TemplatePart, dropletName: string): string => {
    switch (part.kind) {
      case 'literal':
        return part.text;
      case 'policy':
        return values.policy;
      case 'dropletId':
        return String(values.dropletId);
      case 'dropletName':
        return dropletName;
      case 'utc':
        return part.tokens.map((token) => formatUtc(time, token)).join('');
    }
  };
  const withoutName = parts.map((part) => render(part, '')).join('');
  const nameSlots = parts.filter((part) => part.kind === 'dropletName').length;
  const room = nameSlots === 0 ? 0 : Math.floor((SNAPSHOT_NAME_MAX_LENGTH - withoutName.length) / nameSlots);
  const dropletName = (values.dropletName ?? 'unnamed')
    .replace(UNSAFE_NAME_CHARACTERS, '-')
    .slice(0, Math.max(room, 0));
  return parts.map((part) => render(part, dropletName)).join('');
}

/** The prefix every snapshot name this policy makes for this droplet starts with: `<policy>--<droplet id>-`. */
export function snapshotNamePrefix(policy: string, dropletId: number): string {
  return `${policy}--${dropletId}-`;
}

/** Whether this policy made this snapshot of this droplet, judged by its name alone; exact (see the module comment). */
export function isOwnSnapshot(name: string, policy: string, dropletId: number): boolean {
  return name.startsWith(snapshotNamePrefix(policy, dropletId));
}

function parseTemplate(template: string): TemplatePart[] | string {
  const parts: TemplatePart[] = [];
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf('{');
    if (open === -1 || open > 0) {
      const text = open === -1 ? rest : rest.slice(0, open);
      if (text.includes('}')) return 'a template whose "{" and "}" pair up';
      if (!LITERAL.test(text)) {
        return `a template whose literal text uses only A-Z a-z 0-9 . _ - (got ${JSON.stringify(text.slice(0, 20))})`;
      }
      parts.push({ kind: 'literal', text });
      rest = open === -1 ? '' : rest.slice(open);
      continue;
    }
    const close = rest.indexOf('}');
    if (close === -1) return 'a template whose "{" and "}" pair up';
    const placeholder = rest.slice(1, close);
    rest = rest.slice(close + 1);
    if (placeholder === 'policy' || placeholder === 'dropletId' || placeholder === 'dropletName') {
      parts.push({ kind: placeholder });
    } else if (placeholder.startsWith('utc:')) {
      const format = placeholder.slice(4);
      const tokens = format.match(TIME_TOKEN) ?? [];
      if (format === '' || tokens.join('') !== format) {
        return `a {utc:FORMAT} made of yyyy, MM, dd, HH, mm, ss and - _ . (got {${placeholder.slice(0, 30)}})`;
      }
      parts.push({ kind: 'utc', tokens });
    } else {
      return `placeholders {policy}, {dropletId}, {dropletName} or {utc:FORMAT} (got {${placeholder.slice(0, 30)}})`;
    }
  }
  return parts;
}

function worstCaseLength(part: TemplatePart): number {
  switch (part.kind) {
    case 'literal':
      return part.text.length;
    case 'policy':
      return POLICY_NAME_MAX_LENGTH;
    case 'dropletId':
      return MAX_DROPLET_ID_DIGITS;
    case 'dropletName':
      return 1;
    case 'utc':
      return part.tokens.join('').length;
  }
}

function formatUtc(time: Date, token: string): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  switch (token) {
    case 'yyyy':
      return pad(time.getUTCFullYear(), 4);
    case 'MM':
      return pad(time.getUTCMonth() + 1);
    case 'dd':
      return pad(time.getUTCDate());
    case 'HH':
      return pad(time.getUTCHours());
    case 'mm':
      return pad(time.getUTCMinutes());
    case 'ss':
      return pad(time.getUTCSeconds());
    default:
      return token;
  }
}

import type { z } from 'zod';
import { closestKey } from './closest-key';
import type { PathSegment, PolicyFinding } from './policy-finding';

/** Extra knowledge the caller has about a part: better wording for some fields, more known keys. */
export interface ZodFindingOptions {
  /** The expectation to show for a value at this path instead of zod's bare wording ("a string", "more than 0"). */
  readonly describe?: (path: readonly PathSegment[]) => string | undefined;
  /** Keys accepted beside the schema's own at this path (policy-only options stripped before parsing). */
  readonly extraKeys?: (path: readonly PathSegment[]) => readonly string[];
}

/**
 * Turns zod's issues into findings that name the field, the value received and what was expected.
 * Messages we (and the action catalog) write start with "expected …" and are kept; zod's generic
 * ones are rephrased. Unknown keys become one finding per key, with the closest known key as a hint.
 */
export function findingsFromZod(
  schema: z.ZodType,
  error: z.ZodError,
  input: unknown,
  options: ZodFindingOptions = {},
): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const known = [
        ...new Set([...(knownKeysAt(schema, path, input) ?? []), ...(options.extraKeys?.(path) ?? [])]),
      ];
      for (const key of issue.keys) findings.push(unknownKeyFinding([...path, key], key, known));
      continue;
    }
    const { value, missing } = valueAt(input, path);
    const own = ownExpectation(issue.message);
    const described = options.describe?.(path);
    const expected = own ?? described ?? genericExpectation(issue);
    findings.push({ path, expected, received: value, missing });
  }
  return findings;
}

/** A finding for a key that does not belong here, with a "did you mean" when one is close. */
export function unknownKeyFinding(
  path: readonly PathSegment[],
  key: string,
  known: readonly string[],
): PolicyFinding {
  const suggestion = closestKey(key, known);
  const mergeKey = key === '<<' ? 'YAML merge keys are not supported; use defaults or anchors' : undefined;
  return {
    path,
    atKey: true,
    received: key,
    expected: known.length > 0 ? `one of the keys ${known.join(', ')}` : 'no keys here',
    hint: mergeKey ?? (suggestion ? `did you mean ${suggestion}?` : undefined),
  };
}

/** The value at a path of an input, and whether its key is absent. */
export function valueAt(input: unknown, path: readonly PathSegment[]): { value: unknown; missing: boolean } {
  let value: unknown = input;
  for (const segment of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) {
      return { value: undefined, missing: true };
    }
    value = (value as Record<PathSegment, unknown>)[segment];
  }
  return { value, missing: value === undefined };
}

function ownExpectation(message: string): string | undefined {
  return message.startsWith('expected ') ? message.slice('expected '.length) : undefined;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
};

function genericExpectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_NAMES[issue.expected] ?? issue.expected;
    case 'invalid_value':
      return issue.values.length === 1
        ? JSON.stringify(issue.values[0])
        : `one of ${issue.values.map((value) => String(value)).join(', ')}`;
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const relation =
        issue.code === 'too_small'
          ? issue.inclusive
            ? 'at least'
            : 'more than'
          : issue.inclusive
            ? 'at most'
            : 'less than';
      const plural = Number(bound) === 1 ? '' : 's';
      const unit =
        issue.origin === 'string' ? ` character${plural}` : issue.origin === 'array' ? ` item${plural}` : '';
      return `${relation} ${String(bound)}${unit}`;
    }
    case 'invalid_union': {
      // A discriminated union names its options on the issue, beyond zod's declared type.
      const options = (issue as { options?: unknown[] }).options;
      return options ? `one of ${options.map(String).join(', ')}` : issue.message;
    }
    default:
      return issue.message;
  }
}

/** The keys an object schema accepts at a path, following optional wrappers, arrays and unions. */
function knownKeysAt(schema: z.ZodType, path: readonly PathSegment[], input: unknown): string[] | undefined {
  let current: unknown = schema;
  let value: unknown = input;
  for (let step = 0; step <= path.length; step++) {
    current = unwrap(current, value);
    const def = defOf(current);
    if (step === path.length) return def?.type === 'object' ? Object.keys(def.shape as object) : undefined;
    const segment = path[step]!;
    if (def?.type === 'object') current = (def.shape as Record<string, unknown>)[String(segment)];
    else if (def?.type === 'array') current = def.element;
    else return undefined;
    value =
      value !== null && typeof value === 'object'
        ? (value as Record<PathSegment, unknown>)[segment]
        : undefined;
  }
  return undefined;
}

interface LooseDef {
  type: string;
  [key: string]: unknown;
}

function defOf(schema: unknown): LooseDef | undefined {
  return (schema as { _zod?: { def?: LooseDef } } | undefined)?._zod?.def;
}

/** Looks through optional/default/pipe wrappers, and into the union member the value is meant for. */
function unwrap(schema: unknown, value: unknown): unknown {
  for (let depth = 0; depth < 20; depth++) {
    const def = defOf(schema);
    if (!def) return schema;
    if ('innerType' in def) schema = def.innerType;
    else if (def.type === 'pipe') schema = def.in;
    else if (def.type === 'union') schema = unionMember(def, value);
    else return schema;
  }
  return schema;
}

function unionMember(def: LooseDef, value: unknown): unknown {
  const options = def.options as unknown[];
  const discriminator = def.discriminator as string | undefined;
  if (discriminator && value !== null && typeof value === 'object') {
    const tag = (value as Record<string, unknown>)[discriminator];
    const match = options.find((option) => {
      const shape = defOf(option)?.shape as Record<string, unknown> | undefined;
      const literal = defOf(shape?.[discriminator]);
      return (literal?.values as unknown[] | undefined)?.includes(tag);
    });
    if (match) return match;
  }
  return options.find((option) => defOf(unwrap(option, value))?.type === 'object') ?? options[0];
}

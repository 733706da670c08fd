import { unprocessable } from '../http/api-error';

/**
 * A tiny rule kit for request bodies, so that the simulator checks what it receives with rules
 * written from DigitalOcean's spec and known behaviour, independent of the client's own schemas
 * (a simulator that shares the client's schemas cannot catch the client's mistakes).
 */

/** Checks one value; returns the problems found, each `path: expected …, got: …`. */
export type Check = (value: unknown, path: string) => string[];

export interface FieldRule {
  readonly check: Check;
  /** @default false */
  readonly required?: boolean;
}

export type Shape = Readonly<Record<string, FieldRule>>;

const got = (value: unknown): string => JSON.stringify(value) ?? 'nothing';

function expecting(expected: string, test: (value: unknown) => boolean): Check {
  return (value, path) => (test(value) ? [] : [`${path}: expected ${expected}, got: ${got(value)}`]);
}

export const isBoolean: Check = expecting('true or false', (value) => typeof value === 'boolean');

export function isString(
  options: { readonly pattern?: RegExp; readonly max?: number; readonly what?: string } = {},
): Check {
  const what = options.what ?? `a string${options.max ? ` of at most ${options.max} characters` : ''}`;
  return expecting(
    what,
    (value) =>
      typeof value === 'string' &&
      (options.max === undefined || value.length <= options.max) &&
      (options.pattern === undefined || options.pattern.test(value)),
  );
}

export function isInteger(options: { readonly min?: number; readonly max?: number } = {}): Check {
  const min = options.min ?? -Infinity;
  const max = options.max ?? Infinity;
  const range =
    options.min !== undefined
      ? options.max !== undefined
        ? ` from ${min} to ${max}`
        : ` of at least ${min}`
      : '';
  return expecting(
    `an integer${range}`,
    (value) => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max,
  );
}

export function isOneOf(values: readonly (string | number)[]): Check {
  return expecting(`one of ${values.join(', ')}`, (value) => values.includes(value as string | number));
}

export function anyOf(expected: string, ...checks: Check[]): Check {
  return (value, path) =>
    checks.some((check) => check(value, path).length === 0)
      ? []
      : [`${path}: expected ${expected}, got: ${got(value)}`];
}

export function isArrayOf(item: Check, options: { readonly nullable?: boolean } = {}): Check {
  return (value, path) => {
    if (value === null && options.nullable) return [];
    if (!Array.isArray(value)) return [`${path}: expected a list, got: ${got(value)}`];
    return value.flatMap((element, index) => item(element, `${path}[${index}]`));
  };
}

/** An object of the given shape; fields it does not name are refused as `not a parameter`. */
export function isObject(shape: Shape, context = ''): Check {
  return (value, path) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return [`${path}: expected an object, got: ${got(value)}`];
    }
    return shapeProblems(value as Record<string, unknown>, shape, {
      prefix: `${path}.`,
      context,
      extra: 'refuse',
    });
  };
}

export function shapeProblems(
  body: Readonly<Record<string, unknown>>,
  shape: Shape,
  options: {
    readonly prefix?: string;
    /** What the body is, for messages: `a "resize" action`. @default nothing */
    readonly context?: string;
    readonly extra: 'refuse' | 'ignore';
  },
): string[] {
  const prefix = options.prefix ?? '';
  const context = options.context ?? '';
  const problems: string[] = [];
  for (const [name, rule] of Object.entries(shape)) {
    const value = body[name];
    if (value === undefined) {
      if (rule.required) {
        const expected = rule.check(undefined, '')[0]?.replace(/^: expected (.*), got: nothing$/, '$1');
        const forWhat = context ? ` for ${context}` : '';
        problems.push(`${prefix}${name}: required${forWhat}${expected ? `, expected ${expected}` : ''}`);
      }
      continue;
    }
    problems.push(...rule.check(value, `${prefix}${name}`));
  }
  if (options.extra === 'refuse') {
    for (const name of Object.keys(body)) {
      if (!Object.hasOwn(shape, name))
        problems.push(`${prefix}${name}: not a parameter${context ? ` of ${context}` : ''}`);
    }
  }
  return problems;
}

/** The body as an object, or a 422 saying what arrived instead. */
export function objectBody(body: unknown, what: string): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw unprocessable(`body: expected a JSON object ${what}, got: ${got(body)}`);
  }
  return body as Record<string, unknown>;
}

/** Checks a body against a shape; one 422 names every problem, joined by "; ". */
export function checkBody(
  body: unknown,
  shape: Shape,
  options: { readonly what: string; readonly context?: string; readonly extra: 'refuse' | 'ignore' },
): Record<string, unknown> {
  const object = objectBody(body, options.what);
  const problems = shapeProblems(object, shape, options);
  if (problems.length > 0) throw unprocessable(problems.join('; '));
  return object;
}

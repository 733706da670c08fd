import type { z } from 'zod';
import type { PathSegment, PolicyFinding } from './policy-finding';
import { underPath } from './policy-finding';
import { findingsFromZod, unknownKeyFinding } from './zod-findings';

/** A plain mapping from the document, or undefined for anything else (list, scalar, null). */
export function asMapping(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Reads one mapping of the document: reports it when it is not a mapping, and reports each key
 * that is not in `known` (with a "did you mean"); `'any'` leaves the keys to a schema. Returns the mapping either way when it is one,
 * so that the known keys are still checked and every problem is reported at once.
 */
export function readMapping(
  value: unknown,
  path: readonly PathSegment[],
  known: readonly string[] | 'any',
  expected: string,
  findings: PolicyFinding[],
): Record<string, unknown> | undefined {
  const mapping = asMapping(value);
  if (!mapping) {
    findings.push({ path, expected, received: value, missing: value === undefined });
    return undefined;
  }
  if (known === 'any') return mapping;
  for (const key of Object.keys(mapping)) {
    if (!known.includes(key)) findings.push(unknownKeyFinding([...path, key], key, known));
  }
  return mapping;
}

/** How to read one field of a mapping. */
export interface FieldSpec<T> {
  readonly schema: z.ZodType<T>;
  /** What to say when it is missing or of the wrong type, phrased to follow "expected". */
  readonly expected: string;
  /** Report it when absent. @default false */
  readonly required?: boolean;
}

/**
 * Reads and validates one field; returns its value, or undefined when it is absent or invalid
 * (having reported why). Zod's findings are lifted under the field's path.
 */
export function readField<T>(
  mapping: Record<string, unknown>,
  key: string,
  path: readonly PathSegment[],
  spec: FieldSpec<T>,
  findings: PolicyFinding[],
): T | undefined {
  const fieldPath = [...path, key];
  if (!Object.hasOwn(mapping, key) || mapping[key] === undefined) {
    if (spec.required) findings.push({ path: fieldPath, expected: spec.expected, missing: true });
    return undefined;
  }
  const value = mapping[key];
  const result = spec.schema.safeParse(value);
  if (result.success) return result.data;
  const describe = (inner: readonly PathSegment[]) => (inner.length === 0 ? spec.expected : undefined);
  findings.push(...underPath(fieldPath, findingsFromZod(spec.schema, result.error, value, { describe })));
  return undefined;
}

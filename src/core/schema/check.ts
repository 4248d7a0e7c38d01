/**
 * Checking data the app did not just make (stored records, files, links) against a valibot
 * schema: one definition gives both the TypeScript type and the check, and a rejection names
 * the field and what was wrong with it, in words a learner can act on.
 *
 * valibot rather than zod: its functions are imported one by one and tree-shaken, so the few
 * checks the app makes cost a few kB of the bundle where zod's object API costs tens.
 */
import * as v from 'valibot';
import { formatCount } from '../format';

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

const count = (n: number, what: string) => `${formatCount(n)} ${what}${n === 1 ? '' : 's'}`;

/** What `value` is, in a few words, for messages ("a list of 600 items", "null"). */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${count(value.length, 'item')}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.length > 40 ? `a text of ${count(value.length, 'character')}` : `"${value}"`;
  return typeof value === 'number' ? String(value) : typeof value;
}

/** valibot's names of the kinds of value, as a learner would say them. */
const KINDS: Record<string, string> = {
  array: 'a list',
  tuple: 'a list',
  object: 'an object',
  record: 'an object',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
};

/**
 * What the field should have been, in words: "at most 500 items", "one of "sgd", "adam"",
 * "a whole number" (valibot says "<=500", "("sgd" | "adam")", "Array").
 */
function wanted(issue: v.BaseIssue<unknown>): string | null {
  const requirement = (issue as { requirement?: unknown }).requirement;
  const unit = Array.isArray(issue.input) ? 'item' : 'character';
  switch (issue.type) {
    case 'max_length':
      return `at most ${count(Number(requirement), unit)}`;
    case 'min_length':
      return `at least ${count(Number(requirement), unit)}`;
    case 'max_value':
      return `at most ${String(requirement)}`;
    case 'min_value':
      return `at least ${String(requirement)}`;
    case 'integer':
      return 'a whole number';
    case 'finite':
      return 'a finite number';
  }
  if (issue.type in KINDS) return KINDS[issue.type]!;
  const e = issue.expected;
  if (!e) return null;
  // A custom check's `expected` is "unknown"; its message says what it wanted.
  if (e === 'unknown') return issue.message;
  const options = /^\((.*)\)$/.exec(e)?.[1]?.split(' | ');
  if (options && options.length > 1) return `one of ${options.join(', ')}`;
  return e.replace(/^!/, 'not ');
}

/**
 * `value` checked against `schema`, or the first problem: `what` names the thing
 * ("The stored dataset record"), the issue's path names the field.
 */
export function check<S extends v.GenericSchema>(schema: S, value: unknown, what: string): Checked<v.InferOutput<S>> {
  const r = v.safeParse(schema, value, { abortEarly: true });
  if (r.success) return { ok: true, value: r.output };
  return { ok: false, problem: describeIssue(r.issues[0], what) };
}

/** Like `check`, but every problem (at most `max`), each naming its field: for files a person edits. */
export function checkAll<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  what: string,
  max = 10,
): { ok: true; value: v.InferOutput<S> } | { ok: false; problems: string[] } {
  const r = v.safeParse(schema, value);
  if (r.success) return { ok: true, value: r.output };
  return { ok: false, problems: r.issues.slice(0, max).map((issue) => describeIssue(issue, what)) };
}

function describeIssue(issue: v.BaseIssue<unknown>, what: string): string {
  const path = v.getDotPath(issue);
  const should = wanted(issue);
  const expected = should ? ` (expected ${should})` : '';
  if (path && issue.input === undefined) return `${what}: the field "${path}" is missing.`;
  return path
    ? `${what}: the field "${path}" is ${kindOf(issue.input)}, which is not valid${expected}.`
    : `${what} is not valid: ${issue.message}`;
}

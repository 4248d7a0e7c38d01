/**
 * Checking data the app did not just make (stored records, files, links) against a valibot
 * schema: one definition gives both the TypeScript type and the check, and a rejection names
 * the field and what was wrong with it, in words a learner can act on.
 *
 * valibot rather than zod: its functions are imported one by one and tree-shaken, so the few
 * checks the app makes cost a few kB of the bundle where zod's object API costs tens.
 */
import * as v from 'valibot';

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** What `value` is, in a word, for messages ("a string", "null"). */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.length > 40 ? 'a long string' : `"${value}"`;
  return typeof value === 'number' ? String(value) : typeof value;
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
  // A custom check's `expected` is "unknown"; its message says what it wanted.
  const wanted = issue.expected === 'unknown' ? issue.message : issue.expected?.replace(/^!/, 'not ');
  const expected = wanted ? ` (expected ${wanted})` : '';
  if (path && issue.input === undefined) return `${what}: the field "${path}" is missing.`;
  return path
    ? `${what}: the field "${path}" is ${kindOf(issue.input)}, which is not valid${expected}.`
    : `${what} is not valid: ${issue.message}`;
}

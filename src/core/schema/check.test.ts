import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { check } from './check';

const Thing = v.object({ name: v.string(), shape: v.tuple([v.number(), v.number()]), tags: v.array(v.string()) });

describe('check', () => {
  it('passes a valid value through, typed', () => {
    const r = check(Thing, { name: 'a', shape: [1, 2], tags: [] }, 'The thing');
    expect(r).toEqual({ ok: true, value: { name: 'a', shape: [1, 2], tags: [] } });
  });

  it.each([
    [{ name: 'a', shape: '28x28', tags: [] }, /field "shape" is "28x28"/],
    [{ name: { evil: 1 }, shape: [1, 2], tags: [] }, /field "name" is an object/],
    [{ name: 'a', shape: [1, 2], tags: null }, /field "tags" is null/],
    [{ name: 'a', shape: [1, 'x'], tags: [] }, /field "shape.1" is "x"/],
    [{ shape: [1, 2], tags: [] }, /field "name" is missing\.$/],
  ])('names the field that is wrong (%#)', (value, message) => {
    const r = check(Thing, value, 'The thing');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(message);
    if (!r.ok) expect(r.problem).toMatch(/^The thing: /);
  });

  it('says what is wrong with a value that is not even an object', () => {
    const r = check(Thing, 'hello', 'The thing');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(/^The thing is not valid/);
  });
});

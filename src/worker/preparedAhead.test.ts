import { describe, expect, it } from 'vitest';
import { PreparedAhead } from './preparedAhead';

class Data {
  disposed = false;
  constructor(readonly key: string) {}
  dispose() {
    this.disposed = true;
  }
}

/** A `make` that the test finishes by hand, recording whether it was still wanted then. */
function manual(key: string) {
  let finish = (_wanted: boolean) => {};
  let asked: boolean | null = null;
  const make = (stillWanted: () => boolean) =>
    new Promise<Data | null>((resolve) => {
      finish = () => {
        asked = stillWanted();
        resolve(asked ? new Data(key) : null);
      };
    });
  return { make, finish: () => finish(true), asked: () => asked };
}

describe('PreparedAhead', () => {
  it('hands the data to a request for the same key, once', async () => {
    const ahead = new PreparedAhead<Data>();
    ahead.start('a', async () => new Data('a'));
    const got = await ahead.take('a');
    expect(got?.key).toBe('a');
    expect(got?.disposed).toBe(false);
    expect(await ahead.take('a')).toBeUndefined();
  });

  it('disposes data made for another key, or that cannot be used', async () => {
    const ahead = new PreparedAhead<Data>();
    const made: Data[] = [];
    ahead.start('a', async () => made[made.push(new Data('a')) - 1]!);
    expect(await ahead.take('b')).toBeUndefined();
    expect(made[0]!.disposed).toBe(true);

    const other = new PreparedAhead<Data>();
    const d = new Data('a');
    other.start('a', async () => d);
    expect(await other.take('a', false)).toBeUndefined();
    expect(d.disposed).toBe(true);
  });

  it('a request that comes while the data is made waits for it', async () => {
    const ahead = new PreparedAhead<Data>();
    const m = manual('a');
    ahead.start('a', m.make);
    const taking = ahead.take('a');
    m.finish();
    expect(m.asked()).toBe(true);
    expect((await taking)?.key).toBe('a');
  });

  it('tells the maker that a waiting request wants other data, so it can skip the work', async () => {
    const ahead = new PreparedAhead<Data>();
    const m = manual('a');
    ahead.start('a', m.make);
    const taking = ahead.take('b');
    m.finish();
    expect(m.asked()).toBe(false);
    expect(await taking).toBeUndefined();
  });

  it('starts once, and not after a take', async () => {
    const ahead = new PreparedAhead<Data>();
    let makes = 0;
    ahead.start('a', async () => (makes++, new Data('a')));
    ahead.start('b', async () => (makes++, new Data('b')));
    expect(makes).toBe(1);
    await ahead.take('a');
    const late = new PreparedAhead<Data>();
    expect(await late.take('a')).toBeUndefined();
    late.start('a', async () => (makes++, new Data('a')));
    expect(makes).toBe(1);
  });

  it('a failed make counts as nothing made', async () => {
    const ahead = new PreparedAhead<Data>();
    ahead.start('a', async () => {
      throw new Error('out of memory');
    });
    expect(await ahead.take('a')).toBeUndefined();
  });
});

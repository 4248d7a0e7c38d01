/**
 * Something made before it is asked for, for one expected request, and handed to the first
 * request that comes: the training worker makes the data tensors for the page's settings
 * while the learner looks at the page, and the first run takes them if its data settings are
 * the same (else they are freed). Kept free of tfjs so that Node tests cover the rules.
 */
export interface Disposable {
  dispose(): void;
}

interface Entry<D> {
  key: string;
  data: Promise<D | null>;
  /** The key of the request waiting for the data, once one has come. */
  wanted: string | null;
}

export class PreparedAhead<D extends Disposable> {
  private entry: Entry<D> | null = null;
  private taken = false;

  /**
   * Starts making data for `key`, once: nothing happens after a first start or a first take.
   * `make` may ask `stillWanted()` before its costly part: false once the request that came
   * wants other data. It resolves to null (or fails) when it made nothing.
   */
  start(key: string, make: (stillWanted: () => boolean) => Promise<D | null>): void {
    if (this.entry || this.taken) return;
    const entry: Entry<D> = { key, data: Promise.resolve(null), wanted: null };
    entry.data = make(() => entry.wanted === null || entry.wanted === key).catch(() => null);
    this.entry = entry;
  }

  /**
   * The data made ahead, waited for, if it was made for `key` (null: for nothing) and
   * `usable`; otherwise it is disposed and the answer is undefined. Only the first take gets it.
   */
  async take(key: string | null, usable = true): Promise<D | undefined> {
    const entry = this.entry;
    this.entry = null;
    this.taken = true;
    if (!entry) return undefined;
    entry.wanted = key ?? '';
    const data = await entry.data;
    if (data && key === entry.key && usable) return data;
    data?.dispose();
    return undefined;
  }
}

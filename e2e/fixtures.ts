/**
 * Page object for the playground: drives the UI by accessible names (as a learner would) and
 * reads the app state through `window.__playground` for precise assertions.
 */
import { test as base, expect, type Page } from '@playwright/test';

export interface EpochPointView {
  epoch: number;
  loss: number;
  acc: number;
  val_loss?: number;
  val_acc?: number;
}

export class Playground {
  constructor(readonly page: Page) {}

  /**
   * Opens the app. Every test has a fresh browser profile, so the wasm thread probe would run
   * in each: the page gets `threads=1` (this machine's count before the probe existed) unless
   * the query names `threads` (`threads=auto` to measure).
   */
  async open(query = '?backend=wasm') {
    const params = new URLSearchParams(query);
    if (!params.has('threads')) params.set('threads', '1');
    await this.page.goto(`/?${params.toString()}`);
    await expect(this.page.getByRole('figure', { name: 'Sample images' })).toBeVisible();
  }

  field(label: string) {
    return this.page.getByLabel(label, { exact: true });
  }

  async set(label: string, value: string | number) {
    const el = this.field(label);
    const tag = await el.evaluate((e) => e.tagName);
    if (tag === 'SELECT') await el.selectOption({ label: String(value) });
    else await el.fill(String(value));
  }

  button(name: string) {
    return this.page.getByRole('button', { name, exact: true });
  }

  status() {
    return this.page.getByRole('status');
  }

  /** Fills the data and training fields for a short run. */
  async configure(s: { examples?: number; epochs?: number; batch?: number; backend?: string; seed?: number }) {
    if (s.examples !== undefined) await this.set('Training examples', s.examples);
    if (s.epochs !== undefined) await this.set('Epochs', s.epochs);
    if (s.batch !== undefined) await this.set('Batch size', s.batch);
    if (s.seed !== undefined) await this.set('Seed', s.seed);
    if (s.backend !== undefined) await this.field('Backend').selectOption(s.backend);
  }

  async state<T>(pick: string): Promise<T> {
    return this.page.evaluate((p) => {
      const s = (window as unknown as { __playground: { store: { getState(): Record<string, unknown> } } }).__playground.store.getState();
      return p.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], s);
    }, pick) as Promise<T>;
  }

  epochPoints() {
    return this.state<EpochPointView[]>('epochPoints');
  }

  async waitForStatus(status: string, timeout = 120_000) {
    await expect.poll(() => this.state<string>('status'), { timeout }).toBe(status);
  }
}

export const test = base.extend<{ playground: Playground }>({
  playground: async ({ page }, use) => {
    page.on('pageerror', (e) => console.log('[pageerror]', e.message));
    await use(new Playground(page));
  },
});
export { expect };

import { describe, expect, it } from 'vitest';
import { ImportCancelledError, ImportClient } from './importClient';
import type { FromImporter, ToImporter } from '../protocol/importMessages';

class FakeWorker {
  sent: ToImporter[] = [];
  terminated = false;
  onmessage: ((e: { data: FromImporter }) => void) | null = null;
  onerror: ((e: { message: string; preventDefault(): void }) => void) | null = null;
  postMessage(m: ToImporter) {
    this.sent.push(m);
  }
  terminate() {
    this.terminated = true;
  }
  reply(m: FromImporter) {
    this.onmessage?.({ data: m });
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const client = new ImportClient(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as Worker;
  });
  return { client, workers };
}

const options = { size: 28, channels: 1 as const, labelDepth: 'leaf' as const, testFraction: 0.2 };
const info = { id: 'import:1', name: 'pets', createdAt: 1, shape: [28, 28, 1] as [number, number, number], classNames: ['a', 'b'], trainCount: 8, testCount: 2, classCounts: { train: [4, 4], test: [1, 1] }, source: 'folders' };

describe('ImportClient', () => {
  it('starts the worker on first use, forwards progress, resolves with the result', async () => {
    const { client, workers } = setup();
    expect(workers).toHaveLength(0);
    const progress: number[] = [];
    const p = client.import('pets', [], options, (_s, done) => progress.push(done));
    const w = workers[0]!;
    const { requestId } = w.sent[0]!;
    w.reply({ type: 'importProgress', requestId, stage: 'Decoding images', done: 3, total: 10 });
    w.reply({ type: 'importProgress', requestId: requestId + 99, stage: 'stale', done: 9, total: 10 });
    w.reply({ type: 'imported', requestId, dataset: info, skipped: ['x.png: damaged.'], problems: [] });
    await expect(p).resolves.toEqual({ dataset: info, skipped: ['x.png: damaged.'], problems: [] });
    expect(progress).toEqual([3]);
  });

  it('rejects with the worker message, keeping the skipped list', async () => {
    const { client, workers } = setup();
    const p = client.import('pets', [], options, () => {});
    workers[0]!.reply({ type: 'importError', requestId: workers[0]!.sent[0]!.requestId, message: 'No images were found.', skipped: ['a'], problems: [] });
    await expect(p).rejects.toMatchObject({ message: 'No images were found.', skipped: ['a'] });
  });

  it('cancels by terminating the worker; the next import gets a fresh one', async () => {
    const { client, workers } = setup();
    const p = client.import('pets', [], options, () => {});
    client.cancel();
    await expect(p).rejects.toBeInstanceOf(ImportCancelledError);
    expect(workers[0]!.terminated).toBe(true);
    void client.import('again', [], options, () => {});
    expect(workers).toHaveLength(2);
  });

  it('turns a worker crash (out of memory) into a message', async () => {
    const { client, workers } = setup();
    const p = client.import('pets', [], options, () => {});
    workers[0]!.onerror?.({ message: '', preventDefault() {} });
    await expect(p).rejects.toThrow(/worker crashed, perhaps out of memory/);
  });

  it('asks the page before any URL is fetched and posts the answer; no question asked means no', async () => {
    const { client, workers } = setup();
    const asked: unknown[] = [];
    const p = client.import('web', [], options, () => {}, async (hosts, urls) => (asked.push([hosts, urls]), true));
    const w = workers[0]!;
    const { requestId } = w.sent[0]!;
    const hosts = [{ host: 'images.example.org', count: 9, downloadable: true }];
    w.reply({ type: 'confirmHosts', requestId, hosts, urls: 9 });
    await Promise.resolve();
    await Promise.resolve();
    expect(asked).toEqual([[hosts, 9]]);
    expect(w.sent.at(-1)).toEqual({ type: 'hostsAnswer', requestId, ok: true });
    w.reply({ type: 'imported', requestId, dataset: info, skipped: [], problems: [] });
    await p;

    const q = client.import('web', [], options, () => {}); // a caller that gives no way to ask
    const second = w.sent.at(-1)!.requestId;
    w.reply({ type: 'confirmHosts', requestId: second, hosts, urls: 9 });
    await Promise.resolve();
    await Promise.resolve();
    expect(w.sent.at(-1)).toEqual({ type: 'hostsAnswer', requestId: second, ok: false });
    w.reply({ type: 'importError', requestId: second, message: 'declined', skipped: [], problems: [] });
    await expect(q).rejects.toThrow('declined');
  });
});

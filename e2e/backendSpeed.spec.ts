import { test, expect } from './fixtures';

type Report = {
  backend: string;
  label?: string;
  skipped: { backend: string; reason: string }[];
  speeds?: { backend: string; samplesPerSec: number }[];
  measured?: 'now' | 'cached';
  probeMs?: number;
};

// The default browser here has WebGPU's SwiftShader fallback adapter and WebGL on SwiftShader.
test('automatic backend: measures every backend that can train the model, takes the fastest, caches it', async ({ playground: pg, page }) => {
  await pg.open('?backend=auto');
  await pg.configure({ examples: 200, epochs: 1, batch: 50 });
  await pg.train();
  await pg.waitForStatus('finished', 150_000);
  const first = await pg.state<Report>('backend');
  console.log('MLP b50 automatic choice:', JSON.stringify(first));
  expect(first.measured).toBe('now');
  expect(first.speeds!.length).toBeGreaterThanOrEqual(2); // wasm and cpu at least
  expect(first.backend).toBe(first.speeds![0]!.backend);
  const rates = first.speeds!.map((s) => s.samplesPerSec);
  expect(rates).toEqual([...rates].sort((a, b) => b - a));
  for (const s of first.speeds!.slice(1)) {
    expect(first.skipped.find((k) => k.backend === s.backend)!.reason).toContain('slower here');
  }
  // Software GPUs are named as such; while wasm can train the model they are not timed.
  const webgl = first.skipped.find((s) => s.backend === 'webgl');
  if (webgl) expect(webgl.reason).toMatch(/^software: SwiftShader; /);
  const webgpu = first.skipped.find((s) => s.backend === 'webgpu');
  if (webgpu) expect(webgpu.reason).toMatch(/^software: /);
  expect(first.probeMs).toEqual(expect.any(Number));
  await expect(page.getByText(/skipped .*slower here/)).toBeVisible();

  await pg.train();
  await pg.waitForStatus('finished', 150_000);
  const second = await pg.state<Report>('backend');
  expect(second.measured).toBe('cached');
  expect(second.backend).toBe(first.backend);
  // The cached measurement is reused as it was: the same speeds, the same ranking.
  expect(second.speeds).toEqual(first.speeds);
});

test('automatic backend for the Small CNN: every backend can train it now, the fastest wins', async ({ playground: pg }) => {
  await pg.open('?backend=auto');
  await pg.field('Model preset').selectOption({ label: 'Small CNN' });
  await pg.configure({ examples: 100, epochs: 1, batch: 50 });
  await pg.train();
  await pg.waitForStatus('finished', 150_000);
  const report = await pg.state<Report>('backend');
  console.log('Small CNN b50 automatic choice:', JSON.stringify(report));
  expect(report.speeds!.map((s) => s.backend)).toContain('wasm');
  expect(report.backend).toBe(report.speeds![0]!.backend);
  expect(report.skipped.some((s) => /Conv2DBackpropFilter/.test(s.reason))).toBe(false);
});

/**
 * The hand-written SIMD loops: the committed binaries are the assembled .wat files; on the
 * wasm backend Adam's step gives what the JavaScript loop gives (float32 against float64
 * arithmetic, tail floats included) and MaxPoolGrad what the cpu backend gives, ties and
 * odd sizes included.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { assemble, moduleText } from '../../../scripts/build-simd.mjs';
import { installWasmKernels } from './install';
import { hasSimd, simdAtb, simdColSum, simdExports } from './wasmSimd';
import { fusedUpdate, takeFusedLoop } from '../optimizers/fused';
import { AdamOptimizer } from '../optimizers/rules';

beforeAll(async () => {
  installWasmKernels();
  await tf.setBackend('wasm');
});

describe('SIMD loops', () => {
  it.each(['adam', 'maxPoolGrad', 'atb', 'rows'])('the committed %s.binary.ts is the .wat assembled (run `npm run build:simd` after editing)', async (name) => {
    const dir = new URL('./simd/', import.meta.url);
    const binaries = await assemble(readFileSync(new URL(`${name}.wat`, dir), 'utf8'), `${name}.wat`);
    expect(readFileSync(new URL(`${name}.binary.ts`, dir), 'utf8')).toBe(moduleText(`${name}.wat`, binaries));
  });

  it('runs on the wasm backend and matches the JavaScript loop, the last n mod 4 floats too', () => {
    expect(hasSimd(tf.backend())).toBe(true);
    const n = 1027;
    const data = (k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + k) * (k + 1) * 0.1);
    const [w, g, m] = [data(0), data(1), data(2)];
    const v = data(3).map(Math.abs);
    const scalars = [0.01, 0.9, 0.999, 1e-7, 1 - 0.9 ** 3, 1 - 0.999 ** 3];
    const out = tf.tidy(() => {
      const r = fusedUpdate(AdamOptimizer.className, tf.tensor(w), tf.tensor(g), [tf.tensor(m), tf.tensor(v)], scalars);
      return [r.value, ...r.slots].map((t) => t.dataSync());
    });
    const expected = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
    takeFusedLoop(AdamOptimizer.className)(w, g, [m, v], expected[0]!, [expected[1]!, expected[2]!], scalars);
    expected.forEach((e, k) => {
      const worst = Math.max(...e.map((x, i) => Math.abs(x - out[k]![i]!) / Math.max(Math.abs(x), 1e-3)));
      expect(worst, ['weight', 'm', 'v'][k]).toBeLessThan(1e-5);
    });
    // The weights really moved.
    expect(Math.abs(out[0]![5]! - w[5]!)).toBeGreaterThan(1e-4);
  });

  it('Adam stores no subnormal float: moments and gradients too small to matter become 0, in SIMD and in the JavaScript loop; NaN stays NaN', () => {
    // Cases, 4 floats each (one SIMD lane group), then 3 more for the JavaScript tail:
    // a gradient of 1e-20 (its square would be subnormal), a first moment decaying below 1e-30,
    // a second moment below 1e-30, a NaN gradient, and ordinary values beside them.
    const w = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    const g = Float32Array.from([1e-20, 0, 0.01, NaN, 1e-20, 0, 0.01, NaN, 1e-20, 0, 0.01]);
    const m = Float32Array.from([0, 1e-31, 0.002, 0, 0, 1e-31, 0.002, 0, 0, 1e-31, 0.002]);
    const v = Float32Array.from([0, 1e-31, 1e-4, 0, 0, 1e-31, 1e-4, 0, 0, 1e-31, 1e-4]);
    const scalars = [0.001, 0.9, 0.999, 1e-7, 1 - 0.9 ** 3, 1 - 0.999 ** 3];
    const [ow, om, ov] = tf.tidy(() => {
      const r = fusedUpdate(AdamOptimizer.className, tf.tensor(w), tf.tensor(g), [tf.tensor(m), tf.tensor(v)], scalars);
      return [r.value, ...r.slots].map((t) => Array.from(t.dataSync()));
    });
    const js = [new Float32Array(11), new Float32Array(11), new Float32Array(11)];
    takeFusedLoop(AdamOptimizer.className)(w, g, [m, v], js[0]!, [js[1]!, js[2]!], scalars);
    const subnormal = (x: number) => x !== 0 && Math.abs(x) < 1.1754944e-38;
    for (const [name, simd, loop] of [['m', om!, js[1]!], ['v', ov!, js[2]!], ['weight', ow!, js[0]!]] as const) {
      expect(simd.filter(subnormal), `${name}, SIMD`).toEqual([]);
      expect(Array.from(loop).filter(subnormal), `${name}, JavaScript`).toEqual([]);
    }
    // The tiny gradient and the decayed moments are 0, in both loops (SIMD: indexes 0-7; JS: 8-10).
    for (const i of [0, 4, 8]) expect([om![i], ov![i]]).toEqual([0, 0]);
    for (const i of [1, 5, 9]) expect([om![i], ov![i]]).toEqual([0, 0]);
    // An ordinary weight still moves as Adam says, and a NaN gradient still makes the weight NaN.
    for (const i of [2, 6, 10]) expect(om![i]).toBeCloseTo(0.9 * 0.002 + 0.1 * 0.01, 9);
    expect(ow![2]).toBeLessThan(0.3);
    expect(Number.isNaN(ow![3]!) && Number.isNaN(ow![7]!)).toBe(true);
  });

  it.each([
    [[3, 8, 6, 8]],
    [[2, 7, 5, 4]], // odd height and width: the last row and column get no gradient
  ])('MaxPoolGrad 2x2 stride 2 on %j matches the cpu backend (ties and negatives)', async (shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    // Halves between -2 and 2: many ties inside windows, many all-negative windows.
    const values = Array.from({ length: size }, (_, i) => Math.round(Math.sin(i * 1.7) * 4) / 2);
    const grad = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const x = tf.tensor4d(values, shape as [number, number, number, number]);
      // Each window's gradient a different number, so a misplaced one shows.
      const dx = tf.grad((v) => {
        const pooled = tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid');
        return tf.sum(tf.mul(pooled, tf.range(1, 1 + pooled.size).reshape(pooled.shape)));
      })(x);
      const out = Array.from(await dx.data());
      tf.dispose([x, dx]);
      return out;
    };
    const cpu = await grad('cpu');
    const wasm = await grad('wasm');
    expect(wasm).toEqual(cpu);
    expect(cpu.filter((v) => v !== 0).length).toBeGreaterThan(0);
  });

  it('the shared-memory binaries (multi-threaded build) compute what the plain ones do', () => {
    const n = 64;
    const run = (shared: boolean) => {
      const memory = new WebAssembly.Memory(shared ? { initial: 1, maximum: 16, shared: true } : { initial: 1 });
      const f32 = new Float32Array(memory.buffer);
      for (let i = 0; i < 4 * n; i++) f32[i] = Math.cos(i * 0.3) * (i >= 3 * n ? 0.5 : 1) + (i >= 3 * n ? 1 : 0); // w, g, m, v (> 0)
      const adam = simdExports(memory, 'adam')!.adam as (...args: number[]) => void;
      const at = (k: number) => k * n * 4;
      adam(at(0), at(1), at(2), at(3), at(4), at(5), at(6), n, 0.01, 0.9, 0.1, 0.999, 0.001, 10, 1e-7);
      return Array.from(f32.slice(4 * n, 7 * n));
    };
    const plain = run(false);
    expect(run(true)).toEqual(plain);
    expect(plain.some((v) => v !== 0)).toBe(true);
  });

  it.each([
    [300, 9, 32], // a first Conv2D layer: eight rows in one block, one row alone
    [200, 16, 8], // two blocks of eight rows, nothing alone
    [129, 3, 4], // rows alone only; n just past one chunk of 128
  ])('atb: P^T·dy for n=%i, rows=%i, cols=%i equals a float64 reference, and colSum the column sums', (n, rows, cols) => {
    const p = Float32Array.from({ length: n * rows }, (_, i) => Math.sin(i * 0.61));
    const d = Float32Array.from({ length: n * cols }, (_, i) => Math.cos(i * 0.23));
    const got = tf.tidy(() => {
      const backend = tf.backend() as unknown as { makeOutput(s: number[], d: 'float32'): tf.TensorInfo; typedArrayFromHeap(t: tf.TensorInfo): Float32Array; disposeData(id: object): void };
      const [pt, dt] = [tf.tensor(p, [n, rows]), tf.tensor(d, [n, cols])];
      const out = backend.makeOutput([rows, cols], 'float32');
      const sums = backend.makeOutput([cols], 'float32');
      const view = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t);
      view(out).fill(7); // stale values must not survive: the kernels clear their output
      expect(simdAtb(backend, view(pt), view(dt), view(out), [n, rows, cols])).toBe(true);
      expect(simdColSum(backend, view(dt), view(sums), [n, cols])).toBe(true);
      const result = [Array.from(view(out)), Array.from(view(sums))];
      backend.disposeData(out.dataId);
      backend.disposeData(sums.dataId);
      return result;
    });
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        let want = 0;
        for (let i = 0; i < n; i++) want += p[i * rows + r]! * d[i * cols + c]!;
        expect(got[0]![r * cols + c]!, `[${r}, ${c}]`).toBeCloseTo(want, 3);
      }
    }
    for (let c = 0; c < cols; c++) {
      let want = 0;
      for (let i = 0; i < n; i++) want += d[i * cols + c]!;
      expect(got[1]![c]!, `sum ${c}`).toBeCloseTo(want, 3);
    }
  });
});


/**
 * The hand-written SIMD Adam step: the committed binary is the assembled .wat, and on the
 * wasm backend it gives what the JavaScript loop gives (float32 against float64 arithmetic),
 * tail floats included.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { assemble, moduleText } from '../../../scripts/build-simd.mjs';
import { installWasmKernels } from './install';
import { hasSimdAdam } from './wasmSimdAdam';
import { fusedUpdate, takeFusedLoop } from '../optimizers/fused';
import { AdamOptimizer } from '../optimizers/rules';

beforeAll(async () => {
  installWasmKernels();
  await tf.setBackend('wasm');
});

describe('SIMD Adam', () => {
  it('the committed adam.binary.ts is adam.wat assembled (run `npm run build:simd` after editing)', async () => {
    const dir = new URL('./simd/', import.meta.url);
    const base64 = await assemble(readFileSync(new URL('adam.wat', dir), 'utf8'), 'adam.wat');
    expect(readFileSync(new URL('adam.binary.ts', dir), 'utf8')).toBe(moduleText('adam.wat', base64));
  });

  it('runs on the wasm backend and matches the JavaScript loop, the last n mod 4 floats too', () => {
    expect(hasSimdAdam(tf.backend())).toBe(true);
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
});

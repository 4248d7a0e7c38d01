/**
 * Hand-written WebAssembly SIMD loops (simd/*.wat, assembled by `npm run build:simd`), run
 * over the wasm backend's own memory: four floats per instruction, with no copies.
 * - Adam's fused step, replacing the JavaScript loop of ../optimizers/rules.ts for all but
 *   the last (n mod 4) floats of a weight;
 * - MaxPoolGrad for 2x2 windows with stride 2, MaxPooling2D's usual setting;
 * - P^T·dy for convolution weight gradients and column sums for bias gradients, where
 *   XNNPACK's matmul would first pack a whole operand of a tall, thin product;
 * - a·W and a·W^T with the batch as `a` (Dense layers at batch sizes up to 128), where XNNPACK
 *   would first transpose or pack the whole weight matrix (simd/rows.wat).
 *
 * Each module comes twice: over plain memory (tfjs' single-threaded build) and over shared
 * memory (its multi-threaded build). Browsers without WebAssembly SIMD keep the JavaScript
 * loops.
 */
import adamWasm from './simd/adam.binary';
import maxPoolGradWasm from './simd/maxPoolGrad.binary';
import atbWasm from './simd/atb.binary';
import rowsWasm from './simd/rows.binary';

type AdamExport = (
  w: number, g: number, m: number, v: number, ow: number, om: number, ov: number, n: number,
  step: number, b1: number, a1: number, b2: number, a2: number, vScale: number, eps: number,
) => void;
type MaxPoolGradExport = (x: number, g: number, dx: number, batch: number, h: number, w: number, c: number) => void;
type AtbExport = (p: number, d: number, out: number, n: number, rows: number, cols: number) => void;
type ColSumExport = (x: number, out: number, n: number, cols: number) => void;
type RowsExport = (a: number, b: number, out: number, rows: number, inner: number, cols: number) => void;

const MODULES = { adam: adamWasm, maxPoolGrad: maxPoolGradWasm, atb: atbWasm, rows: rowsWasm };
type Name = keyof typeof MODULES;
type Kind = 'plain' | 'shared';
const compiled = new Map<string, WebAssembly.Module | null>();
const instances = new WeakMap<WebAssembly.Memory, Map<Name, WebAssembly.Exports | null>>();

/** The backend's WebAssembly memory (tfjs' Emscripten module keeps it in one of two places). */
function backendMemory(backend: unknown): WebAssembly.Memory | null {
  const module = (backend as { wasm?: { asm?: { memory?: unknown }; wasmMemory?: unknown } }).wasm;
  const memory = module?.asm?.memory ?? module?.wasmMemory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

/** The compiled module, or null where this browser cannot run it (no SIMD). */
function compile(name: Name, kind: Kind): WebAssembly.Module | null {
  const key = `${name}:${kind}`;
  if (!compiled.has(key)) {
    const bytes = Uint8Array.from(atob(MODULES[name][kind]), (c) => c.charCodeAt(0));
    compiled.set(key, WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null);
  }
  return compiled.get(key)!;
}

/** Module `name` instantiated over `memory` (exported for the tests); null where it cannot run. */
export function simdExports(memory: WebAssembly.Memory, name: Name): WebAssembly.Exports | null {
  let perMemory = instances.get(memory);
  if (!perMemory) instances.set(memory, (perMemory = new Map()));
  if (!perMemory.has(name)) {
    let exports: WebAssembly.Exports | null = null;
    try {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const module = compile(name, shared ? 'shared' : 'plain');
      if (module) exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    } catch {
      exports = null; // no SIMD here: the JavaScript loop runs
    }
    perMemory.set(name, exports);
  }
  return perMemory.get(name)!;
}

function exportsFor(backend: unknown, name: Name): WebAssembly.Exports | null {
  const memory = backendMemory(backend);
  return memory ? simdExports(memory, name) : null;
}

/** True when `backend` (the wasm backend) runs these loops in SIMD. */
export function hasSimd(backend: unknown): boolean {
  return (Object.keys(MODULES) as Name[]).every((name) => exportsFor(backend, name) !== null);
}

/**
 * Runs Adam's step on the first floats of the weight, a multiple of 4, in SIMD; returns how
 * many it did (0 where SIMD is unavailable). `s` is Adam's fused scalars
 * [lr, beta1, beta2, epsilon, 1 − beta1^t, 1 − beta2^t].
 */
export function simdAdam(backend: unknown, w: Float32Array, g: Float32Array, [m, v]: Float32Array[], ow: Float32Array, [om, ov]: Float32Array[], s: readonly number[]): number {
  const adam = exportsFor(backend, 'adam')?.adam as AdamExport | undefined;
  const n = w.length - (w.length % 4);
  if (!adam || n === 0) return 0;
  const [lr, b1, b2, eps, c1, c2] = s as number[];
  adam(w.byteOffset, g.byteOffset, m!.byteOffset, v!.byteOffset, ow.byteOffset, om!.byteOffset, ov!.byteOffset, n,
    lr! / c1!, b1!, 1 - b1!, b2!, 1 - b2!, 1 / c2!, eps!);
  return n;
}

/**
 * MaxPoolGrad of 2x2 windows, stride 2, no padding, for x [batch, h, w, c] with c a multiple
 * of 4, in SIMD; writes every cell of dx (cells outside every window get 0). False where
 * SIMD is unavailable or the shape does not fit (then nothing was written).
 */
export function simdMaxPoolGrad2x2(backend: unknown, x: Float32Array, g: Float32Array, dx: Float32Array, [batch, h, w, c]: number[]): boolean {
  const run = exportsFor(backend, 'maxPoolGrad')?.maxPoolGrad2x2 as MaxPoolGradExport | undefined;
  if (!run || c! % 4 !== 0 || h! < 2 || w! < 2) return false;
  if (h! % 2 || w! % 2) dx.fill(0); // the last row or column lies outside every window
  run(x.byteOffset, g.byteOffset, dx.byteOffset, batch!, h!, w!, c!);
  return true;
}

/**
 * out [rows, cols] = P^T·d for P [n, rows] and d [n, cols] (row-major, in the backend's
 * memory), in SIMD; false where SIMD is unavailable or cols is not a multiple of 4 (then
 * nothing was written).
 */
export function simdAtb(backend: unknown, p: Float32Array, d: Float32Array, out: Float32Array, [n, rows, cols]: number[]): boolean {
  const run = exportsFor(backend, 'atb')?.atb as AtbExport | undefined;
  if (!run || cols! % 4 !== 0) return false;
  run(p.byteOffset, d.byteOffset, out.byteOffset, n!, rows!, cols!);
  return true;
}

/** out [cols] = the sum of the rows of x [n, cols], in SIMD; false as for `simdAtb`. */
export function simdColSum(backend: unknown, x: Float32Array, out: Float32Array, [n, cols]: number[]): boolean {
  const run = exportsFor(backend, 'atb')?.colSum as ColSumExport | undefined;
  if (!run || cols! % 4 !== 0) return false;
  run(x.byteOffset, out.byteOffset, n!, cols!);
  return true;
}


/**
 * out [rows, cols] = a [rows, inner] · b, with b [inner, cols] (`transposeB` false) or
 * b [cols, inner] (true), row-major in the backend's memory, in SIMD; meant for the batch side
 * (see simd/rows.wat). False where SIMD is unavailable or the shape does not fit (cols, or
 * inner when transposed, must be a multiple of 4); then nothing was written. Where
 * `transposeB` is false, a zero in `a` skips its row of b (0 × ∞ or 0 × NaN there gives 0).
 */
export function simdRowsMatMul(
  backend: unknown,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  [rows, inner, cols]: number[],
  transposeB: boolean,
): boolean {
  const m = exportsFor(backend, 'rows');
  const run = (transposeB ? m?.abt : m?.ab) as RowsExport | undefined;
  if (!run || (transposeB ? inner! : cols!) % 4 !== 0) return false;
  run(a.byteOffset, b.byteOffset, out.byteOffset, rows!, inner!, cols!);
  return true;
}

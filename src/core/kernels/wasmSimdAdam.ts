/**
 * Adam's fused step in WebAssembly SIMD (simd/adam.wat), run over the wasm backend's own
 * memory: four floats per instruction, against one for the JavaScript loop of
 * ../optimizers/rules.ts, which it replaces for all but the last (n mod 4) floats of a weight.
 *
 * Only where the backend's memory can be imported as plain (unshared) memory, i.e. the
 * single-threaded build; the multi-threaded build shares its memory and keeps the
 * JavaScript loop, as do browsers without WebAssembly SIMD.
 */
import adamWasm from './simd/adam.binary';

type AdamExport = (
  w: number, g: number, m: number, v: number, ow: number, om: number, ov: number, n: number,
  step: number, b1: number, a1: number, b2: number, a2: number, vScale: number, eps: number,
) => void;

const bytes = Uint8Array.from(atob(adamWasm), (c) => c.charCodeAt(0));
const instances = new WeakMap<WebAssembly.Memory, AdamExport | null>();

/** The backend's WebAssembly memory, when it is plain (unshared) memory. */
function plainMemory(backend: unknown): WebAssembly.Memory | null {
  const module = (backend as { wasm?: { asm?: { memory?: unknown }; wasmMemory?: unknown } }).wasm;
  const memory = module?.asm?.memory ?? module?.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  if (typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer) return null;
  return memory;
}

function adamFor(backend: unknown): AdamExport | null {
  const memory = plainMemory(backend);
  if (!memory) return null;
  if (!instances.has(memory)) {
    let adam: AdamExport | null = null;
    try {
      if (WebAssembly.validate(bytes)) {
        const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
        adam = instance.exports.adam as AdamExport;
      }
    } catch {
      adam = null; // no SIMD here: the JavaScript loop runs
    }
    instances.set(memory, adam);
  }
  return instances.get(memory)!;
}

/** True when `backend` (the wasm backend) runs Adam's step in SIMD. */
export function hasSimdAdam(backend: unknown): boolean {
  return adamFor(backend) !== null;
}

/**
 * Runs Adam's step on the first floats of the weight, a multiple of 4, in SIMD; returns how
 * many it did (0 where SIMD is unavailable). `s` is Adam's fused scalars
 * [lr, beta1, beta2, epsilon, 1 − beta1^t, 1 − beta2^t].
 */
export function simdAdam(backend: unknown, w: Float32Array, g: Float32Array, [m, v]: Float32Array[], ow: Float32Array, [om, ov]: Float32Array[], s: readonly number[]): number {
  const adam = adamFor(backend);
  const n = w.length - (w.length % 4);
  if (!adam || n === 0) return 0;
  const [lr, b1, b2, eps, c1, c2] = s as number[];
  adam(w.byteOffset, g.byteOffset, m!.byteOffset, v!.byteOffset, ow.byteOffset, om!.byteOffset, ov!.byteOffset, n,
    lr! / c1!, b1!, 1 - b1!, b2!, 1 - b2!, 1 / c2!, eps!);
  return n;
}

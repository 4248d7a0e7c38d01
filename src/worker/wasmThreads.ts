/**
 * Multi-threaded WebAssembly for the wasm backend, where the page allows it.
 *
 * Two things in tfjs 4.22 stand in the way:
 * 1. Its threaded module starts each thread from a `blob:` script made of
 *    `wasmFactoryThreadedSimd.toString()`. After `vite build` that function is minified and
 *    refers to variables of the bundle around it, so every thread dies with
 *    "ReferenceError: e is not defined". We hand the threads the original, self-contained
 *    Emscripten script instead (the package's own file, imported as text).
 * 2. Its C++ side uses at most half the logical cores the browser reports. When more threads
 *    are asked for, the worker reports twice that many cores so the count is really used.
 *
 * Without cross-origin isolation (COOP/COEP headers) there is no SharedArrayBuffer and so no
 * threads: the backend runs on one thread and `wasmThreading().reason` says why.
 */
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import threadedScript from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';

export interface WasmThreading {
  /** Threads asked for (1 when multithreading is off). */
  threads: number;
  /** Why this many, for the log and the backend report. */
  reason: string;
}

const FACTORY_PREFIX = 'var WasmBackendModuleThreadedSimd = ';
let state: WasmThreading = { threads: 1, reason: 'not configured' };

/** Replaces the broken thread script tfjs builds from its minified factory with the original. */
function fixThreadScript(): void {
  const Original = globalThis.Blob;
  if ((Original as { patchedForWasmThreads?: boolean }).patchedForWasmThreads) return;
  class ThreadScriptBlob extends Original {
    static patchedForWasmThreads = true;
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      const first = parts?.[0];
      const isFactory = parts?.length === 1 && typeof first === 'string' && first.startsWith(FACTORY_PREFIX);
      super(isFactory ? [threadedScript] : parts, options);
    }
  }
  globalThis.Blob = ThreadScriptBlob;
}

/**
 * Decides how many threads the wasm backend gets; call before the backend initialises.
 * `threads` defaults to half the logical cores (tfjs' default); 1 means the plain SIMD binary.
 */
export function configureWasmThreads(threads?: number): WasmThreading {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  if (!isolated || typeof SharedArrayBuffer === 'undefined') {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    state = {
      threads: 1,
      reason: 'one thread: the page is not cross-origin isolated (the server sends no COOP/COEP headers)',
    };
    console.info(`[wasm] ${state.reason}`);
    return state;
  }
  if (!threadedScript.includes(FACTORY_PREFIX.trim().replace(/ =$/, ''))) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    state = { threads: 1, reason: 'one thread: the threaded WebAssembly script was not found in the build' };
    console.warn(`[wasm] ${state.reason}`);
    return state;
  }
  const cores = globalThis.navigator?.hardwareConcurrency || 1;
  // tfjs' own default, half the logical cores: on the 2-core machines here 2 threads were
  // slower than 1 while other work shared the cores (scripts/bench-threads.mjs, README).
  const count = Math.max(1, Math.floor(threads ?? cores / 2));
  if (count === 1) {
    // The single-threaded SIMD binary: no thread pool to start, no shared-memory overhead.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    state = { threads: 1, reason: `one thread: ${cores} logical core${cores === 1 ? '' : 's'} (threads are used from 4 cores, or when asked for)` };
    console.info(`[wasm] ${state.reason}`);
    return state;
  }
  fixThreadScript();
  setThreadsCount(count);
  // tfjs' C++ takes min(asked, reported cores / 2): report enough cores for `count`.
  try {
    Object.defineProperty(globalThis.navigator, 'hardwareConcurrency', { configurable: true, get: () => Math.max(cores, count * 2) });
  } catch {
    // read-only in this browser: tfjs then uses half the cores
  }
  state = { threads: count, reason: `${count} threads (${cores} logical cores)` };
  console.info(`[wasm] ${state.reason}`);
  return state;
}

/** What `configureWasmThreads` decided. */
export function wasmThreading(): WasmThreading {
  return state;
}

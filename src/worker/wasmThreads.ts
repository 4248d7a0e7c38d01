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
 * threads: the backend runs on one thread and `threadsUnavailableReason()` says why. How many
 * threads to ask for is decided elsewhere (./backend.ts, by measurement).
 */
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { logicalCores } from './deviceInfo';
import threadedScript from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';

export interface WasmThreading {
  /** Threads asked for (1 when multithreading is off). */
  threads: number;
  /** Why this many, for the log and the backend report. */
  reason: string;
}

const FACTORY_PREFIX = 'var WasmBackendModuleThreadedSimd = ';

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
 * Why this page cannot run WebAssembly on several threads, or null when it can. Threads share
 * memory (SharedArrayBuffer), which browsers allow only on cross-origin isolated pages.
 */
export function threadsUnavailableReason(): string | null {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  if (!isolated || typeof SharedArrayBuffer === 'undefined') {
    return 'the page is not cross-origin isolated (the server sends no COOP/COEP headers), so WebAssembly cannot share memory between threads';
  }
  if (!threadedScript.includes(FACTORY_PREFIX.trim().replace(/ =$/, ''))) {
    return 'the threaded WebAssembly script was not found in the build';
  }
  return null;
}

/**
 * Sets the wasm backend up to run on `threads` threads; call before the backend starts (the
 * count is fixed from then on). 1 means the plain SIMD binary. Where threads are unavailable
 * it stays on one thread and the returned reason says why; else the reason is `why`.
 */
export function configureWasmThreads(threads: number, why?: string): WasmThreading {
  const unavailable = threadsUnavailableReason();
  const count = Math.max(1, Math.floor(threads));
  let state: WasmThreading;
  if (count > 1 && unavailable) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    state = { threads: 1, reason: `1 thread: ${unavailable}` };
  } else if (count === 1) {
    // The single-threaded SIMD binary: no thread pool to start, no shared-memory overhead.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    state = { threads: 1, reason: why ?? (unavailable ? `1 thread: ${unavailable}` : '1 thread, as asked') };
  } else {
    fixThreadScript();
    setThreadsCount(count);
    // tfjs' C++ takes min(asked, reported cores / 2): report enough cores for `count`.
    const cores = logicalCores();
    try {
      Object.defineProperty(globalThis.navigator, 'hardwareConcurrency', { configurable: true, get: () => Math.max(cores, count * 2) });
    } catch {
      // read-only in this browser: tfjs then uses half the cores
    }
    state = { threads: count, reason: why ?? `${count} threads, as asked (${cores} logical cores)` };
  }
  console.info(`[wasm] ${state.reason}`);
  return state;
}

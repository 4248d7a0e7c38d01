/**
 * Test helpers (Node only): the real bundled datasets read from public/, loaded once per
 * test file, and a tfjs backend switch.
 */
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadBuiltinDataset } from '../data/builtin';
import { installWasmKernels } from '../kernels/install';
import type { Dataset } from '../data/types';

const publicDir = new URL('../../../public/', import.meta.url);
const cache = new Map<string, Promise<Dataset>>();

export function loadTestDataset(id = 'mnist'): Promise<Dataset> {
  let p = cache.get(id);
  if (!p) {
    p = loadBuiltinDataset(id, async (path) => new Uint8Array(await readFile(new URL(path, publicDir))));
    cache.set(id, p);
  }
  return p;
}

/** Switches tfjs to `name` ('cpu' or 'wasm' in Node), with the kernels the app installs. */
export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  installWasmKernels();
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} did not start`);
  await tf.ready();
}

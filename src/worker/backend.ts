/**
 * Picks the tfjs backend for a run: the user's choice first, else webgpu, webgl, wasm, cpu,
 * skipping any that fails to start or cannot train the model, and saying why.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { BACKEND_ORDER, type BackendChoice, type BackendName } from '../core/training/config';
import type { ModelSpec, LayerType } from '../core/model/types';
import { buildModel } from '../core/model/build';
import type { BackendReport } from '../protocol/messages';
import { installWasmKernels } from '../core/kernels/install';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});
// tfjs 4.22's threaded wasm binary fails inside its blob: thread worker after `vite build`
// ("ReferenceError: e is not defined"); one thread works everywhere.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
// Fast transposed matmuls, Conv2D gradients and a correct MaxPoolGrad on wasm.
installWasmKernels();

/** Gradient kernels each layer type needs beyond the basics, for a precise skip reason. */
const GRADIENT_KERNELS: Partial<Record<LayerType, string[]>> = {
  conv2d: ['Conv2DBackpropFilter', 'Conv2DBackpropInput'],
  maxPooling2d: ['MaxPoolGrad'],
};

const LAYER_LABEL: Partial<Record<LayerType, string>> = { conv2d: 'Conv2D', maxPooling2d: 'MaxPooling2D' };

async function initFailureReason(name: BackendName): Promise<string> {
  if (name === 'webgpu') {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) return 'this browser has no WebGPU';
    const adapter = await gpu.requestAdapter().catch(() => null);
    if (!adapter) return 'the browser offers no WebGPU adapter (WebGPU disabled or no usable GPU)';
    return 'WebGPU failed to start';
  }
  if (name === 'webgl') return 'WebGL2 could not start in the worker (no usable GPU context)';
  if (name === 'wasm') return 'WebAssembly could not start (the .wasm file did not load)';
  return 'the plain JavaScript backend failed to start';
}

/** A reason `name` cannot train `spec`, or null when it can. */
function missingKernelReason(name: BackendName, spec: ModelSpec): string | null {
  for (const layer of spec.layers) {
    for (const kernel of GRADIENT_KERNELS[layer.type] ?? []) {
      if (!tf.getKernel(kernel, name)) {
        return `it cannot train ${LAYER_LABEL[layer.type]} layers (tfjs has no ${kernel} kernel for ${name})`;
      }
    }
  }
  return null;
}

/** Runs one training step of the real model on two blank images; returns an error text or null. */
async function probeTraining(spec: ModelSpec, inputShape: number[], numClasses: number): Promise<string | null> {
  let model: tf.Sequential | null = null;
  const optimizer = tf.train.sgd(0);
  try {
    model = buildModel(spec, inputShape, { seed: 1, numClasses });
    const m = model;
    const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
    const loss = tf.tidy(
      () =>
        optimizer.minimize(
          () => tf.mean(m.apply(tf.zeros([2, ...inputShape]), { training: true }) as tf.Tensor) as tf.Scalar,
          true,
          vars,
        )!,
    );
    await loss.data();
    loss.dispose();
    return null;
  } catch (err) {
    return `a test training step failed: ${(err as Error).message}`;
  } finally {
    model?.dispose();
    optimizer.dispose();
  }
}

/** Switches tfjs to the first usable backend for this model and reports the choice. */
export async function selectBackend(
  choice: BackendChoice,
  spec: ModelSpec,
  inputShape: number[],
  numClasses: number,
): Promise<BackendReport> {
  const order = choice === 'auto' ? BACKEND_ORDER : [choice, ...BACKEND_ORDER.filter((b) => b !== choice)];
  const skipped: BackendReport['skipped'] = [];
  for (const name of order) {
    let started = false;
    try {
      started = await tf.setBackend(name);
      if (started) await tf.ready();
    } catch {
      started = false;
    }
    if (!started) {
      skipped.push({ backend: name, reason: await initFailureReason(name) });
      continue;
    }
    const reason = missingKernelReason(name, spec) ?? (await probeTraining(spec, inputShape, numClasses));
    if (reason) {
      skipped.push({ backend: name, reason });
      continue;
    }
    return { backend: name, skipped };
  }
  throw new Error(
    'No backend could train this model: ' + skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ') + '.',
  );
}

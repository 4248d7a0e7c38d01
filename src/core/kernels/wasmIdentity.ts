/**
 * tfjs 4.22's wasm `Identity` (what `tf.clone` runs) and `Cast` to the same dtype copy the
 * tensor's bytes. Autodiff clones every tensor it keeps for the backward pass, and ReLU's
 * gradient casts a float32 mask to float32, so each training step copied the activations of
 * every layer once or twice more (the Small CNN: about 2 ms a step). Tensor data is never
 * changed in place, so, as on the cpu backend, the result can share the bytes and count one
 * more reference, as wasm's own Reshape already does.
 *
 * Call `installWasmIdentity()` once; calling it again does nothing.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

type RefCounting = { incRef(dataId: object): void };

let installed = false;

/** Replaces `name`'s kernel by one that shares x's bytes when `shares(args)`. */
function shareWhen(name: string, shares: (args: Parameters<tf.KernelFunc>[0]) => boolean): void {
  const original = tf.getKernel(name, 'wasm')!;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      if (!shares(args)) return original.kernelFunc(args);
      const x = args.inputs.x as tf.TensorInfo;
      (args.backend as unknown as RefCounting).incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    },
  });
}

export function installWasmIdentity(): void {
  if (installed) return;
  if (!tf.getKernel('Identity', 'wasm') || !tf.getKernel('Cast', 'wasm')) return; // wasm backend not registered
  installed = true;
  const x = (args: Parameters<tf.KernelFunc>[0]) => args.inputs.x as tf.TensorInfo;
  shareWhen('Identity', (args) => x(args).dtype !== 'string');
  shareWhen('Cast', (args) => x(args).dtype === (args.attrs as { dtype: string }).dtype && x(args).dtype !== 'string');
}

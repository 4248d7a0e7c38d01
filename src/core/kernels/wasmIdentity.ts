/**
 * tfjs 4.22's wasm `Identity` (what `tf.clone` runs) copies the tensor's bytes. Autodiff
 * clones every tensor it keeps for the backward pass, so each training step copied the
 * activations of every layer once more (the Small CNN: about 1.5 ms a step). Tensor data
 * is never changed in place, so, as on the cpu backend, the clone can share the bytes and
 * count one more reference, as wasm's own Reshape already does.
 *
 * Call `installWasmIdentity()` once; calling it again does nothing.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

type RefCounting = { incRef(dataId: object): void };

let installed = false;

export function installWasmIdentity(): void {
  if (installed) return;
  const original = tf.getKernel('Identity', 'wasm');
  if (!original) return; // wasm backend not registered
  installed = true;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype === 'string') return original.kernelFunc(args);
      (args.backend as unknown as RefCounting).incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    },
  });
}

/**
 * Every tfjs kernel fix the app installs for the wasm backend, in one call. Call it before
 * the wasm backend initialises (some kernels' setup runs at initialisation); calling it
 * again does nothing.
 */
import { installFastWasmMatMul } from './wasmMatMul';
import { installWasmConvGradients } from './wasmConv';
import { installWasmMaxPoolGrad } from './wasmMaxPoolGrad';
import { installWasmSum } from './wasmSum';
import { installWasmFusedUpdate } from './wasmFusedUpdate';
import { installWasmIdentity } from './wasmIdentity';

export function installWasmKernels(): void {
  installFastWasmMatMul(); // transposed matmuls (every backward pass) on the fast path
  installWasmConvGradients(); // Conv2D training: the missing weight gradient, a fast input gradient
  installWasmMaxPoolGrad(); // correct MaxPooling2D gradients for negative inputs
  installWasmSum(); // bias gradients (sums over leading axes) as one fast matmul
  installWasmFusedUpdate(); // each optimizer step for a weight in one pass (SlotOptimizer)
  installWasmIdentity(); // clones share their bytes instead of copying them
}

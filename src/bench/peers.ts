/**
 * Native reference speeds on this kind of machine (design/BROWSER-NOTES.md): PyTorch 1.13,
 * CPU, OpenBLAS, one thread, training samples/s. The CNN figure is for Conv2D 32 3x3 on
 * 32x32x3 images, about 3.6 times the convolution work of the Small CNN on 28x28x1 MNIST, so
 * that ratio flatters the playground.
 */
export interface Peer {
  name: string;
  samplesPerSec: number;
  note?: string;
}

const PYTORCH = 'PyTorch 1.13 CPU, OpenBLAS, 1 thread';

export function peerFor(model: string, batchSize: number): Peer | null {
  if (model === 'mlp' && batchSize === 32) return { name: PYTORCH, samplesPerSec: 8000 };
  if (model === 'mlp' && batchSize === 128) return { name: PYTORCH, samplesPerSec: 27000 };
  if (model === 'small-cnn' && batchSize === 64) {
    return { name: PYTORCH, samplesPerSec: 10600, note: 'peer CNN is Conv2D 32 on 32x32x3 (about 3.6x the convolution work)' };
  }
  return null;
}

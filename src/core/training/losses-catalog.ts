/** The losses the UI offers. Pure data; `./losses.ts` computes them with tfjs. */
export type LossId = 'sparseCategoricalCrossentropy' | 'categoricalCrossentropy';

export const LOSS_CATALOG: Record<LossId, { label: string; description: string }> = {
  sparseCategoricalCrossentropy: {
    label: 'Sparse categorical cross-entropy',
    description: 'Targets are integer classes (3); the one-hot step happens inside the loss.',
  },
  categoricalCrossentropy: {
    label: 'Categorical cross-entropy',
    description: 'Targets must be one-hot vectors ([0,0,0,1,0,…]).',
  },
};

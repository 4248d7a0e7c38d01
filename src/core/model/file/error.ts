/**
 * The one error every check of a saved-model file throws, with a message written for a
 * learner, and the small guards the readers share.
 */

/** Thrown for a file that cannot be loaded; `message` is written for a learner. */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

export const fail = (message: string): never => {
  throw new ModelFileError(message);
};

export const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Test helper (never imported by the app): what the PyTorch script (core/export/template.py)
 * can map, read from its source, for the tests that compare it with the app's own lists.
 */
import template from '../export/template.py?raw';

/** The registries of the script, by name, and the app's ids each must cover (see scriptCoverage()). */
export const SCRIPT_REGISTRIES = ['LAYERS', 'OPTIMIZERS', 'SCHEDULES', 'AUGMENTATIONS', 'PREPROCESSING', 'ACTIVATIONS', 'LOSSES'] as const;
export type ScriptRegistry = (typeof SCRIPT_REGISTRIES)[number];

/**
 * The keys of each registry dict in the script's source (`LAYERS = { "dense": Dense, … }`):
 * what the script can map. The tests compare them with the app's own lists, and with what
 * Python itself reads from the same dicts.
 */
export function scriptCoverage(source = template): Record<ScriptRegistry, string[]> {
  const out = {} as Record<ScriptRegistry, string[]>;
  for (const name of SCRIPT_REGISTRIES) {
    const m = new RegExp(`^${name} = \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(source);
    out[name] = m ? [...m[1]!.matchAll(/^ {4}"([^"]+)":/gm)].map((k) => k[1]!) : [];
  }
  return out;
}

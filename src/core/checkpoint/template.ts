/**
 * Checkpoint file names from a Keras-style template such as `model-{epoch:02d}-{val_loss:.4f}`:
 * a small subset of Python's format syntax — `{name}`, `{name:0Nd}` / `{name:Nd}` (an integer,
 * zero- or space-padded to width N) and `{name:.Nf}` (N decimals). Pure; the UI uses
 * `templateProblem` to explain a bad template before training starts.
 */

/** The fields a template may use: the 1-based epoch and the epoch's metrics. */
export const TEMPLATE_FIELDS = ['epoch', 'loss', 'acc', 'val_loss', 'val_acc'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

const PART = /\{([^{}]*)\}/g;
const SPEC = /^(0?)(\d*)d$|^\.(\d+)f$|^$/;

interface Placeholder {
  field: string;
  spec: string;
}

function placeholders(template: string): Placeholder[] {
  return [...template.matchAll(PART)].map((m) => {
    const [field = '', ...rest] = m[1]!.split(':');
    return { field: field.trim(), spec: rest.join(':') };
  });
}

/**
 * Why `template` cannot name checkpoints, in a sentence for the learner, or null when it
 * is fine. `available` lists the metric fields this run will have (no val_* without a
 * validation split).
 */
export function templateProblem(template: string, available: readonly string[] = TEMPLATE_FIELDS): string | null {
  if (template.trim() === '') return 'The checkpoint name is empty: use a template such as model-{epoch:02d}-{val_loss:.4f}.';
  const stripped = template.replace(PART, '');
  if (/[{}]/.test(stripped)) {
    return `The checkpoint name "${template}" has an unmatched { or }: each field is written {name} or {name:format}.`;
  }
  if (/[\\/:*?"<>|]/.test(stripped)) {
    return `The checkpoint name "${template}" contains one of \\ / : * ? " < > |, which file names cannot hold.`;
  }
  for (const { field, spec } of placeholders(template)) {
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(field)) {
      return `The checkpoint name uses {${field}}, which is not a known field. Use one of: ${TEMPLATE_FIELDS.map((f) => `{${f}}`).join(', ')}.`;
    }
    if (!available.includes(field)) {
      return `The checkpoint name uses {${field}}, but this run has no ${field} (the validation split is 0). ` +
        'Remove it from the name, or set a validation split above 0.';
    }
    if (!SPEC.test(spec)) {
      return `The format "${spec}" of {${field}} is not supported: use 02d (a whole number padded to 2 digits) or .4f (4 decimals).`;
    }
    if (spec.endsWith('d') && field !== 'epoch') {
      return `{${field}:${spec}} formats ${field} as a whole number, but it is a decimal: use {${field}:.4f}.`;
    }
  }
  return null;
}

function formatValue(value: number, spec: string): string {
  const m = SPEC.exec(spec);
  if (!m || spec === '') return String(value);
  if (m[3] !== undefined) return Number.isFinite(value) ? value.toFixed(Number(m[3])) : String(value);
  const width = Number(m[2] || 0);
  const n = Math.trunc(value);
  const digits = String(Math.abs(n));
  const sign = n < 0 ? '-' : '';
  if (m[1] === '0') return sign + digits.padStart(Math.max(0, width - sign.length), '0');
  return (sign + digits).padStart(width, ' ');
}

/**
 * The name for a checkpoint: `values` holds the 1-based epoch and the metrics. Throws with
 * `templateProblem`'s message when the template is bad or a value is missing.
 */
export function formatCheckpointName(template: string, values: Partial<Record<TemplateField, number>>): string {
  const problem = templateProblem(template);
  if (problem) throw new Error(problem);
  return template.replace(PART, (_, inner: string) => {
    const [field = '', ...rest] = inner.split(':');
    const value = values[field.trim() as TemplateField];
    if (typeof value !== 'number') {
      throw new Error(`The checkpoint name uses {${field.trim()}}, but this epoch has no such value.`);
    }
    return formatValue(value, rest.join(':'));
  });
}

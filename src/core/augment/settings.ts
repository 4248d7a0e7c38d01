/**
 * Augmentation settings as plain data: the config, its defaults and checks, the registry the
 * form lists, and the per-image parameters. No tfjs here, so the UI can import it.
 */

/** How each training batch is augmented; plain data, everything off by default. */
export interface AugmentationConfig {
  /** Share of each training batch that is augmented, 0..1 (the chapter uses 0.5). */
  fraction: number;
  /** Mirror left-right with probability 1/2. */
  flipH: boolean;
  /** Mirror top-bottom with probability 1/2. */
  flipV: boolean;
  /** Turn by 0, 90, 180 or 270 degrees (uniformly); needs square images. */
  rot90: boolean;
  /** Rotate by a random angle in [-rotateDeg, rotateDeg], shrunk so nothing is clipped; 0 = off. */
  rotateDeg: number;
  /** Shift left/right by up to this fraction of the width, 0..1; 0 = off. */
  shiftW: number;
  /** Shift up/down by up to this fraction of the height, 0..1; 0 = off. */
  shiftH: number;
  /** 'roll' wraps what leaves one edge in at the other; 'pad' fills the uncovered part with black. */
  shiftMode: 'roll' | 'pad';
  /** Scale by a factor in [1-zoom, 1+zoom], then centre-crop or pad back to size; 0 = off. */
  zoom: number;
  /** Multiply pixel brightness by a factor in [1-brightness, 1+brightness]; 0 = off. */
  brightness: number;
}

export const DEFAULT_AUGMENTATION: Readonly<AugmentationConfig> = {
  fraction: 0.5,
  flipH: false,
  flipV: false,
  rot90: false,
  rotateDeg: 0,
  shiftW: 0,
  shiftH: 0,
  shiftMode: 'pad',
  zoom: 0,
  brightness: 0,
};

/** Key of a setting in `AugmentationConfig`. */
export type AugmentationKey = keyof AugmentationConfig;

/** What the UI shows for one augmentation, and the values that are valid. */
export interface AugmentationInfo {
  id: Exclude<AugmentationKey, 'fraction' | 'shiftMode'>;
  label: string;
  description: string;
  kind: 'toggle' | 'range';
  /** For ranges: the largest allowed value, and a useful step. */
  max?: number;
  step?: number;
}

/** The augmentations, keyed by their config field, in the order a form lists them. */
export const AUGMENTATIONS: Readonly<Record<AugmentationInfo['id'], AugmentationInfo>> = {
  flipH: { id: 'flipH', label: 'Flip horizontally', kind: 'toggle', description: 'Mirror left-right, half of the time.' },
  flipV: { id: 'flipV', label: 'Flip vertically', kind: 'toggle', description: 'Mirror top-bottom, half of the time.' },
  rot90: {
    id: 'rot90',
    label: 'Rotate by 90/180/270',
    kind: 'toggle',
    description: 'Turn by a random quarter turn (or not at all); needs square images.',
  },
  rotateDeg: {
    id: 'rotateDeg',
    label: 'Rotation range (degrees)',
    kind: 'range',
    max: 180,
    step: 5,
    description: 'Rotate by a random angle up to this many degrees either way, shrunk to fit so nothing is cut off.',
  },
  shiftW: {
    id: 'shiftW',
    label: 'Width shift (fraction)',
    kind: 'range',
    max: 1,
    step: 0.05,
    description: 'Move left or right by up to this share of the width (0.1 = 10%).',
  },
  shiftH: {
    id: 'shiftH',
    label: 'Height shift (fraction)',
    kind: 'range',
    max: 1,
    step: 0.05,
    description: 'Move up or down by up to this share of the height.',
  },
  zoom: {
    id: 'zoom',
    label: 'Zoom range',
    kind: 'range',
    max: 0.9,
    step: 0.05,
    description: 'Scale by a factor from 1 − zoom to 1 + zoom, then crop or pad back to the same size.',
  },
  brightness: {
    id: 'brightness',
    label: 'Brightness range',
    kind: 'range',
    max: 1,
    step: 0.05,
    description: 'Multiply the brightness by a factor from 1 − range to 1 + range.',
  },
};

/** True when any augmentation is switched on (and some share of the batch is augmented). */
export function isAugmenting(a: AugmentationConfig | undefined | null): a is AugmentationConfig {
  if (!a || !(a.fraction > 0)) return false;
  return a.flipH || a.flipV || a.rot90 || a.rotateDeg > 0 || a.shiftW > 0 || a.shiftH > 0 || a.zoom > 0 || a.brightness > 0;
}

/** Every problem with the augmentation settings, each naming the setting as the form does. */
export function validateAugmentation(a: AugmentationConfig): { key: AugmentationKey; message: string }[] {
  const out: { key: AugmentationKey; message: string }[] = [];
  const inRange = (v: number, max: number) => Number.isFinite(v) && v >= 0 && v <= max;
  if (!inRange(a.fraction, 1)) {
    out.push({ key: 'fraction', message: 'Augmented fraction is the share of each batch that is changed: pick a value from 0 to 1 (0.5 = half).' });
  }
  for (const info of Object.values(AUGMENTATIONS)) {
    if (info.kind !== 'range') continue;
    const v = a[info.id] as number;
    if (!inRange(v, info.max!)) {
      out.push({ key: info.id, message: `${info.label} must be a number from 0 (off) to ${info.max}.` });
    }
  }
  if (a.shiftMode !== 'roll' && a.shiftMode !== 'pad') {
    out.push({ key: 'shiftMode', message: 'Shift mode must be "roll" (wrap around) or "pad" (fill with black).' });
  }
  return out;
}

/** The random choices for one image; identity values when the image is not augmented. */
export interface AugmentParams {
  augmented: boolean;
  flipH: boolean;
  flipV: boolean;
  /** Quarter turns counter-clockwise, 0..3. */
  rot90: number;
  /** Degrees, counter-clockwise. */
  angle: number;
  zoom: number;
  /** Whole pixels; positive moves right / down. */
  dx: number;
  dy: number;
  brightness: number;
}

export const IDENTITY_PARAMS: Readonly<AugmentParams> = {
  augmented: false,
  flipH: false,
  flipV: false,
  rot90: 0,
  angle: 0,
  zoom: 1,
  dx: 0,
  dy: 0,
  brightness: 1,
};

/** The parameters as a short text for the preview ("flip ↔, 90°, rotate 12°, zoom 1.10…"). */
export function describeParams(p: AugmentParams): string {
  if (!p.augmented) return 'not augmented';
  const parts: string[] = [];
  if (p.flipH) parts.push('flip ↔');
  if (p.flipV) parts.push('flip ↕');
  if (p.rot90) parts.push(`turn ${p.rot90 * 90}°`);
  if (p.angle !== 0) parts.push(`rotate ${p.angle.toFixed(0)}°`);
  if (p.zoom !== 1) parts.push(`zoom ${p.zoom.toFixed(2)}`);
  if (p.dx !== 0 || p.dy !== 0) parts.push(`shift ${p.dx},${p.dy}px`);
  if (p.brightness !== 1) parts.push(`bright ×${p.brightness.toFixed(2)}`);
  return parts.length > 0 ? parts.join(', ') : 'unchanged';
}


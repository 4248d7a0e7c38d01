import { describe, expect, it } from 'vitest';
import { formatCheckpointName, templateProblem } from './template';

const values = { epoch: 3, loss: 0.51234, acc: 0.8, val_loss: 0.412345, val_acc: 0.9 };

describe('formatCheckpointName', () => {
  it.each([
    ['model-{epoch:02d}-{val_loss:.4f}', 'model-03-0.4123'],
    ['model-{epoch:02d}', 'model-03'],
    ['ckpt-{epoch:03d}', 'ckpt-003'],
    ['e{epoch:3d}', 'e  3'],
    ['e{epoch}', 'e3'],
    ['{loss:.2f}_{acc:.1f}', '0.51_0.8'],
    ['{val_acc}', '0.9'],
    ['plain', 'plain'],
  ])('%s -> %s', (template, expected) => {
    expect(formatCheckpointName(template, values)).toBe(expected);
  });

  it('keeps a wider epoch than its width', () => {
    expect(formatCheckpointName('m-{epoch:02d}', { epoch: 123 })).toBe('m-123');
  });

  it('throws the problem for a bad template', () => {
    expect(() => formatCheckpointName('m-{epochs}', values)).toThrow(/\{epochs\}.*not a known field/);
  });
});

describe('templateProblem', () => {
  it.each([
    ['model-{epoch:02d}-{val_loss:.4f}', null],
    ['', /empty/],
    ['m-{epoch', /unmatched/],
    ['m-}', /unmatched/],
    ['m/{epoch}', /file names cannot hold/],
    ['m-{val_los:.4f}', /\{val_los\}.*not a known field.*\{val_loss\}/],
    ['m-{epoch:x}', /format "x".*not supported/],
    ['m-{loss:02d}', /decimal: use \{loss:.4f\}/],
  ] as const)('%s', (template, expected) => {
    const p = templateProblem(template);
    if (expected === null) expect(p).toBeNull();
    else expect(p).toMatch(expected);
  });

  it('explains a validation field in a run without a validation split', () => {
    expect(templateProblem('m-{val_loss:.4f}', ['epoch', 'loss', 'acc'])).toMatch(/validation split is 0/);
  });
});

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { importedLabel, importRunFile, insertByCreation, MAX_RUNS_PER_FILE, parseJsonAllowingNaN, readRunFile, runSource } from './importRun';
import { runsToJson, type RunRecord } from './record';
import { defaultConfig } from '../training/defaults';
import { runRecord } from '../testing/runRecord';
import { serializeExperiment, toDocument } from '../share/codec';

/** What the PyTorch script writes (see importRun.script.test.ts, which checks it against the script). */
const SCRIPT_RUN = readFileSync(new URL('./testdata/pytorch-run.json', import.meta.url), 'utf8');

/** One epoch, at other times, ticked and pinned: the fields an import must keep. */
const run = (patch: Partial<RunRecord> = {}): RunRecord =>
  runRecord({
    createdAt: 1000,
    endedAt: 2000,
    epochs: [{ epoch: 1, loss: 0.5, acc: 0.85, val_loss: 0.3, val_acc: 0.9, lr: 0.001 }],
    batches: [],
    backend: 'wasm, 2 threads',
    compared: true,
    baseline: true,
    ...patch,
  });

const now = 1_800_000_000_000;

describe('parseJsonAllowingNaN', () => {
  it("reads Python's bare NaN and ±Infinity as numbers, outside strings only", () => {
    expect(parseJsonAllowingNaN('{"a": NaN, "b": [Infinity, -Infinity], "c": "NaN \\" Infinity"}')).toEqual({
      a: NaN,
      b: [Infinity, -Infinity],
      c: 'NaN " Infinity',
    });
  });
  it('still refuses what is not JSON', () => {
    expect(() => parseJsonAllowingNaN('{"a": NaNa}')).toThrow();
    expect(() => parseJsonAllowingNaN('epoch 1 loss 0.4')).toThrow();
  });
});

describe('importRunFile', () => {
  it("adds the PyTorch script's run.json as a new run, marked as imported from PyTorch", () => {
    const r = importRunFile(SCRIPT_RUN, 'run.json', [run({ id: 'pytorch-1796170137506', name: 'PyTorch: MNIST' })], { now, random: () => 0.5 });
    expect(r.ok ? null : r.problem).toBeNull();
    if (!r.ok) return;
    const [added] = r.value;
    // A fresh id and name: the run already listed under the file's id is left alone.
    expect(added!.id).not.toBe('pytorch-1796170137506');
    expect(added!.id).toMatch(/^imported-/);
    expect(added!.name).toBe('PyTorch: MNIST (2)');
    expect(added!.imported).toEqual({ fileName: 'run.json', source: 'pytorch', importedAt: now });
    expect(importedLabel(added!)).toBe('imported from run.json (PyTorch)');
    expect(added!.config.datasetId).toBe('mnist');
    expect(added!.epochs).toHaveLength(2);
  });

  it('gives every run a new id, even when the random part repeats one in use', () => {
    const first = importRunFile(SCRIPT_RUN, 'run.json', [], { now, random: () => 0 });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const again = importRunFile(SCRIPT_RUN, 'run.json', first.value, { now, random: () => 0 });
    expect(again.ok && again.value[0]!.id).not.toBe(first.value[0]!.id);
  });

  it("reads the Runs list's own JSON export: every run, not drawn nor the baseline, without its lesson step, and a diverged run's nulls as NaN", () => {
    const a = run({ lesson: { id: 'scaling', step: 0 } });
    const b = run({ id: 'run-2', name: 'diverged', outcome: 'diverged', createdAt: 3000, epochs: [{ epoch: 1, loss: NaN, acc: 0.1, lr: 0.5 }], test: null });
    const text = runsToJson([a, b]);
    expect(text).toContain('"loss": null'); // how JSON writes NaN
    const r = importRunFile(text, 'runs-2026-12-01.json', [a, b], { now });
    expect(r.ok ? null : r.problem).toBeNull();
    if (!r.ok) return;
    expect(r.value.map((x) => x.name)).toEqual(['raw pixels (2)', 'diverged (2)']);
    expect(r.value.every((x) => !x.compared && !x.baseline && x.lesson === undefined)).toBe(true);
    expect(r.value.map((x) => x.imported?.source)).toEqual(['playground', 'playground']);
    expect(importedLabel(r.value[0]!)).toBe('imported from runs-2026-12-01.json');
    expect(r.value[1]!.epochs[0]!.loss).toBeNaN();
    expect(new Set([a.id, b.id, ...r.value.map((x) => x.id)]).size).toBe(4);
  });

  it('keeps where a run came from when it is exported and imported again', () => {
    const first = importRunFile(SCRIPT_RUN, 'run.json', [], { now });
    if (!first.ok) throw new Error(first.problem);
    const again = importRunFile(runsToJson(first.value), 'runs.json', [], { now: now + 1 });
    expect(again.ok && again.value[0]!.imported).toEqual({ fileName: 'runs.json', source: 'pytorch', importedAt: now + 1 });
    expect(runSource(run())).toBe('playground');
  });

  const script = JSON.parse(SCRIPT_RUN) as Record<string, unknown>;
  const withRun = (patch: Record<string, unknown>) => JSON.stringify({ ...script, ...patch });
  const experiment = serializeExperiment(toDocument(defaultConfig(), { kind: 'builtin', id: 'mnist' }));
  it.each([
    ['text that is not JSON', 'epoch 1 loss 0.42 acc 0.88\ntest_acc 0.93\n', /^run\.json is not JSON, so it is not a run file/],
    ['a list', '[1, 2]', /^run\.json is not a run file: it holds a list/],
    ['an experiment file', experiment, /^run\.json is an experiment file, not a run: open it with Open experiment/],
    ['a model file', JSON.stringify({ format: 'layers-model', modelTopology: {} }), /is a model file, not a run: open it with Load model/],
    ['JSON of another program', '{"loss": [0.4, 0.2]}', /^run\.json is not a run file of Training Playground: it has no field "kind"/],
    ['another kind', withRun({ kind: 'checkpoint' }), /the field "kind" is "checkpoint", not "run" or "runs"/],
    ['a newer run format', withRun({ schema: 2 }), /^run\.json was written in run format 2 \(the field "schema"\), by a newer version/],
    ['no format', withRun({ schema: undefined }), /^run\.json: the field "schema" is missing/],
    ['a batch size that is text', withRun({ config: { ...(script.config as object), batchSize: 'big' } }), /^run\.json: the field "config\.batchSize" is "big", which is not valid \(expected a number\)/],
    ['an optimizer the app lacks', withRun({ config: { ...(script.config as object), optimizer: 'lion' } }), /the field "config\.optimizer" is "lion"/],
    ['an epoch without its loss', withRun({ epochs: [{ epoch: 1, acc: 0.9 }] }), /^run\.json: the field "epochs\.0\.loss" is missing\./],
    ['an unknown outcome', withRun({ outcome: 'exploded' }), /the field "outcome" is "exploded", which is not valid \(expected one of /],
    ['a test result that is text', withRun({ test: { loss: 0.2, acc: 'high', count: 10 } }), /the field "test\.acc" is "high"/],
    ['an export with a broken second run', JSON.stringify({ app: 'training-playground', kind: 'runs', schema: 1, runs: [script, { ...script, name: 7 }] }), /^run\.json, run 2 of 2: the field "name" is 7/],
    ['an export with no runs', JSON.stringify({ kind: 'runs', schema: 1, runs: [] }), /holds no runs/],
    ['an export whose runs are not a list', JSON.stringify({ kind: 'runs', schema: 1, runs: {} }), /the field "runs" is not a list of runs/],
    ['an export of another format', JSON.stringify({ kind: 'runs', schema: 9, runs: [script] }), /the field "schema" is 9/],
    ['too many runs', JSON.stringify({ kind: 'runs', schema: 1, runs: Array(MAX_RUNS_PER_FILE + 1).fill(script) }), /at most 200 are imported from one file/],
  ])('refuses %s, saying why', (_, text, problem) => {
    const r = importRunFile(text, 'run.json', [], { now });
    expect(r.ok ? 'imported' : r.problem).toMatch(problem);
  });
});

describe('insertByCreation', () => {
  it('places imported runs by start time, as the list reads back after a reload', () => {
    const list = [run({ id: 'a', createdAt: 10 }), run({ id: 'b', createdAt: 30 })];
    const out = insertByCreation(list, [run({ id: 'late', createdAt: 40 }), run({ id: 'early', createdAt: 5 }), run({ id: 'mid', createdAt: 20 })]);
    expect(out.map((r) => r.id)).toEqual(['early', 'a', 'mid', 'b', 'late']);
  });
});

describe('readRunFile', () => {
  it('reads the fixture as one valid run', () => {
    const r = readRunFile(SCRIPT_RUN, 'run.json');
    expect(r.ok && r.value.length).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { RUN_RECORD_SCHEMA, readRunRecord, runsToCsv, runsToJson, summarize } from './record';
import { defaultConfig } from '../training/defaults';
import { runRecord, runRecordProblem } from '../testing/runRecord';

const run = runRecord;

describe('summarize', () => {
  it('finds the best validation accuracy and its epoch, the final and test accuracy', () => {
    expect(summarize(run())).toEqual({ bestValAcc: 0.93, bestValEpoch: 2, finalAcc: 0.97, testAcc: 0.925, epochs: 3 });
  });
  it('says null where a run has no validation or test result', () => {
    expect(summarize(run({ epochs: [{ epoch: 1, loss: 1, acc: 0.5 }], test: null }))).toEqual({
      bestValAcc: null,
      bestValEpoch: null,
      finalAcc: 0.5,
      testAcc: null,
      epochs: 1,
    });
  });
});

describe('runRecordProblem', () => {
  it('accepts a record as written', () => {
    expect(runRecordProblem(JSON.parse(JSON.stringify(run())))).toBeNull();
  });
  it.each([
    ['not an object', 'nothing', /not an object/],
    ['another format', { ...run(), schema: 99 }, /format 99/],
    ['a name that is not text', { ...run(), name: { html: '<b>' } }, /field "name" is an object/],
    ['no config', { ...run(), config: null }, /field "config" is null/],
    ['a config without a model', { ...run(), config: { ...defaultConfig(), model: 'mlp' } }, /field "config.model" is "mlp"/],
    ['a learning rate that is text', { ...run(), config: { ...defaultConfig(), learningRate: '0.1' } }, /field "config.learningRate" is "0.1"/],
    ['an optimizer of no known kind', { ...run(), config: { ...defaultConfig(), optimizer: 'lion' } }, /field "config.optimizer" is "lion"/],
    ['epochs that are not epochs', { ...run(), epochs: [{ epoch: 1 }] }, /field "epochs.0.loss" is missing/],
    ['events without messages', { ...run(), events: [{ kind: 'nan', epoch: 1 }] }, /field "events.0.message" is missing/],
    ['a broken test result', { ...run(), test: { acc: 'high' } }, /field "test.loss" is missing|field "test.acc" is "high"/],
    ['an unknown outcome', { ...run(), outcome: 'exploded' }, /field "outcome" is "exploded"/],
  ])('rejects %s, naming the field', (_, value, reason) => {
    expect(runRecordProblem(value)).toMatch(reason);
  });
  it("accepts a diverged run's NaN loss (as IndexedDB keeps it), and rejects a loss that is text", () => {
    const diverged = run({ outcome: 'diverged', epochs: [{ epoch: 1, loss: NaN, acc: 0.1, val_loss: NaN, val_acc: 0.1 }], test: { loss: NaN, acc: 0.1, count: 100 } });
    expect(runRecordProblem(structuredClone(diverged))).toBeNull();
    expect(runRecordProblem({ ...diverged, epochs: [{ epoch: 1, loss: 'NaN', acc: 0.1 }] })).toMatch(/field "epochs.0.loss" is "NaN", which is not valid \(expected a number\)/);
  });
  it('fills a setting the stored config predates with its default', () => {
    const { earlyStopping: _dropped, ...older } = defaultConfig();
    const r = readRunRecord(JSON.parse(JSON.stringify({ ...run(), config: older })));
    expect(r.ok && r.value.config.earlyStopping).toEqual(defaultConfig().earlyStopping);
  });
});

describe('runsToCsv', () => {
  it('writes one row per run and epoch, with the differing settings as columns', () => {
    const a = run({ name: 'raw pixels', config: { ...defaultConfig(), preprocessing: 'raw' } });
    const b = run({ id: 'run-2', name: 'normalize, "quoted"', test: null });
    const lines = runsToCsv([a, b]).trimEnd().split('\n');
    expect(lines[0]).toBe('run,Inputs,epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,test_accuracy');
    expect(lines[1]).toBe('raw pixels,raw pixels,1,0.5,0.85,0.3,0.9,0.001,0.925');
    expect(lines[4]).toBe('"normalize, ""quoted""","normalize [0,1]",1,0.5,0.85,0.3,0.9,0.001,');
    expect(lines).toHaveLength(7);
  });
  it('JSON keeps the records and names the format', () => {
    const doc = JSON.parse(runsToJson([run()]));
    expect(doc).toMatchObject({ kind: 'runs', schema: RUN_RECORD_SCHEMA, runs: [{ id: 'run-1', name: 'raw pixels' }] });
  });
});

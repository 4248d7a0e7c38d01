/**
 * The run.json the exported PyTorch script writes, imported: the script's own `run_record` and
 * its `json.dump` (taken out of the generated train_pytorch.py and run by python3, with only
 * `torch.__version__` standing in for PyTorch, so no torch is needed), fed what the script's
 * training loop gives it. The committed fixture `testdata/pytorch-run.json` (also the e2e
 * test's file) must be what that writer produces: `UPDATE_RUN_FIXTURE=1` rewrites it.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pytorchScript } from '../export/pytorch';
import { toDocument } from '../share/codec';
import { defaultConfig } from '../training/defaults';
import { BUILTIN_DATASETS } from '../data/builtin';
import { PYTHON, run, scratch, writeFile } from '../testing/python';
import { importRunFile, readRunFile } from './importRun';

const FIXTURE = fileURLToPath(new URL('./testdata/pytorch-run.json', import.meta.url));

/**
 * Runs the script's `run_record` on `inputs` (its training loop's epochs_log, events, test
 * result and outcome) and returns what the script writes to run.json.
 */
const DRIVER = String.raw`
import ast, json, sys, types
source = open(sys.argv[1], encoding="utf-8").read()
inputs = json.loads(sys.argv[2])
wanted = lambda n: (isinstance(n, ast.FunctionDef) and n.name == "run_record") or (
    isinstance(n, ast.Assign) and any(getattr(t, "id", None) in ("EXPERIMENT", "DATASET") for t in n.targets))
module = ast.Module(body=[n for n in ast.parse(source).body if wanted(n)], type_ignores=[])
import time
ns = {"json": json, "time": time, "torch": types.SimpleNamespace(__version__="2.1.0")}
exec(compile(module, "train_pytorch.py", "exec"), ns)
assert "run_record" in ns, "run_record is not in the script any more"
doc = ns["EXPERIMENT"]
cfg = dict(doc["config"])
dist = types.SimpleNamespace(device=types.SimpleNamespace(type=inputs["device"]), world=inputs["world"])
epochs_log = [dict(e, lr=0.001) for e in inputs["epochs"]]
record = ns["run_record"](doc, cfg, epochs_log, inputs["events"], inputs["test"], time.time() - 3.5, inputs["outcome"], dist)
json.dump(record, sys.stdout, indent=1)
`;

async function scriptRunJson(inputs: object): Promise<string> {
  const dir = scratch('run-json-');
  try {
    const cfg = { ...defaultConfig(), epochs: 2, trainingExamples: 2000 };
    const script = pytorchScript(toDocument(cfg, { kind: 'builtin', id: 'mnist' }), BUILTIN_DATASETS.mnist);
    if (!script.ok) throw new Error(script.problem);
    const path = writeFile(dir, 'train_pytorch.py', script.text);
    // Python's json reads a bare NaN (the script's logs hold float('nan') after a divergence).
    return (await run(PYTHON, ['-c', DRIVER, path, JSON.stringify(inputs).replace(/"__NaN__"/g, 'NaN')])).stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const completed = {
  device: 'cuda',
  world: 1,
  epochs: [
    { epoch: 1, loss: 0.4213, acc: 0.8791, val_loss: 0.2604, val_acc: 0.9215 },
    { epoch: 2, loss: 0.1987, acc: 0.9412, val_loss: 0.2113, val_acc: 0.9385 },
  ],
  events: [
    { kind: 'checkpoint', epoch: 1, message: 'Checkpoint model-01-0.4213.pt saved.' },
    { kind: 'checkpoint', epoch: 2, message: 'Checkpoint model-02-0.1987.pt saved.' },
  ],
  test: { loss: 0.2201, acc: 0.9356, count: 10000 },
  outcome: 'completed',
};

/** The fields that change from one run of the writer to the next. */
const timeless = (r: Record<string, unknown>) => ({ ...r, id: 'pytorch-…', createdAt: 0, endedAt: 0, durationMs: 0 });

describe("the PyTorch script's run.json", () => {
  it('is imported as a new PyTorch run of MNIST with its epochs and test result, and the fixture is what the script writes', async () => {
    const text = await scriptRunJson(completed);
    if (process.env.UPDATE_RUN_FIXTURE) writeFileSync(FIXTURE, text + '\n');
    expect(timeless(JSON.parse(text))).toEqual(timeless(JSON.parse(readFileSync(FIXTURE, 'utf8'))));

    const r = importRunFile(text, 'run.json', [], { now: 5000 });
    expect(r.ok ? null : r.problem).toBeNull();
    if (!r.ok) return;
    expect(r.value).toHaveLength(1);
    const run = r.value[0]!;
    expect(run).toMatchObject({
      name: 'PyTorch: MNIST',
      datasetName: 'MNIST',
      backend: 'PyTorch 2.1.0, cuda',
      outcome: 'completed',
      test: { acc: 0.9356, count: 10000 },
      imported: { fileName: 'run.json', source: 'pytorch', importedAt: 5000 },
      compared: false,
    });
    expect(run.id).toMatch(/^imported-/);
    expect(run.config.datasetId).toBe('mnist');
    expect(run.config.epochs).toBe(2);
    expect(run.epochs.map((e) => [e.epoch, e.val_acc])).toEqual([
      [1, 0.9215],
      [2, 0.9385],
    ]);
    expect(run.durationMs).toBeGreaterThan(3000);
  });

  it("reads a diverged run, whose NaN losses Python's json.dump writes bare", async () => {
    const text = await scriptRunJson({
      ...completed,
      device: 'cpu',
      world: 2,
      epochs: [{ epoch: 1, loss: '__NaN__', acc: 0.1, val_loss: '__NaN__', val_acc: 0.098 }],
      events: [{ kind: 'nan', epoch: 1, message: 'The loss became nan in epoch 1, so training stopped.' }],
      test: { loss: '__NaN__', acc: 0.098, count: 10000 },
      outcome: 'diverged',
    });
    expect(text).toContain('NaN'); // not JSON: the case this test is about
    expect(() => JSON.parse(text)).toThrow();
    const r = readRunFile(text, 'run.json');
    expect(r.ok ? null : r.problem).toBeNull();
    if (!r.ok) return;
    expect(r.value[0]!.outcome).toBe('diverged');
    expect(r.value[0]!.backend).toBe('PyTorch 2.1.0, cpu x2 (torchrun)');
    expect(r.value[0]!.epochs[0]!.loss).toBeNaN();
    expect(r.value[0]!.test!.loss).toBeNaN();
  });
});

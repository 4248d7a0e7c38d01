"""Checks an exported script from the inside, for pytorch.test.ts (not part of the export).

Usage: python3 verify.py SCRIPT.py INPUT.json  ->  prints one JSON object with what the script
computes: its registries, the optimizer trajectories' worst error against the float64
reference, the planned schedules' rates, its random streams, the MNIST split and statistics,
and an augmented batch. The test compares each with the app's own code.
"""
import importlib.util
import json
import sys

import numpy as np
import torch

torch.set_num_threads(1)
spec = importlib.util.spec_from_file_location("exported", sys.argv[1])
script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(script)
with open(sys.argv[2], "r", encoding="utf-8") as f:
    given = json.load(f)
out = {}

out["registries"] = {name: list(getattr(script, name)) for name in given["registries"]}
out["experiment"] = script.EXPERIMENT
out["dataset"] = script.DATASET

# Optimizers: 20 full-gradient float32 steps on loss(w) = 0.5 * sum((A w - b)^2).
with open(given["trajectories"], "r", encoding="utf-8") as f:
    ref = json.load(f)
A = torch.tensor(ref["problem"]["A"], dtype=torch.float32)
b = torch.tensor(ref["problem"]["b"], dtype=torch.float32)
worst = {}
for oid, entry in ref["optimizers"].items():
    h = dict(entry["hyperparameters"])
    lr = h.pop("learningRate")
    w = torch.tensor(ref["problem"]["w0"], dtype=torch.float32, requires_grad=True)
    opt = script.make_optimizer(oid, [w], lr, h)
    err = 0.0
    for point in entry["trajectory"]:
        w.grad = None
        (0.5 * ((A @ w - b) ** 2).sum()).backward()
        opt.step()
        err = max(err, float(np.max(np.abs(w.detach().double().numpy() - np.asarray(point)))))
    worst[oid] = {"maxError": err, "moved": abs(float(w[0]) - ref["problem"]["w0"][0]), "class": type(opt).__name__}
out["trajectories"] = worst

# Planned schedules: the rate at each step t.
out["schedules"] = {}
for case in given["schedules"]:
    fn = script.SCHEDULES[case["id"]]
    params = dict(script.DEFAULTS["schedules"][case["id"]], **case["params"])
    out["schedules"][case["id"]] = [fn(t, case["lr0"], params, case["total"]) for t in range(case["steps"])]

# Random streams.
rng = script.Rng(given["rng"]["seed"])
out["rng"] = {
    "next": [rng.next() for _ in range(5)],
    "int": [rng.int(1000) for _ in range(5)],
    "derived": [script.derive_seed(given["rng"]["seed"], label) for label in given["rng"]["labels"]],
    "layerSeeds": [script.layer_seed(given["rng"]["seed"], i) for i in range(4)],
}

# The app's data preparation on MNIST's training labels and pixels.
d = given["split"]
images = script.read_idx(d["images"], "images").reshape(60000, -1)
labels = script.read_idx(d["labels"], "labels").astype(np.int64)
r = script.Rng(script.derive_seed(d["seed"], "split"))
chosen = script.stratified_subset(labels, 10, d["examples"], r)
train, validation = script.stratified_split(chosen, labels, 10, d["validationSplit"], r)
out["split"] = {"train": train, "validation": validation, "stats": script.compute_stats(images, train)}
out["folds"] = [len(f) for f in script.stratified_folds(chosen, labels, 10, 5, d["seed"])]
out["foldOrder"] = [script.fold_for_epoch(d["seed"], e, 5) for e in range(12)]

# Augmentation of a given batch with the step's own parameters.
out["augment"] = []
for case in given["augment"]:
    x = torch.tensor(case["x"], dtype=torch.float32).view(case["shape"])
    n, hh, ww, _ = case["shape"]
    params = script.sample_params(case["config"], n, hh, ww, script.augment_rng(case["seed"], case["step"]))
    y = script.apply_augmentation(x, params, case["config"]["shiftMode"], case["black"], case["white"])
    out["augment"].append(y.reshape(-1).tolist())

print(json.dumps(out))

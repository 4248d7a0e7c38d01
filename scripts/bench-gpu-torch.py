#!/usr/bin/env python3
"""The PyTorch peer of `npm run bench:gpu` (issue 15, item 5): the same models, optimizer and
batch sizes as the app's WebGPU run, on CUDA when the machine has it (else the CPU), timed
the same way: a warm-up, then `--steps` batches with one read-back at the end.

    python3 scripts/bench-gpu-torch.py --data public --steps 60 --cases mlp@32,small-cnn@64

Models (the app's presets, Keras semantics): the chapter MLP is Flatten, Dense 512 relu,
Dense 512 relu, Dense 10 softmax; the Small CNN is Conv2D 32 3x3 valid relu, MaxPool 2, Flatten,
Dense 10 softmax. Adam with lr 0.001 and epsilon 1e-7 (Keras'), sparse categorical cross-entropy,
inputs normalized to [0, 1]. Prints one JSON object on the last line. Needs only torch and
numpy; reads MNIST's IDX files (gzipped) from DATA/datasets/mnist/.
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def model_of(name):
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
    if name == "small-cnn":
        return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 13 * 13, 10))
    raise SystemExit(f"unknown model {name}")


def time_case(name, batch, steps, images, labels, device):
    torch.manual_seed(42)
    model = model_of(name).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()  # the softmax is inside, as the logits path of the app
    n = min(len(images), max(1024, steps * batch))
    x_all = torch.tensor(images[:n], dtype=torch.float32, device=device).unsqueeze(1) / 255.0
    y_all = torch.tensor(labels[:n].astype(np.int64), device=device)
    warmup = min(10, steps // 4)
    losses = []
    start = None
    for step in range(steps):
        if step == warmup:
            if device.type == "cuda":
                torch.cuda.synchronize()
            start = time.perf_counter()
        i = (step * batch) % (n - batch + 1)
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x_all[i : i + batch]), y_all[i : i + batch])
        loss.backward()
        opt.step()
        losses.append(loss.detach())
    values = torch.stack(losses).cpu().tolist()  # the one read-back, as the app's loop does
    elapsed = time.perf_counter() - start
    return {
        "model": name,
        "batchSize": batch,
        "steps": steps,
        "samplesPerSec": round((steps - warmup) * batch / elapsed),
        "firstLoss": values[0],
        "lastLoss": values[-1],
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="public")
    p.add_argument("--steps", type=int, default=60)
    p.add_argument("--cases", default="mlp@32,mlp@128,mlp@512,small-cnn@64,small-cnn@256")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    a = p.parse_args()
    device = torch.device(a.device)
    images = read_idx(os.path.join(a.data, "datasets/mnist/train-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(a.data, "datasets/mnist/train-labels-idx1-ubyte.gz"))
    results = []
    for case in a.cases.split(","):
        name, batch = case.split("@")
        r = time_case(name, int(batch), a.steps, images, labels, device)
        print(f"torch {name} b{batch}: {r['samplesPerSec']} samples/s", flush=True, file=__import__("sys").stderr)
        results.append(r)
    name = torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu"
    print(json.dumps({"torch": torch.__version__, "device": name, "threads": torch.get_num_threads(), "results": results}))


if __name__ == "__main__":
    main()

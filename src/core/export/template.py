#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""__TITLE__

Exported from Training Playground: one standalone file that trains the same experiment as the
app, in PyTorch, on a CPU, a GPU, several GPUs or several machines.

What it reproduces, as the app does it:
  * the layer stack, with Keras' default initialisation (glorot_uniform kernels, zero biases,
    BatchNormalization gamma 1, beta 0, moving mean 0, moving variance 1), 'same'/'valid'
    padding as Keras computes it, and channels-last (height x width x channels) tensors, so a
    Flatten sees the pixels in the same order and the app's model.json weights load directly;
  * the stratified training subset and the stratified, shuffled validation split, drawn from
    the same seeded random stream as the app (sfc32), so the same examples are picked;
  * the preprocessing, with the mean and standard deviation of the training split only;
  * the optimizer with exactly the app's update rule (Keras semantics), written out below;
  * the learning-rate schedule, early stopping (restoring the best weights), checkpoints, the
    augmentations and the loss (cross-entropy from the logits when the model ends in softmax).
  Weight initialisation, dropout masks and augmentation draws use other random streams than
  the browser, so the numbers are close to the app's, not identical.

Usage (Python 3.9+, PyTorch 1.13+, numpy; Pillow only for a folder of images):
  python3 __SCRIPT__ --data DIR                 # DIR: the IDX files (gzipped or not), or class folders
  python3 __SCRIPT__ --data DIR --device cuda --epochs 20 --out runs/one
  python3 __SCRIPT__ --data DIR --from-model model.json --evaluate   # score the app's model
  python3 __SCRIPT__ --data DIR --from-model model.json              # train it further
  torchrun --nproc_per_node=4 __SCRIPT__ --data DIR --device cuda     # 4 GPUs (nccl)
  torchrun --nproc_per_node=2 __SCRIPT__ --data DIR --device cpu      # 2 processes (gloo)
  torchrun --nnodes=2 --node_rank=0 --master_addr=HOST --nproc_per_node=8 __SCRIPT__ --data DIR
  (torchrun of PyTorch before 2.0 on Python 3.11 stops at once with "'NoneType' object has no
  attribute 'get'": add --redirects 1 --tee 1 after torchrun.)

It prints one line per epoch, `epoch N loss L acc A val_loss VL val_acc VA` (the val_ part only
when there is a validation split), and at the end `test_acc T`. With --out it writes
model.json + weights.bin (open them in the app with Load model), run.json (the run in the
shape of the app's run records) and the checkpoints.

Under torchrun each process trains on its share of every batch (the batches are the same as
in one process: the experiment's batch size is the global batch), gradients are averaged by
DistributedDataParallel, and only rank 0 prints, writes checkpoints and files.
"""
import argparse
import gzip
import json
import math
import os
import struct
import sys
import time

try:
    import numpy as np
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit("This script needs numpy. Install it with `pip install numpy` (or `apt-get install python3-numpy`), then run it again.")
try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit(
        "This script needs PyTorch 1.13 or newer. Install it with `pip install torch` "
        "(see https://pytorch.org for the CUDA builds) or `apt-get install python3-torch`, then run it again."
    )

# The experiment, as the app's "Download experiment" writes it (experiment.json).
EXPERIMENT = json.loads(r"""
__EXPERIMENT__
""")

# What the app knew about the dataset when it exported this script.
DATASET = json.loads(r"""
__DATASET__
""")

# The app's defaults for settings an experiment may leave out (from its own tables).
DEFAULTS = json.loads(r"""
__DEFAULTS__
""")


class ExperimentError(Exception):
    """A problem the learner can fix: the message says what went wrong, why, and what to do."""


def fail(message):
    raise ExperimentError(message)


# ---- Seeded random streams (the app's src/core/rng.ts, bit for bit) -----------------------

M32 = 0xFFFFFFFF


def _imul(a, b):
    return (a * b) & M32


def _fmix32(h):
    h ^= h >> 16
    h = _imul(h, 0x85EBCA6B)
    h ^= h >> 13
    h = _imul(h, 0xC2B2AE35)
    h ^= h >> 16
    return h


def _uint32(seed):
    if not math.isfinite(seed):
        fail("The seed must be a finite number, got %r." % (seed,))
    return int(seed) & M32  # JavaScript's ToUint32: truncate, then modulo 2^32


def derive_seed(seed, label):
    """A seed for an independent stream from a run's seed and a purpose ('split', 'shuffle'...)."""
    h = _fmix32(_uint32(seed) ^ 0x9E3779B9)
    units = label.encode("utf-16-le")
    n = len(units) // 2
    for i in range(n):
        h ^= units[2 * i] | (units[2 * i + 1] << 8)
        h = _imul(h, 0x5BD1E995)
        h ^= h >> 15
    return _fmix32(h ^ n)


class Rng:
    """sfc32 seeded through splitmix32, as the app: the same seed gives the same stream."""

    def __init__(self, seed):
        sm = _uint32(seed)
        words = []
        for _ in range(4):
            sm = (sm + 0x9E3779B9) & M32
            z = sm
            z ^= z >> 16
            z = _imul(z, 0x21F0AAAD)
            z ^= z >> 15
            z = _imul(z, 0x735A2D97)
            z ^= z >> 15
            words.append(z)
        self.a, self.b, self.c, self.d = words
        for _ in range(12):
            self.next_uint32()

    def next_uint32(self):
        a, b, c, d = self.a, self.b, self.c, self.d
        t = (a + b + d) & M32
        self.d = (d + 1) & M32
        self.a = b ^ (b >> 9)
        self.b = (c + (c << 3)) & M32
        self.c = ((((c << 21) | (c >> 11)) & M32) + t) & M32
        return t

    def next(self):
        return self.next_uint32() / 4294967296.0

    def int(self, n):
        return int(math.floor(self.next() * n))

    def shuffle(self, items):
        """Fisher-Yates in place, the app's order of draws; returns the same list."""
        for i in range(len(items) - 1, 0, -1):
            j = self.int(i + 1)
            items[i], items[j] = items[j], items[i]
        return items

    def get_state(self):
        return [self.a, self.b, self.c, self.d]

    def set_state(self, state):
        self.a, self.b, self.c, self.d = [int(w) & M32 for w in state]


def layer_seed(seed, index):
    """The app's per-layer initialisation seed (src/core/model/build.ts)."""
    h = ((int(seed) & M32) ^ _imul(index + 1, 0x9E3779B1)) & M32
    h = _imul(h ^ (h >> 16), 0x85EBCA6B)
    h = _imul(h ^ (h >> 13), 0xC2B2AE35)
    return h ^ (h >> 16)


# ---- Data: IDX files or a folder of images ---------------------------------------------------

IDX_NAMES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


def _read_maybe_gzip(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as err:
            fail("%s is a damaged gzip file (%s). Download it again." % (path, err))
    return data


def read_idx(path, kind):
    data = _read_maybe_gzip(path)
    name = os.path.basename(path)
    if len(data) < 8:
        fail("%s is too short to be an IDX file (%d bytes). Download it again." % (name, len(data)))
    magic = struct.unpack(">I", data[:4])[0]
    want = 0x00000803 if kind == "images" else 0x00000801
    if magic != want:
        fail(
            "%s does not start like an IDX %s file (magic number 0x%08x, expected 0x%08x). "
            "Check that --data points at the folder with the four IDX files of the dataset." % (name, kind, magic, want)
        )
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4 : 4 + 4 * dims])
    offset = 4 + 4 * dims
    count = int(np.prod(shape))
    if len(data) - offset < count:
        fail("%s is truncated: it should hold %s values but only %s bytes follow. Download it again." % (name, format(count, ","), format(len(data) - offset, ",")))
    values = np.frombuffer(data, dtype=np.uint8, count=count, offset=offset)
    return values.reshape(shape)


def _find_idx(folder, base):
    for candidate in (base, base + ".gz", base.replace("-idx", ".idx"), base.replace("-idx", ".idx") + ".gz"):
        path = os.path.join(folder, candidate)
        if os.path.isfile(path):
            return path
    return None


def load_idx_dataset(folder, shape, class_names, splits=("train", "test")):
    paths = {key: _find_idx(folder, base) for key, base in IDX_NAMES.items() if key.split("_")[0] in splits}
    missing = [IDX_NAMES[k] for k, p in paths.items() if p is None]
    if missing:
        fail(
            "--data %s lacks %s (gzipped or not). Point --data at the folder that holds the four IDX files "
            "(the app's public/datasets/<name>/), or at a folder of images with one sub-folder per class." % (folder, ", ".join(missing))
        )
    out = {}
    for split in splits:
        images = read_idx(paths[split + "_images"], "images")
        labels = read_idx(paths[split + "_labels"], "labels").astype(np.int64)
        h, w, c = shape
        if images.shape[1:] != (h, w) or c != 1:
            fail(
                "The IDX images in %s are %dx%d, but this experiment's dataset (%s) has images of %dx%dx%d. "
                "Use the dataset the experiment was made for." % (folder, images.shape[1], images.shape[2], DATASET["name"], h, w, c)
            )
        if len(images) != len(labels):
            fail("The %s images and labels do not match: %d images, %d labels. Download both files again." % (split, len(images), len(labels)))
        if labels.size and labels.max() >= len(class_names):
            fail("A %s label is %d, but the dataset has only the classes 0..%d. The files belong to another dataset." % (split, labels.max(), len(class_names) - 1))
        out[split] = (images.reshape(len(images), -1), labels)
    return out


IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp")


def _natural_key(text):
    import re

    return [int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", text)]


def _area_weights(src, dst):
    """The app's area-averaging resize weights along one axis (src/core/data/import/resize.ts)."""
    m = np.zeros((dst, src), dtype=np.float64)
    scale = src / dst
    for d in range(dst):
        a, b = d * scale, (d + 1) * scale
        for s in range(int(math.floor(a)), min(src, int(math.ceil(b - 1e-9)))):
            m[d, s] = (min(b, s + 1) - max(a, s)) / scale
    return m


def _image_pixels(path, shape):
    try:
        from PIL import Image
    except ImportError:
        fail("Reading a folder of images needs Pillow. Install it with `pip install Pillow` (or `apt-get install python3-pil`), then run again.")
    h, w, c = shape
    try:
        with Image.open(path) as img:
            rgb = np.asarray(img.convert("RGB"), dtype=np.float64)
    except Exception as err:  # a damaged or unknown image: skipped, as the app does
        print("skipped %s: %s" % (path, err), file=sys.stderr)
        return None
    if c == 1:
        rgb = (0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2])[..., None]
    if rgb.shape[0] != h or rgb.shape[1] != w:
        wy, wx = _area_weights(rgb.shape[0], h), _area_weights(rgb.shape[1], w)
        rgb = np.einsum("ys,sxc->yxc", wy, np.einsum("xs,ysc->yxc", wx, rgb))
    return np.clip(np.rint(rgb), 0, 255).astype(np.uint8).reshape(-1)


def _class_folders(folder):
    return sorted((d for d in os.listdir(folder) if os.path.isdir(os.path.join(folder, d)) and not d.startswith(".")), key=_natural_key)


def _images_in(folder):
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if f.lower().endswith(IMAGE_EXTENSIONS) and not f.startswith("."):
                found.append(os.path.join(root, f))
    return found


def load_folder_dataset(folder, shape, class_names):
    """Class sub-folders (optionally inside train/ and test/), as the app's folder import."""
    top = _class_folders(folder)
    splits = {}
    if "train" in top and "test" in top:
        for split in ("train", "test"):
            splits[split] = [(cls, p) for cls in _class_folders(os.path.join(folder, split)) for p in _images_in(os.path.join(folder, split, cls))]
    else:
        splits[None] = [(cls, p) for cls in top for p in _images_in(os.path.join(folder, cls))]
    found = sorted({cls for items in splits.values() for cls, _ in items}, key=_natural_key)
    if len(found) < 2:
        fail("--data %s has %s; a classifier needs at least two classes, one sub-folder of images per class." % (folder, "no class folders with images" if not found else "only the class " + found[0]))
    names = list(class_names) if set(found) <= set(class_names) else found
    if names is found and class_names and found != list(class_names):
        print("note: the folders' classes (%s) differ from the experiment's (%s); using the folders'." % (", ".join(found[:10]), ", ".join(class_names[:10])), file=sys.stderr)
    index = {n: i for i, n in enumerate(names)}

    def gather(items):
        pixels, labels = [], []
        for cls, path in items:
            p = _image_pixels(path, shape)
            if p is not None:
                pixels.append(p)
                labels.append(index[cls])
        if not pixels:
            return np.zeros((0, int(np.prod(shape))), np.uint8), np.zeros((0,), np.int64)
        return np.stack(pixels), np.asarray(labels, dtype=np.int64)

    if None in splits:
        images, labels = gather(splits[None])
        rng = Rng(derive_seed(1, "import-split"))  # the app's import: 80/20, stratified
        parts = stratified_split(list(range(len(labels))), labels, len(names), 0.2, rng)
        out = {"train": (images[parts[0]], labels[parts[0]]), "test": (images[parts[1]], labels[parts[1]])}
    else:
        out = {s: gather(splits[s]) for s in ("train", "test")}
    for s in ("train", "test"):
        if len(out[s][1]) == 0:
            fail("The %s split of --data %s is empty. Add images (a few per class at least) and run again." % (s, folder))
    return out, names


def load_dataset(folder, shape, class_names, test_only=False):
    """{'train': (pixels [n, h*w*c] uint8, labels), 'test': ...} and the class names; with
    test_only (scoring a saved model), IDX folders skip the training files."""
    if not os.path.isdir(folder):
        fail("--data %s is not a folder. Give the folder with the IDX files, or a folder with one sub-folder of images per class." % folder)
    if any(_find_idx(folder, base) for base in IDX_NAMES.values()):
        splits = ("test",) if test_only else ("train", "test")
        return load_idx_dataset(folder, shape, class_names, splits), list(class_names)
    return load_folder_dataset(folder, shape, class_names)


# ---- Stratified subset and split (src/core/data/split.ts) ------------------------------------


def _group_by_class(indices, labels, num_classes):
    groups = [[] for _ in range(num_classes)]
    for i in indices:
        label = int(labels[i])
        if label < 0 or label >= num_classes:
            fail("Example %d has the label %d, but this dataset only has the classes 0..%d." % (i, label, num_classes - 1))
        groups[label].append(i)
    return groups


def _allocate(sizes, count):
    total = sum(sizes)
    alloc = [(count * c) // total for c in sizes]
    left = count - sum(alloc)
    order = sorted(range(len(sizes)), key=lambda k: (-((count * sizes[k]) % total), k))
    i = 0
    while left > 0:
        alloc[order[i]] += 1
        i += 1
        left -= 1
    present = sum(1 for c in sizes if c > 0)
    if count >= present:
        for k in range(len(sizes)):
            if sizes[k] == 0 or alloc[k] > 0:
                continue
            donor, best = -1, -math.inf
            for j in range(len(sizes)):
                if alloc[j] < 2:
                    continue
                excess = alloc[j] * total - count * sizes[j]
                if excess > best:
                    best, donor = excess, j
            alloc[donor] -= 1
            alloc[k] += 1
    return alloc


def _sample(group, k, rng):
    a = list(group)
    for i in range(k):
        j = i + rng.int(len(a) - i)
        a[i], a[j] = a[j], a[i]
    return a


def stratified_subset(labels, num_classes, count, rng):
    everything = list(range(len(labels)))
    groups = _group_by_class(everything, labels, num_classes)
    if count >= len(labels):
        return rng.shuffle(everything)
    alloc = _allocate([len(g) for g in groups], count)
    picked = []
    for g, k in zip(groups, alloc):
        picked.extend(_sample(g, k, rng)[:k])
    return rng.shuffle(picked)


def stratified_split(indices, labels, num_classes, fraction, rng):
    if not (0 <= fraction < 1):
        fail("The validation split must be at least 0 and below 1 (e.g. 0.1 for 10%%), got %r." % (fraction,))
    train, validation = [], []
    for g in _group_by_class(indices, labels, num_classes):
        k = int(math.floor(fraction * len(g) + 0.5))  # Math.round
        picked = _sample(g, k, rng)
        validation.extend(picked[:k])
        train.extend(picked[k:])
    return rng.shuffle(train), rng.shuffle(validation)


def stratified_folds(indices, labels, num_classes, k, seed):
    """Cross-validation folds (src/core/training/crossValidation.ts)."""
    rng = Rng(derive_seed(seed, "folds"))
    by_class = [[] for _ in range(num_classes)]
    for i in indices:
        by_class[int(labels[i])].append(i)
    dealt = [[] for _ in range(k)]
    p = 0
    for group in by_class:
        for i in rng.shuffle(group):
            dealt[p % k].append(i)
            p += 1
    return dealt


def _round_order(seed, rnd, k):
    order = Rng(derive_seed(seed, "fold-round:%d" % rnd)).shuffle(list(range(k)))
    if rnd > 0:
        last = _round_order(seed, rnd - 1, k)[k - 1]
        if order[0] == last:
            order[0], order[1] = order[1], order[0]
    return order


def fold_for_epoch(seed, epoch, k):
    return _round_order(seed, epoch // k, k)[epoch % k]


# ---- Preprocessing (src/core/data/preprocess.ts) -------------------------------------------

MIN_STD = 1e-6


def compute_stats(images, indices):
    """One mean and population standard deviation over every pixel of the training split (0..255 units)."""
    if len(indices) == 0:
        fail("Cannot compute pixel statistics of zero images: the training split is empty.")
    counts = np.bincount(images[np.asarray(indices)].reshape(-1), minlength=256).astype(np.int64)
    values = np.arange(256, dtype=np.int64)
    total, total_sq = int((counts * values).sum()), int((counts * values * values).sum())
    n = len(indices) * images.shape[1]
    mean = total / n
    variance = max(0.0, total_sq / n - mean * mean)
    return {"mean": mean, "std": max(math.sqrt(variance), MIN_STD)}


def _table_raw(stats):
    return np.arange(256, dtype=np.float64)


def _table_normalize(stats):
    return np.arange(256, dtype=np.float64) / 255


def _table_center(stats):
    return np.arange(256, dtype=np.float64) / 127.5 - 1


def _table_standardize(stats):
    return (np.arange(256, dtype=np.float64) - stats["mean"]) / max(stats["std"], MIN_STD)


# One lookup table per method: 256 float32 values, computed in float64 as the app does.
PREPROCESSING = {
    "raw": _table_raw,
    "normalize": _table_normalize,
    "center": _table_center,
    "standardize": _table_standardize,
}


def preprocess_table(method, stats):
    if method not in PREPROCESSING:
        fail("Unknown preprocessing %r; this script knows %s." % (method, ", ".join(PREPROCESSING)))
    return PREPROCESSING[method](stats).astype(np.float32)


# ---- Layers (Keras semantics, channels-last weights) -------------------------------------


def _same_padding(n, k, s):
    """Keras' 'same': out = ceil(n / s); the extra pixel of an odd padding goes after."""
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def _glorot_uniform(shape, fan_in, fan_out, generator):
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return (torch.rand(shape, generator=generator, dtype=torch.float32) * 2 - 1) * limit


SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _softmax_axis(x, nchw):
    return 1 if (nchw and x.dim() == 4) else -1


ACTIVATIONS = {
    "linear": lambda x, nchw: x,
    "relu": lambda x, nchw: F.relu(x),
    "sigmoid": lambda x, nchw: torch.sigmoid(x),
    "tanh": lambda x, nchw: torch.tanh(x),
    "softmax": lambda x, nchw: F.softmax(x, dim=_softmax_axis(x, nchw)),
    "elu": lambda x, nchw: F.elu(x),
    "selu": lambda x, nchw: SELU_SCALE * torch.where(x > 0, x, SELU_ALPHA * torch.expm1(x)),
    "softplus": lambda x, nchw: F.softplus(x),
}


def activate(name, x, nchw=False):
    if name not in ACTIVATIONS:
        fail("Unknown activation %r; this script knows %s." % (name, ", ".join(ACTIVATIONS)))
    return ACTIVATIONS[name](x, nchw)


class Layer(nn.Module):
    """A layer of the stack. `wants` says the layout it computes in: 'nhwc', 'nchw' or None (either)."""

    wants = None
    weight_roles = ()

    def __init__(self, spec, name):
        super().__init__()
        self.spec = spec
        self.layer_name = name

    def output_shape(self, shape):
        return shape

    def keras_weights(self):
        """This layer's weights as the app names and shapes them (channels-last)."""
        return [(self.layer_name + "/" + role, getattr(self, role)) for role in self.weight_roles]


class Dense(Layer):
    wants = "nhwc"
    weight_roles = ("kernel", "bias")

    def __init__(self, spec, name, in_shape, generator):
        super().__init__(spec, name)
        fan_in, units = in_shape[-1], spec["units"]
        self.kernel = nn.Parameter(_glorot_uniform((fan_in, units), fan_in, units, generator))
        self.bias = nn.Parameter(torch.zeros(units))

    def output_shape(self, shape):
        return shape[:-1] + [self.spec["units"]]

    def forward(self, x, nchw, logits=False):
        y = torch.matmul(x, self.kernel) + self.bias  # Keras: the last axis only
        return (y if logits else activate(self.spec["activation"], y)), nchw


class Conv2D(Layer):
    wants = "nchw"
    weight_roles = ("kernel", "bias")

    def __init__(self, spec, name, in_shape, generator):
        super().__init__(spec, name)
        k, cin, cout = spec["kernelSize"], in_shape[-1], spec["filters"]
        self.kernel = nn.Parameter(_glorot_uniform((k, k, cin, cout), k * k * cin, k * k * cout, generator))
        self.bias = nn.Parameter(torch.zeros(cout))

    def output_shape(self, shape):
        h, w, _ = shape
        k, s = self.spec["kernelSize"], self.spec["strides"]
        if self.spec["padding"] == "same":
            return [-(-h // s), -(-w // s), self.spec["filters"]]
        return [(h - k) // s + 1, (w - k) // s + 1, self.spec["filters"]]

    def forward(self, x, nchw, logits=False):
        k, s = self.spec["kernelSize"], self.spec["strides"]
        if self.spec["padding"] == "same":
            top, bottom = _same_padding(x.shape[2], k, s)
            left, right = _same_padding(x.shape[3], k, s)
            x = F.pad(x, (left, right, top, bottom))
        y = F.conv2d(x, self.kernel.permute(3, 2, 0, 1), self.bias, stride=s)
        return (y if logits else activate(self.spec["activation"], y, True)), True


class MaxPooling2D(Layer):
    wants = "nchw"

    def output_shape(self, shape):
        h, w, c = shape
        p, s = self.spec["poolSize"], self.spec["strides"]
        if self.spec["padding"] == "same":
            return [-(-h // s), -(-w // s), c]
        return [(h - p) // s + 1, (w - p) // s + 1, c]

    def forward(self, x, nchw, logits=False):
        p, s = self.spec["poolSize"], self.spec["strides"]
        if self.spec["padding"] == "same":
            top, bottom = _same_padding(x.shape[2], p, s)
            left, right = _same_padding(x.shape[3], p, s)
            x = F.pad(x, (left, right, top, bottom), value=-math.inf)  # padding never wins a max
        return F.max_pool2d(x, p, s), True


class Flatten(Layer):
    wants = "nhwc"  # channels-last order, as Keras and tfjs flatten

    def output_shape(self, shape):
        return [int(np.prod(shape))]

    def forward(self, x, nchw, logits=False):
        return x.reshape(x.shape[0], -1), False


class Dropout(Layer):
    def forward(self, x, nchw, logits=False):
        return F.dropout(x, self.spec["rate"], self.training), nchw


class BatchNormalization(Layer):
    """Keras' BatchNormalization on the last (channel) axis: biased batch variance, and
    moving = moving - (moving - batch) * (1 - momentum), as tfjs and Keras update it."""

    weight_roles = ("gamma", "beta", "moving_mean", "moving_variance")

    def __init__(self, spec, name, in_shape, generator):
        super().__init__(spec, name)
        c = in_shape[-1]
        self.gamma = nn.Parameter(torch.ones(c))
        self.beta = nn.Parameter(torch.zeros(c))
        self.register_buffer("moving_mean", torch.zeros(c))
        self.register_buffer("moving_variance", torch.ones(c))

    def forward(self, x, nchw, logits=False):
        axis = 1 if (nchw and x.dim() == 4) else x.dim() - 1
        dims = [d for d in range(x.dim()) if d != axis]
        view = [1] * x.dim()
        view[axis] = -1
        eps, momentum = self.spec["epsilon"], self.spec["momentum"]
        if self.training:
            mean = x.mean(dim=dims)
            var = ((x - mean.view(view)) ** 2).mean(dim=dims)
            with torch.no_grad():
                self.moving_mean.sub_((self.moving_mean - mean) * (1 - momentum))
                self.moving_variance.sub_((self.moving_variance - var) * (1 - momentum))
        else:
            mean, var = self.moving_mean, self.moving_variance
        y = (x - mean.view(view)) * torch.rsqrt(var.view(view) + eps) * self.gamma.view(view) + self.beta.view(view)
        return y, nchw


class Activation(Layer):
    def forward(self, x, nchw, logits=False):
        return (x if logits else activate(self.spec["activation"], x, nchw)), nchw


LAYERS = {
    "dense": Dense,
    "conv2d": Conv2D,
    "maxPooling2d": MaxPooling2D,
    "flatten": Flatten,
    "dropout": Dropout,
    "batchNormalization": BatchNormalization,
    "activation": Activation,
}

# The app's layer names ("dense_2", "batch_normalization_3"): model.json's weights use them.
NAME_PREFIX = {
    "dense": "dense",
    "conv2d": "conv2d",
    "maxPooling2d": "max_pooling2d",
    "flatten": "flatten",
    "dropout": "dropout",
    "batchNormalization": "batch_normalization",
    "activation": "activation",
}


class PlaygroundModel(nn.Module):
    """The experiment's Sequential stack. Takes and returns channels-last tensors [N, H, W, C]."""

    def __init__(self, spec, input_shape, seed):
        super().__init__()
        self.spec = spec
        self.input_shape = list(input_shape)
        layers, shape = [], list(input_shape)
        for index, layer in enumerate(spec["layers"]):
            kind = layer.get("type")
            if kind not in LAYERS:
                fail("Layer %d is a %r layer, which this script does not know (it knows %s)." % (index + 1, kind, ", ".join(LAYERS)))
            cls = LAYERS[kind]
            name = "%s_%d" % (NAME_PREFIX[kind], index + 1)
            generator = torch.Generator().manual_seed(layer_seed(seed, index))
            module = cls(layer, name, shape, generator) if cls in (Dense, Conv2D, BatchNormalization) else cls(layer, name)
            if kind in ("conv2d", "maxPooling2d") and len(shape) != 3:
                fail("Layer %d (%s) needs an image as input, but it gets a flat vector of %d numbers. Move it above the Flatten layer." % (index + 1, name, shape[0]))
            shape = module.output_shape(shape)
            if min(shape) < 1:
                fail("Layer %d (%s) would output the shape %s: the image is too small for it. Use padding 'same' or a smaller window." % (index + 1, name, "x".join(map(str, shape))))
            layers.append(module)
        self.layers = nn.ModuleList(layers)
        last = spec["layers"][-1] if spec["layers"] else {}
        # Keras takes the cross-entropy of a softmax model from its logits (exact, never clipped).
        self.ends_in_softmax = last.get("type") in ("dense", "activation") and last.get("activation") == "softmax"
        self.output_size = shape

    def forward(self, x, logits=False):
        """x: [N, H, W, C]. With logits=True a model that ends in softmax returns its logits."""
        nchw = False
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            if x.dim() == 4 and layer.wants == "nchw" and not nchw:
                x, nchw = x.permute(0, 3, 1, 2), True
            elif x.dim() == 4 and layer.wants == "nhwc" and nchw:
                x, nchw = x.permute(0, 2, 3, 1), False
            x, nchw = layer(x, nchw, logits=logits and i == last and self.ends_in_softmax)
        if nchw and x.dim() == 4:
            x = x.permute(0, 2, 3, 1)
        return x

    def keras_weights(self):
        """(name, tensor) in model.json's order: every trainable weight, then the moving statistics."""
        all_weights = [w for layer in self.layers for w in layer.keras_weights()]
        trainable = [w for w in all_weights if not w[0].endswith(("moving_mean", "moving_variance"))]
        return trainable + [w for w in all_weights if w not in trainable]

    def weight_layers(self):
        return [layer for layer in self.layers if layer.weight_roles]


# ---- Losses ------------------------------------------------------------------------------

EPSILON = 1e-7


def _sparse_cross_entropy(out, y, from_logits):
    if from_logits:
        return F.cross_entropy(out, y, reduction="none")
    probs = (out / out.sum(-1, keepdim=True)).clamp(EPSILON, 1 - EPSILON)
    return -torch.log(probs.gather(1, y[:, None]))[:, 0]


def _categorical_cross_entropy(out, y, from_logits):
    # One-hot targets: the same numbers as the sparse loss (the app one-hot encodes the labels).
    target = F.one_hot(y, out.shape[-1]).to(out.dtype)
    if from_logits:
        return -(target * F.log_softmax(out, -1)).sum(-1)
    probs = (out / out.sum(-1, keepdim=True)).clamp(EPSILON, 1 - EPSILON)
    return -(target * torch.log(probs)).sum(-1)


LOSSES = {
    "sparseCategoricalCrossentropy": _sparse_cross_entropy,
    "categoricalCrossentropy": _categorical_cross_entropy,
}


# ---- Optimizers: the app's update rules (src/core/optimizers/rules.ts), Keras semantics ----
# t counts steps from 1; step-dependent factors are computed in float64, as the app does.


class Optimizer:
    slots = ()

    def __init__(self, params, lr, **hyper):
        self.params = list(params)
        self.lr = lr
        self.hyper = hyper
        self.t = 0
        self.state = [{s: self.initial(s, p) for s in self.slots} for p in self.params]

    def initial(self, slot, p):
        return torch.zeros_like(p, memory_format=torch.preserve_format)

    @torch.no_grad()
    def step(self):
        self.t += 1
        self.begin_step(self.t)
        for p, st in zip(self.params, self.state):
            if p.grad is not None:
                self.update(p, p.grad, st, self.t)

    def begin_step(self, t):
        pass

    def state_dict(self):
        return {"t": self.t, "lr": self.lr, "slots": [{k: v.detach().cpu() for k, v in st.items()} for st in self.state]}

    def load_state_dict(self, saved):
        self.t = int(saved["t"])
        for st, s in zip(self.state, saved["slots"]):
            for k in st:
                st[k].copy_(s[k])


class SGD(Optimizer):
    def update(self, p, g, st, t):
        p.add_(g, alpha=-self.lr)  # in place throughout: large temporaries cost more than the arithmetic


class Momentum(Optimizer):
    """tfjs' rule: accum = momentum * accum + g; w -= lr * accum (Nesterov: lr * (g + momentum * accum))."""

    slots = ("accum",)
    nesterov = False

    def update(self, p, g, st, t):
        m = self.hyper["momentum"]
        acc = st["accum"].mul_(m).add_(g)
        if self.nesterov:
            p.add_(g, alpha=-self.lr).add_(acc, alpha=-self.lr * m)
        else:
            p.add_(acc, alpha=-self.lr)


class Nesterov(Momentum):
    nesterov = True


class Adagrad(Optimizer):
    """acc += g^2 (from initialAccumulatorValue); w -= lr * g / (sqrt(acc) + eps)."""

    slots = ("accumulator",)

    def initial(self, slot, p):
        return torch.full_like(p, self.hyper["initialAccumulatorValue"])

    def update(self, p, g, st, t):
        acc = st["accumulator"].addcmul_(g, g)
        p.addcdiv_(g, acc.sqrt().add_(self.hyper["epsilon"]), value=-self.lr)


class Adadelta(Optimizer):
    """Eg = rho Eg + (1-rho) g^2; d = sqrt(Ed+eps)/sqrt(Eg+eps) g; Ed = rho Ed + (1-rho) d^2; w -= lr d."""

    slots = ("accum_grad", "accum_var")

    def update(self, p, g, st, t):
        rho, eps = self.hyper["rho"], self.hyper["epsilon"]
        eg = st["accum_grad"].mul_(rho).addcmul_(g, g, value=1 - rho)
        d = st["accum_var"].add(eps).sqrt_().div_(eg.add(eps).sqrt_()).mul_(g)
        st["accum_var"].mul_(rho).addcmul_(d, d, value=1 - rho)
        p.add_(d, alpha=-self.lr)


class RMSprop(Optimizer):
    """ms = rho ms + (1-rho) g^2; w -= lr g / (sqrt(ms) + eps): epsilon outside the root (Keras)."""

    slots = ("rms",)

    def update(self, p, g, st, t):
        rho = self.hyper["rho"]
        ms = st["rms"].mul_(rho).addcmul_(g, g, value=1 - rho)
        p.addcdiv_(g, ms.sqrt().add_(self.hyper["epsilon"]), value=-self.lr)


class Adam(Optimizer):
    """m, v as usual; w -= lr (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps): epsilon outside the root."""

    slots = ("m", "v")

    def moments(self, g, st):
        b1, b2 = self.hyper["beta1"], self.hyper["beta2"]
        m = st["m"].mul_(b1).add_(g, alpha=1 - b1)
        v = st["v"].mul_(b2).addcmul_(g, g, value=1 - b2)
        return m, v

    def update(self, p, g, st, t):
        # In place, one temporary: lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
        m, v = self.moments(g, st)
        b1, b2 = self.hyper["beta1"], self.hyper["beta2"]
        denom = v.div(1 - b2**t).sqrt_().add_(self.hyper["epsilon"])
        p.addcdiv_(m, denom, value=-self.lr / (1 - b1**t))


class Adamax(Adam):
    """m as Adam; u = max(b2 u, |g|); w -= lr/(1-b1^t) m/(u + eps)."""

    slots = ("m", "u")

    def update(self, p, g, st, t):
        b1, b2 = self.hyper["beta1"], self.hyper["beta2"]
        m = st["m"].mul_(b1).add_(g, alpha=1 - b1)
        u = torch.maximum(st["u"].mul_(b2), g.abs(), out=st["u"])
        p.addcdiv_(m, u.add(self.hyper["epsilon"]), value=-self.lr / (1 - b1**t))


class AMSGrad(Adam):
    """Adam with vhat = max(vhat, v); w -= lr sqrt(1-b2^t)/(1-b1^t) m / (sqrt(vhat) + eps)."""

    slots = ("m", "v", "vhat")

    def update(self, p, g, st, t):
        m, v = self.moments(g, st)
        b1, b2 = self.hyper["beta1"], self.hyper["beta2"]
        vhat = torch.maximum(st["vhat"], v, out=st["vhat"])
        lr_t = self.lr * math.sqrt(1 - b2**t) / (1 - b1**t)
        p.addcdiv_(m, vhat.sqrt().add_(self.hyper["epsilon"]), value=-lr_t)


class Nadam(Adam):
    """mu_t = b1 (1 - 0.5 * 0.96^(0.004 t)), P_t = mu_1...mu_t (Dozat 2016, tf.keras 2.x);
    w -= lr (mu_t+1 m/(1 - P_t mu_t+1) + (1-mu_t) g/(1 - P_t)) / (sqrt(v/(1-b2^t)) + eps)."""

    def mu(self, t):
        return self.hyper["beta1"] * (1 - 0.5 * 0.96 ** (0.004 * t))

    def begin_step(self, t):
        # P_t from the last step's (restored from a checkpoint: rebuilt from step 1), as the app.
        cached_t, prod = getattr(self, "_prod", (0, 1.0))
        if cached_t != t - 1:
            cached_t, prod = 0, 1.0
        for i in range(cached_t + 1, t + 1):
            prod *= self.mu(i)
        self._prod = (t, prod)
        self.step_factors = (self.mu(t), self.mu(t + 1), prod)

    def update(self, p, g, st, t):
        mu_t, mu_t1, prod = self.step_factors
        m, v = self.moments(g, st)
        m_bar = m.mul(mu_t1 / (1 - prod * mu_t1)).add_(g, alpha=(1 - mu_t) / (1 - prod))
        denom = v.mul(1 / (1 - self.hyper["beta2"] ** t)).sqrt_().add_(self.hyper["epsilon"])
        p.addcdiv_(m_bar, denom, value=-self.lr)


OPTIMIZERS = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": Adagrad,
    "adadelta": Adadelta,
    "rmsprop": RMSprop,
    "adam": Adam,
    "adamax": Adamax,
    "amsgrad": AMSGrad,
    "nadam": Nadam,
}


def make_optimizer(optimizer_id, params, lr, overrides):
    if optimizer_id not in OPTIMIZERS:
        fail("Unknown optimizer %r; this script knows %s." % (optimizer_id, ", ".join(OPTIMIZERS)))
    hyper = dict(DEFAULTS["optimizers"].get(optimizer_id, {}))
    for key in hyper:
        if isinstance(overrides.get(key), (int, float)):
            hyper[key] = float(overrides[key])
    return OPTIMIZERS[optimizer_id](params, lr, **hyper)


# ---- Learning-rate schedules (src/core/schedules/schedules.ts, callbacks/lrSchedule.ts) ----


def _cosine(t, lr0, p, total):
    total = max(1, total)
    w = (1 + math.cos(math.pi * min(t, total) / total)) / 2
    return w * lr0 + (1 - w) * p["minLr"]


def _step_decay(t, lr0, p, total):
    k = t / p["steps"]
    return lr0 * p["rate"] ** (math.floor(k) if p["staircase"] else k)


# The rate at step t (updates already taken, per batch or per epoch); None: reactive (plateau).
SCHEDULES = {
    "constant": lambda t, lr0, p, total: lr0,
    "fixed": lambda t, lr0, p, total: max(p["floor"], lr0 - p["decay"] * t),
    "time": lambda t, lr0, p, total: lr0 / (1 + p["decay"] * t),
    "step": _step_decay,
    "cosine": _cosine,
    "plateau": None,
}


def is_improvement(current, best, mode, min_delta=0.0):
    """The app's one "is this better?" check (callbacks/monitor.ts)."""
    if current is None or math.isnan(current):
        return False
    if best is None or math.isnan(best):
        return True
    delta = abs(min_delta or 0.0)
    return current < best - delta if mode == "min" else current > best + delta


def resolve_mode(monitor, mode="auto"):
    if mode in ("min", "max"):
        return mode
    return "max" if monitor.endswith("acc") else "min"


class LrSchedule:
    def __init__(self, schedule, lr0, events):
        sid = schedule.get("id", "constant")
        if sid not in SCHEDULES:
            fail("Unknown learning-rate schedule %r; this script knows %s." % (sid, ", ".join(SCHEDULES)))
        self.id, self.lr0, self.events = sid, lr0, events
        self.step_per = schedule.get("stepPer", "epoch")
        self.params = dict(DEFAULTS["schedules"].get(sid, {}))
        for k in self.params:
            if isinstance(schedule.get("params", {}).get(k), (int, float)):
                self.params[k] = float(schedule["params"][k])
        self.monitor = schedule.get("monitor") or "val_loss"
        self.mode = resolve_mode(self.monitor)
        self.planned = SCHEDULES[sid] is not None
        self.state = {"position": 0, "total": 0, "lr": lr0, "best": None, "wait": 0, "cooldown": 0}

    def begin(self, opt, epochs, batches_per_epoch):
        self.opt = opt
        total = epochs * batches_per_epoch if self.step_per == "batch" else epochs
        self.state = {"position": 0, "total": total, "lr": self.lr0, "best": None, "wait": 0, "cooldown": 0}
        opt.lr = self.lr0

    def _advance(self):
        self.opt.lr = SCHEDULES[self.id](self.state["position"], self.lr0, self.params, self.state["total"])
        self.state["position"] += 1

    def epoch_begin(self):
        if not self.planned:
            self.opt.lr = self.state["lr"]
        elif self.step_per == "epoch":
            self._advance()

    def batch_begin(self):
        if self.planned and self.step_per == "batch":
            self._advance()

    def epoch_end(self, epoch, logs):
        if self.planned:
            return
        s, p = self.state, self.params
        current = logs.get(self.monitor)
        if current is None:
            return
        if s["cooldown"] > 0:
            s["cooldown"] -= 1
            s["wait"] = 0
        if is_improvement(current, s["best"], self.mode, p["minDelta"]):
            s["best"], s["wait"] = current, 0
            return
        if s["cooldown"] > 0:
            return
        s["wait"] += 1
        if s["wait"] < p["patience"] or not (s["lr"] > p["minLr"]):
            return
        old, lr = s["lr"], max(s["lr"] * p["factor"], p["minLr"])
        waited = s["wait"]
        s["lr"], s["wait"], s["cooldown"] = lr, 0, p["cooldown"]
        self.opt.lr = lr
        self.events.append({"kind": "lrReduced", "epoch": epoch + 1, "value": lr,
                            "message": "%s has not improved for %d epoch%s: learning rate reduced from %.3g to %.3g."
                            % (MONITOR_LABELS[self.monitor].capitalize(), waited, "" if waited == 1 else "s", old, lr)})


MONITOR_LABELS = {"val_loss": "validation loss", "val_acc": "validation accuracy", "loss": "training loss", "acc": "training accuracy"}


# ---- Early stopping with restore best (src/core/callbacks/earlyStopping.ts) ----------------


def _fmt(v):
    return "%.3f" % v if abs(v) >= 0.001 or v == 0 else "%.3g" % v


class EarlyStopping:
    def __init__(self, s, events):
        self.monitor = s.get("monitor", "val_loss")
        self.mode = resolve_mode(self.monitor, s.get("mode", "auto"))
        self.patience = max(0, int(s.get("patience", 0)))
        self.min_delta = abs(s.get("minDelta", 0) or 0)
        self.baseline = s.get("baseline")
        self.restore = bool(s.get("restoreBestWeights", False))
        self.events = events
        self.state = {"best": None, "bestEpoch": -1, "wait": 0}
        self.best_weights, self.at_best, self.stopped_epoch, self.last_epoch = None, False, -1, -1
        self.message = None

    def batch_begin(self):
        self.at_best = False

    def _keep(self, model):
        self.best_weights = {k: v.detach().clone() for k, v in model.state_dict().items()}

    def epoch_end(self, epoch, logs, model):
        """Returns True to stop training."""
        self.last_epoch = epoch
        current = logs.get(self.monitor)
        if current is None:
            return False
        s = self.state
        if self.restore and self.best_weights is None:
            if s["best"] is None:
                s["bestEpoch"] = epoch
            self._keep(model)
            self.at_best = True
        s["wait"] += 1
        if is_improvement(current, s["best"], self.mode, self.min_delta):
            s["best"], s["bestEpoch"] = current, epoch
            if self.restore:
                self._keep(model)
            self.at_best = True
            if self.baseline is None or is_improvement(current, self.baseline, self.mode, self.min_delta):
                s["wait"] = 0
            return False
        if s["wait"] >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            label = MONITOR_LABELS[self.monitor]
            if s["best"] is None:
                since = "%s was never a number" % label
            elif self.baseline is not None and not is_improvement(s["best"], self.baseline, self.mode, self.min_delta):
                since = "%s never beat the baseline %s (best %s at epoch %d)" % (label, _fmt(self.baseline), _fmt(s["best"]), s["bestEpoch"] + 1)
            else:
                since = "%s has not improved%s for %d epoch%s since its best, %s at epoch %d" % (
                    label, " by more than %g" % self.min_delta if self.min_delta > 0 else "", s["wait"], "" if s["wait"] == 1 else "s", _fmt(s["best"]), s["bestEpoch"] + 1)
            self.message = "Stopped early after epoch %d: %s (patience %d)." % (epoch + 1, since, self.patience)
            self.events.append({"kind": "earlyStop", "epoch": epoch + 1, "message": self.message, "value": current})
            return True
        return False

    def train_end(self, model):
        """Puts the best epoch's weights back when the model has moved on from them."""
        s = self.state
        if s["best"] is None:
            return None
        label = "%s %s" % (MONITOR_LABELS[self.monitor], _fmt(s["best"]))
        if self.last_epoch > 0:
            self.events.append({"kind": "bestEpoch", "epoch": s["bestEpoch"] + 1, "message": "Best epoch: %d (%s)." % (s["bestEpoch"] + 1, label), "value": s["best"]})
        if not self.restore or self.best_weights is None or self.at_best:
            return None
        model.load_state_dict(self.best_weights)
        self.at_best = True
        message = "Restored the weights of epoch %d (%s)." % (s["bestEpoch"] + 1, label)
        if self.stopped_epoch < 0:
            message += " The model had moved on from its best epoch, so it now holds the best epoch's weights again."
        self.events.append({"kind": "restoredBest", "epoch": self.last_epoch + 1, "message": message, "value": s["best"]})
        return message


# ---- Augmentation (src/core/augment/augment.ts) --------------------------------------------


def augment_rng(seed, step):
    return Rng(derive_seed(derive_seed(seed, "augment"), "step %d" % step))


def _pick(n, d):
    return min(n - 1, int(math.floor(d * n)))


# How each augmentation draws its value from its uniform draw d (identity when off).
AUGMENTATIONS = {
    "flipH": lambda a, d, h, w: bool(a["flipH"]) and d < 0.5,
    "flipV": lambda a, d, h, w: bool(a["flipV"]) and d < 0.5,
    "rot90": lambda a, d, h, w: _pick(4, d) if a["rot90"] else 0,
    "rotateDeg": lambda a, d, h, w: -a["rotateDeg"] + 2 * a["rotateDeg"] * d if a["rotateDeg"] > 0 else 0.0,
    "zoom": lambda a, d, h, w: 1 - a["zoom"] + 2 * a["zoom"] * d if a["zoom"] > 0 else 1.0,
    "shiftW": lambda a, d, h, w: _pick(2 * int(math.floor(a["shiftW"] * w)) + 1, d) - int(math.floor(a["shiftW"] * w)) if int(math.floor(a["shiftW"] * w)) > 0 else 0,
    "shiftH": lambda a, d, h, w: _pick(2 * int(math.floor(a["shiftH"] * h)) + 1, d) - int(math.floor(a["shiftH"] * h)) if int(math.floor(a["shiftH"] * h)) > 0 else 0,
    "brightness": lambda a, d, h, w: 1 - a["brightness"] + 2 * a["brightness"] * d if a["brightness"] > 0 else 1.0,
}
# The order of the eight draws per image, as the app makes them.
DRAW_ORDER = ["flipH", "flipV", "rot90", "rotateDeg", "zoom", "shiftW", "shiftH", "brightness"]
IDENTITY = {"augmented": False, "flipH": False, "flipV": False, "rot90": 0, "rotateDeg": 0.0, "zoom": 1.0, "shiftW": 0, "shiftH": 0, "brightness": 1.0}


def is_augmenting(a):
    if not a or not (a.get("fraction", 0) > 0):
        return False
    return any([a["flipH"], a["flipV"], a["rot90"], a["rotateDeg"] > 0, a["shiftW"] > 0, a["shiftH"] > 0, a["zoom"] > 0, a["brightness"] > 0])


def sample_params(a, count, h, w, rng):
    out = []
    for _ in range(count):
        u = rng.next()
        draws = [rng.next() for _ in range(8)]
        if not (u < a["fraction"]):
            out.append(dict(IDENTITY))
            continue
        p = {"augmented": True}
        for key, d in zip(DRAW_ORDER, draws):
            p[key] = AUGMENTATIONS[key](a, d, h, w)
        out.append(p)
    return out


def _no_clip_scale(deg, h, w):
    t = deg * math.pi / 180
    c, s = abs(math.cos(t)), abs(math.sin(t))
    return min(1.0, w / (w * c + h * s), h / (w * s + h * c))


def _compose(a, b):
    return [a[0] * b[0] + a[1] * b[3], a[0] * b[1] + a[1] * b[4], a[0] * b[2] + a[1] * b[5] + a[2],
            a[3] * b[0] + a[4] * b[3], a[3] * b[1] + a[4] * b[4], a[3] * b[2] + a[4] * b[5] + a[5]]


def composed_matrix(p, h, w, pad_shift):
    """Output pixel -> input pixel: padded shift, quarter turns, flips, then rotation and zoom."""
    m = [1, 0, -p["shiftW"], 0, 1, -p["shiftH"]] if pad_shift else [1, 0, 0, 0, 1, 0]
    for _ in range(p["rot90"]):
        m = _compose([0, -1, w - 1, 1, 0, 0], m)
    if p["flipH"]:
        m = _compose([-1, 0, w - 1, 0, 1, 0], m)
    if p["flipV"]:
        m = _compose([1, 0, 0, 0, -1, h - 1], m)
    if p["rotateDeg"] != 0 or p["zoom"] != 1:
        scale = p["zoom"] * (_no_clip_scale(p["rotateDeg"], h, w) if p["rotateDeg"] != 0 else 1)
        t = p["rotateDeg"] * math.pi / 180
        cos, sin = math.cos(t) / scale, math.sin(t) / scale
        cx, cy = (w - 1) / 2, (h - 1) / 2
        m = _compose([cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy], m)
    return m


def _bilinear(x, rows, fill):
    """tf.image.transform (bilinear, constant fill) on x [n, h, w, c] with one 2x3 row per image."""
    n, h, w, c = x.shape
    m = torch.tensor(rows, dtype=torch.float32, device=x.device).view(n, 1, 1, 6)
    ys, xs = torch.meshgrid(torch.arange(h, device=x.device, dtype=torch.float32), torch.arange(w, device=x.device, dtype=torch.float32), indexing="ij")
    in_x = m[..., 0] * xs + m[..., 1] * ys + m[..., 2]
    in_y = m[..., 3] * xs + m[..., 4] * ys + m[..., 5]
    x0, y0 = torch.floor(in_x), torch.floor(in_y)
    flat = x.reshape(n, h * w, c)

    def read(yy, xx):
        inside = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
        idx = (yy.clamp(0, h - 1) * w + xx.clamp(0, w - 1)).long().view(n, h * w, 1).expand(n, h * w, c)
        v = torch.gather(flat, 1, idx).view(n, h, w, c)
        return torch.where(inside[..., None], v, torch.full_like(v, fill))

    wx1, wy1 = (in_x - x0)[..., None], (in_y - y0)[..., None]
    top = (1 - wx1) * read(y0, x0) + wx1 * read(y0, x0 + 1)
    bottom = (1 - wx1) * read(y0 + 1, x0) + wx1 * read(y0 + 1, x0 + 1)
    return (1 - wy1) * top + wy1 * bottom


def apply_augmentation(x, params, shift_mode, black, white):
    n, h, w, c = x.shape
    pad = shift_mode == "pad"
    if h != w and any(p["rot90"] % 2 == 1 for p in params):
        fail("Quarter turns need square images, but these are %dx%d. Switch off 'Rotate by 90/180/270' in the experiment." % (h, w))

    def moves(p):
        return p["rotateDeg"] != 0 or p["zoom"] != 1 or p["flipH"] or p["flipV"] or p["rot90"] != 0 or (pad and (p["shiftW"] or p["shiftH"]))

    if any(moves(p) for p in params):
        x = _bilinear(x, [composed_matrix(p, h, w, pad) for p in params], black)
    if not pad and any(p["shiftW"] or p["shiftH"] for p in params):
        dy = torch.tensor([p["shiftH"] for p in params], device=x.device).view(n, 1, 1)
        dx = torch.tensor([p["shiftW"] for p in params], device=x.device).view(n, 1, 1)
        ii = torch.arange(h, device=x.device).view(1, h, 1)
        jj = torch.arange(w, device=x.device).view(1, 1, w)
        src = ((ii - dy) % h) * w + (jj - dx) % w
        x = torch.gather(x.reshape(n, h * w, c), 1, src.view(n, h * w, 1).expand(n, h * w, c)).view(n, h, w, c)
    if any(p["brightness"] != 1 for p in params):
        k = torch.tensor([p["brightness"] for p in params], dtype=torch.float32, device=x.device).view(n, 1, 1, 1)
        offset = torch.tensor([(1 - p["brightness"]) * black for p in params], dtype=torch.float32, device=x.device).view(n, 1, 1, 1)
        x = (x * k + offset).clamp(min(black, white), max(black, white))
    return x


# ---- Checkpoint names (src/core/checkpoint/template.ts: a subset of Python's format) ---------


def checkpoint_name(template, values):
    try:
        return template.format(**values)
    except (KeyError, ValueError, IndexError) as err:
        fail("The checkpoint name %r cannot be filled in (%s): use fields such as {epoch:02d} and {loss:.4f}." % (template, err))


# ---- Model files: the app's model.json + weights.bin (tfjs Layers format) ------------------


def _convert_topology_layer(cls, c, where):
    act = c.get("activation") or "linear"
    square = lambda v: v[0] if isinstance(v, (list, tuple)) else v
    if cls == "Dense":
        return {"type": "dense", "units": c["units"], "activation": act}
    if cls == "Conv2D":
        return {"type": "conv2d", "filters": c["filters"], "kernelSize": square(c["kernel_size"]), "strides": square(c.get("strides", 1)), "padding": c.get("padding", "valid"), "activation": act}
    if cls in ("MaxPooling2D", "MaxPool2D"):
        pool = square(c.get("pool_size", 2))
        return {"type": "maxPooling2d", "poolSize": pool, "strides": square(c.get("strides") or pool), "padding": c.get("padding", "valid")}
    if cls == "Flatten":
        return {"type": "flatten"}
    if cls == "Dropout":
        return {"type": "dropout", "rate": c["rate"]}
    if cls == "BatchNormalization":
        return {"type": "batchNormalization", "momentum": c.get("momentum", 0.99), "epsilon": c.get("epsilon", 0.001)}
    if cls == "Activation":
        return {"type": "activation", "activation": act}
    fail("%s is a %s layer, which this script cannot build (it builds %s)." % (where, cls, ", ".join(LAYERS)))


def topology_to_spec(topology):
    root = topology.get("model_config", topology) if isinstance(topology, dict) else None
    if not isinstance(root, dict) or root.get("class_name") != "Sequential":
        fail("model.json does not describe a Sequential model (one stack of layers), the only kind this script (and the app) loads.")
    config = root.get("config")
    layers = config if isinstance(config, list) else (config or {}).get("layers", [])
    spec, shape = [], None
    for i, raw in enumerate(layers):
        c = raw.get("config", {})
        s = c.get("batch_input_shape") or c.get("batch_shape")
        if shape is None and s:
            shape = list(s[1:])
        if raw.get("class_name") == "InputLayer":
            continue
        spec.append(_convert_topology_layer(raw.get("class_name"), c, "Layer %d (%s)" % (len(spec) + 1, c.get("name", "?"))))
    return {"layers": spec}, shape


def read_model_file(path):
    """The app's downloaded model: its spec, saved facts and weights (name -> float32 array)."""
    try:
        with open(path, "r", encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as err:
        fail("--from-model %s cannot be read: %s." % (path, err))
    except ValueError as err:
        fail("--from-model %s is not JSON (%s). Give the model.json that the app's Download model saved." % (path, err))
    manifest = doc.get("weightsManifest") if isinstance(doc, dict) else None
    if not manifest:
        fail("%s has no weightsManifest, so it is not a TensorFlow.js model file. Give the model.json the app saved." % path)
    meta = (doc.get("userDefinedMetadata") or {}).get("trainingPlayground")
    if meta and meta.get("spec"):
        spec, shape = meta["spec"], meta.get("inputShape")
    else:
        spec, shape = topology_to_spec(doc.get("modelTopology"))
    folder = os.path.dirname(os.path.abspath(path))
    data = b""
    for group in manifest:
        for p in group["paths"]:
            candidates = [os.path.join(folder, p), os.path.join(folder, os.path.basename(p))]
            found = next((c for c in candidates if os.path.isfile(c)), None)
            if found is None:
                bins = [f for f in os.listdir(folder) if f.endswith(".bin")]
                if len(manifest) == 1 and len(group["paths"]) == 1 and len(bins) == 1:
                    found = os.path.join(folder, bins[0])  # a renamed download ("weights (1).bin")
                else:
                    fail("model.json needs the weights file %s next to it in %s. Put the weights.bin saved with the model there." % (p, folder))
            with open(found, "rb") as f:
                data += f.read()
    entries = [w for group in manifest for w in group["weights"]]
    need = sum(int(np.prod(w["shape"])) * 4 for w in entries)
    if len(data) != need:
        fail("The weights hold %s bytes but model.json describes %s: they belong to different models. Use the weights.bin saved with this model.json." % (format(len(data), ","), format(need, ",")))
    weights, offset = [], 0
    for w in entries:
        if w.get("dtype", "float32") != "float32" or w.get("quantization"):
            fail("The weight %s is stored as %s; this script loads float32 weights only." % (w["name"], w.get("dtype")))
        n = int(np.prod(w["shape"]))
        weights.append((w["name"], np.frombuffer(data, dtype="<f4", count=n, offset=offset).reshape(w["shape"]).copy()))
        offset += 4 * n
    return {"spec": spec, "inputShape": shape, "meta": meta, "weights": weights}


def load_weights(model, weights):
    """Loads model.json's weights layer by layer, as the app matches them (by layer, then role)."""
    groups = []
    for name, value in weights:
        layer, _, role = name.rpartition("/")
        role = role.split(":")[0]
        for g in groups:
            if g[0] == layer:
                g[1][role] = value
                break
        else:
            groups.append((layer, {role: value}))
    targets = model.weight_layers()
    if len(groups) != len(targets):
        fail("The saved weights belong to another architecture: %d layers with weights saved, this model has %d." % (len(groups), len(targets)))
    with torch.no_grad():
        for (saved_name, roles), layer in zip(groups, targets):
            for role in layer.weight_roles:
                target = getattr(layer, role)
                if role not in roles or tuple(roles[role].shape) != tuple(target.shape):
                    fail("Layer %s: the saved %s %s is %s, this model needs %s." % (layer.layer_name, saved_name, role, list(roles[role].shape) if role in roles else "missing", list(target.shape)))
                target.copy_(torch.from_numpy(roles[role]))


def _topology(spec, input_shape):
    layers = []
    for i, l in enumerate(spec["layers"]):
        name = "%s_%d" % (NAME_PREFIX[l["type"]], i + 1)
        c = {"name": name, "trainable": True, "dtype": "float32"}
        if i == 0:
            c["batch_input_shape"] = [None] + list(input_shape)
        kind = l["type"]
        if kind == "dense":
            c.update(units=l["units"], activation=l["activation"], use_bias=True)
            cls = "Dense"
        elif kind == "conv2d":
            c.update(filters=l["filters"], kernel_size=[l["kernelSize"]] * 2, strides=[l["strides"]] * 2, padding=l["padding"],
                     activation=l["activation"], use_bias=True, data_format="channels_last", dilation_rate=[1, 1])
            cls = "Conv2D"
        elif kind == "maxPooling2d":
            c.update(pool_size=[l["poolSize"]] * 2, strides=[l["strides"]] * 2, padding=l["padding"], data_format="channels_last")
            cls = "MaxPooling2D"
        elif kind == "flatten":
            cls = "Flatten"
        elif kind == "dropout":
            c.update(rate=l["rate"])
            cls = "Dropout"
        elif kind == "batchNormalization":
            c.update(axis=-1, momentum=l["momentum"], epsilon=l["epsilon"], center=True, scale=True)
            cls = "BatchNormalization"
        else:
            c.update(activation=l["activation"])
            cls = "Activation"
        layers.append({"class_name": cls, "config": c})
    return {"class_name": "Sequential", "config": {"name": "sequential_1", "layers": layers}, "keras_version": "tfjs-layers", "backend": "tensor_flow.js"}


def write_model_files(model, out_dir, meta):
    """model.json + weights.bin in the app's format: the app's Load model opens them."""
    named = model.keras_weights()
    manifest = [{"name": n, "shape": list(t.shape), "dtype": "float32"} for n, t in named]
    blob = b"".join(t.detach().cpu().float().contiguous().numpy().astype("<f4").tobytes() for _, t in named)
    doc = {
        "format": "layers-model",
        "generatedBy": "Training Playground's PyTorch export (torch %s)" % torch.__version__,
        "convertedBy": None,
        "modelTopology": _topology(model.spec, model.input_shape),
        "weightsManifest": [{"paths": ["weights.bin"], "weights": manifest}],
        "userDefinedMetadata": {"trainingPlayground": meta},
    }
    with open(os.path.join(out_dir, "model.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f)
    with open(os.path.join(out_dir, "weights.bin"), "wb") as f:
        f.write(blob)


# ---- Distributed training (torchrun) --------------------------------------------------------


class Dist:
    """This process's place under torchrun (one process, rank 0 of 1, without it)."""

    def __init__(self, device_name):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        self.local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        if device_name == "cuda" and not torch.cuda.is_available():
            fail("--device cuda was asked for, but PyTorch sees no CUDA GPU here (torch.cuda.is_available() is False). Use --device cpu, or install a CUDA build of PyTorch.")
        if device_name == "cuda":
            torch.cuda.set_device(self.local_rank % torch.cuda.device_count())
            self.device = torch.device("cuda", torch.cuda.current_device())
        else:
            self.device = torch.device("cpu")
        if self.world > 1:
            import torch.distributed as dist

            self.dist = dist
            dist.init_process_group(backend="nccl" if device_name == "cuda" else "gloo")

    @property
    def main(self):
        return self.rank == 0

    def shard(self, ids):
        """This process's share of one global batch (every world-th example)."""
        return ids[self.rank :: self.world] if self.world > 1 else ids

    def sum(self, values):
        """Sums a list of numbers over every process."""
        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        if self.world > 1:
            self.dist.all_reduce(t)
        return t.tolist()

    def wrap(self, model):
        if self.world == 1:
            return model
        from torch.nn.parallel import DistributedDataParallel

        return DistributedDataParallel(model, device_ids=[self.device.index] if self.device.type == "cuda" else None)

    def close(self):
        if self.world > 1:
            self.dist.barrier()
            self.dist.destroy_process_group()


# ---- Training --------------------------------------------------------------------------------


def batches_in_epoch(count, batch_size, steps_per_epoch):
    n = -(-count // batch_size)
    return min(n, steps_per_epoch) if steps_per_epoch is not None and steps_per_epoch >= 1 else n


def correct_count(out, y):
    return (out.argmax(-1) == y).sum()


class Trainer:
    def __init__(self, cfg, data, model, dist, log):
        self.cfg, self.data, self.model, self.dist, self.log = cfg, data, model, dist, log
        self.net = dist.wrap(model)
        self.loss_fn = LOSSES.get(cfg["loss"])
        if self.loss_fn is None:
            fail("Unknown loss %r; this script knows %s." % (cfg["loss"], ", ".join(LOSSES)))
        self.from_logits = model.ends_in_softmax

    def losses(self, x, y, training):
        out = self.net(x, logits=self.from_logits) if training else self.model(x, logits=self.from_logits)
        return self.loss_fn(out, y, self.from_logits), out

    @torch.no_grad()
    def evaluate(self, x, y, batch_size=1000):
        """Mean loss and accuracy over every process's share, in inference mode."""
        self.model.eval()
        ids = self.dist.shard(torch.arange(len(y), device=x.device))
        loss_sum = torch.zeros((), dtype=torch.float64, device=x.device)
        correct = torch.zeros((), dtype=torch.float64, device=x.device)
        for start in range(0, len(ids), batch_size):
            part = ids[start : start + batch_size]
            losses, out = self.losses(x[part], y[part], False)
            loss_sum += losses.double().sum()
            correct += correct_count(out, y[part])
        total_loss, total_correct, count = self.dist.sum([loss_sum.item(), correct.item(), float(len(ids))])
        return total_loss / count, total_correct / count

    @torch.no_grad()
    def probabilities(self, x, batch_size=1000):
        self.model.eval()
        parts = [self.model(x[i : i + batch_size]) for i in range(0, len(x), batch_size)]
        return torch.cat(parts).float().cpu().numpy()


def run(args):
    doc = EXPERIMENT
    if args.experiment:
        try:
            with open(args.experiment, "r", encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as err:
            fail("--experiment %s cannot be read as an experiment file: %s. Use the experiment.json the app's Download experiment saves." % (args.experiment, err))
        if doc.get("format") not in (None, "training-playground/experiment"):
            fail("--experiment %s is not an experiment file of Training Playground." % args.experiment)
    cfg = dict(doc["config"])
    for key, value in (("epochs", args.epochs), ("trainingExamples", args.examples), ("batchSize", args.batch_size), ("seed", args.seed)):
        if value is not None:
            cfg[key] = value
    if args.threads:
        torch.set_num_threads(args.threads)

    dist = Dist(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    log = (lambda *a: print(*a, flush=True)) if dist.main else (lambda *a: None)
    seed = int(cfg["seed"])
    shape = list(DATASET["shape"])
    loaded = read_model_file(args.from_model) if args.from_model else None
    # Scoring a saved model needs only the test split: its statistics come with it.
    test_only = bool(args.evaluate and loaded and loaded["meta"])
    splits, class_names = load_dataset(args.data, shape, DATASET["classNames"], test_only)
    test_images, test_labels = splits["test"]
    train_images, train_labels = splits.get("train", (np.zeros((0, test_images.shape[1]), np.uint8), np.zeros((0,), np.int64)))
    num_classes = len(class_names)

    spec = loaded["spec"] if loaded else cfg["model"]
    if loaded and loaded["inputShape"] and list(loaded["inputShape"]) != shape:
        fail("The model in %s expects images of %s, but this dataset's are %s." % (args.from_model, "x".join(map(str, loaded["inputShape"])), "x".join(map(str, shape))))

    # The app's data preparation: a stratified subset, then a stratified validation split.
    count = int(cfg["trainingExamples"]) if not test_only else 0
    if not test_only and not (num_classes <= count):
        fail("Training examples is %d, but each of the %d classes needs at least one: use at least %d." % (count, num_classes, num_classes))
    rng = Rng(derive_seed(seed, "split"))
    chosen = stratified_subset(train_labels, num_classes, min(count, len(train_labels)), rng) if not test_only else []
    folds = None
    if test_only:
        train_ids, val_ids = [], []
    elif cfg.get("crossValidation"):
        folds = stratified_folds(chosen, train_labels, num_classes, int(cfg["folds"]), seed)
        train_ids, val_ids = [i for f in folds for i in f], []
    else:
        train_ids, val_ids = stratified_split(chosen, train_labels, num_classes, float(cfg["validationSplit"]), rng)
    stats = compute_stats(train_images, train_ids) if not test_only else None
    preprocessing = cfg["preprocessing"]
    if loaded and loaded["meta"]:
        # A trained model only works on inputs scaled the way it was trained.
        preprocessing, stats = loaded["meta"]["preprocessing"], dict(loaded["meta"]["stats"])
    table = preprocess_table(preprocessing, stats)
    to_x = lambda images, ids: torch.from_numpy(table[images[np.asarray(ids, dtype=np.int64)]]).to(dist.device).view(-1, *shape)
    to_y = lambda labels, ids: torch.from_numpy(labels[np.asarray(ids, dtype=np.int64)]).to(dist.device)
    x_train, y_train = to_x(train_images, train_ids), to_y(train_labels, train_ids)  # float32, on the device
    x_val, y_val = (to_x(train_images, val_ids), to_y(train_labels, val_ids)) if val_ids else (None, None)
    n_test = len(test_labels) if args.test_examples is None else max(1, min(args.test_examples, len(test_labels)))
    x_test, y_test = to_x(test_images, range(n_test)), to_y(test_labels, range(n_test))
    black, white = float(table[0]), float(table[255])

    torch.manual_seed(derive_seed(seed, "init"))
    model = PlaygroundModel(spec, shape, seed)
    if loaded:
        load_weights(model, loaded["weights"])
    if model.output_size[-1] != num_classes:
        fail("The model's last layer outputs %d numbers, but the dataset has %d classes. Make the last Dense layer %d units." % (model.output_size[-1], num_classes, num_classes))
    model.to(dist.device)
    trainer = Trainer(cfg, None, model, dist, log)
    meta = {
        "version": 1, "spec": spec, "datasetId": DATASET.get("id", ""), "datasetName": DATASET["name"], "inputShape": shape,
        "classNames": class_names, "preprocessing": preprocessing, "stats": stats, "loss": cfg["loss"],
        "oneHotLabels": bool(cfg["oneHotLabels"]), "params": sum(int(t.numel()) for _, t in model.keras_weights()),
    }
    out_dir = args.out
    if out_dir and dist.main:
        os.makedirs(out_dir, exist_ok=True)

    events, epochs_log = [], []
    started = time.time()
    outcome = "completed"
    if not args.evaluate:
        outcome = train(cfg, trainer, model, x_train, y_train, x_val, y_val, folds, seed, black, white, dist, log, events, epochs_log, out_dir, args)

    test_loss, test_acc = trainer.evaluate(x_test, y_test)
    log("test_acc %.4f" % test_acc)
    if args.dump_probs and dist.main:
        np.save(args.dump_probs, trainer.probabilities(x_test))
    if out_dir and dist.main:
        write_model_files(model, out_dir, meta)
        record = run_record(doc, cfg, epochs_log, events, {"loss": test_loss, "acc": test_acc, "count": len(y_test)}, started, outcome, dist)
        with open(os.path.join(out_dir, "run.json"), "w", encoding="utf-8") as f:
            json.dump(record, f, indent=1)
    dist.close()
    return test_acc


def train(cfg, trainer, model, x_train, y_train, x_val, y_val, folds, seed, black, white, dist, log, events, epochs_log, out_dir, args):
    epochs, batch_size = int(cfg["epochs"]), int(cfg["batchSize"])
    steps_per_epoch = cfg.get("stepsPerEpoch")
    n = len(y_train)
    opt = make_optimizer(cfg["optimizer"], model.parameters(), float(cfg["learningRate"]), cfg.get("optimizerParams") or {})
    schedule = LrSchedule(cfg.get("schedule") or {"id": "constant", "stepPer": "epoch", "params": {}}, float(cfg["learningRate"]), events)
    es_cfg = cfg.get("earlyStopping") or {}
    early = EarlyStopping(es_cfg, events) if es_cfg.get("enabled") else None
    ck = cfg.get("checkpoints") or {"enabled": False}
    ck_mode = resolve_mode(ck.get("monitor", "val_loss"), ck.get("mode", "auto"))
    ck_best, ck_saved = None, []
    aug = cfg.get("augmentation") if is_augmenting(cfg.get("augmentation")) else None
    h, w = x_train.shape[1], x_train.shape[2]
    shuffle_rng = Rng(derive_seed(seed, "shuffle"))
    torch.manual_seed((derive_seed(seed, "dropout") + dist.rank) & M32)  # dropout masks differ per process
    fold_starts = None
    if folds:
        fold_starts = np.cumsum([0] + [len(f) for f in folds])
    schedule.begin(opt, epochs, batches_in_epoch(n if not folds else n - min(len(f) for f in folds), batch_size, steps_per_epoch))
    step, start_epoch = 0, 0
    if args.resume:
        saved = torch.load(args.resume, map_location=dist.device)
        model.load_state_dict(saved["model"])
        opt.load_state_dict(saved["optimizer"])
        shuffle_rng.set_state(saved["shuffleRng"])
        torch.set_rng_state(saved["torchRng"].cpu())
        step, start_epoch = saved["step"], saved["epoch"]
        schedule.state.update(saved["schedule"])
        if early:
            early.state.update(saved["earlyStopping"])
        ck_best = saved.get("checkpointBest")
        log("resumed from %s after epoch %d" % (args.resume, start_epoch))
    outcome = "completed"
    for epoch in range(start_epoch, epochs):
        schedule.epoch_begin()
        if folds:
            k = len(folds)
            fold = fold_for_epoch(seed, epoch, k)
            lo, hi = int(fold_starts[fold]), int(fold_starts[fold + 1])
            ids_all = [i for i in range(n) if i < lo or i >= hi]
            vx, vy = x_train[lo:hi], y_train[lo:hi]
        else:
            ids_all, vx, vy = list(range(n)), x_val, y_val
        order = shuffle_rng.shuffle(ids_all)
        batches = batches_in_epoch(len(order), batch_size, steps_per_epoch)
        model.train()
        loss_sum = torch.zeros((), dtype=torch.float64, device=x_train.device)
        correct = torch.zeros((), dtype=torch.float64, device=x_train.device)
        samples = 0
        t0 = time.time()
        for b in range(batches):
            ids = order[b * batch_size : (b + 1) * batch_size]
            schedule.batch_begin()
            if early:
                early.batch_begin()
            local = dist.shard(ids)
            idx = torch.tensor(local, dtype=torch.long, device=x_train.device)
            xb, yb = x_train[idx], y_train[idx]
            if aug:
                params = sample_params(aug, len(ids), h, w, augment_rng(seed, step))
                xb = apply_augmentation(xb, dist.shard(params), aug["shiftMode"], black, white)
            losses, out = trainer.losses(xb, yb, True)
            # The mean over the whole global batch: DDP averages over processes, so scale by their number.
            loss = losses.sum() * (dist.world / len(ids))
            for p in model.parameters():
                p.grad = None
            loss.backward()
            opt.step()
            with torch.no_grad():
                loss_sum += losses.detach().double().sum()
                correct += correct_count(out.detach(), yb)
            samples += len(ids)
            step += 1
        total_loss, total_correct = dist.sum([loss_sum.item(), correct.item()])
        logs = {"loss": total_loss / samples, "acc": total_correct / samples, "lr": opt.lr}
        if vy is not None and len(vy) > 0:
            logs["val_loss"], logs["val_acc"] = trainer.evaluate(vx, vy)
        line = "epoch %d loss %.4f acc %.4f" % (epoch + 1, logs["loss"], logs["acc"])
        if "val_loss" in logs:
            line += " val_loss %.4f val_acc %.4f" % (logs["val_loss"], logs["val_acc"])
        log(line + ("  (%.1fs)" % (time.time() - t0) if args.timing else ""))
        epochs_log.append(dict(logs, epoch=epoch + 1))
        if not math.isfinite(logs["loss"]):
            message = ("The loss became %s in epoch %d, so training stopped: every weight it touches is broken now. Usually the learning rate "
                       "is too high, or the inputs are unscaled (raw 0-255 pixels). Lower the learning rate (e.g. divide it by 10) or pick a preprocessing."
                       % (logs["loss"], epoch + 1))
            events.append({"kind": "nan", "epoch": epoch + 1, "message": message})
            log(message)
            outcome = "diverged"
            break
        schedule.epoch_end(epoch, logs)
        stop = early.epoch_end(epoch, logs, model) if early else False
        if ck.get("enabled"):
            epoch1 = epoch + 1
            policy = ck.get("policy", "everyEpoch")
            if policy == "everyEpoch":
                due = True
            elif policy == "everyN":
                due = epoch1 % int(ck.get("everyN", 1)) == 0 or epoch1 == epochs
            else:
                value = logs.get(ck.get("monitor", "val_loss"))
                due = value is not None and is_improvement(value, ck_best, ck_mode)
                if due:
                    ck_best = value
            if due and dist.main and out_dir:
                name = checkpoint_name(ck.get("nameTemplate", "model-{epoch:02d}"), dict({k: v for k, v in logs.items() if k != "lr"}, epoch=epoch1))
                folder = os.path.join(out_dir, "checkpoints")
                os.makedirs(folder, exist_ok=True)
                path = os.path.join(folder, name + ".pt")
                torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch1, "step": step,
                            "shuffleRng": shuffle_rng.get_state(), "torchRng": torch.get_rng_state(), "schedule": dict(schedule.state),
                            "earlyStopping": dict(early.state) if early else None, "checkpointBest": ck_best, "logs": logs,
                            "experiment": EXPERIMENT}, path)
                events.append({"kind": "checkpoint", "epoch": epoch1, "message": "Checkpoint %s saved." % name})
                ck_saved.append(path)
                keep = int(ck.get("keepLast", 0))
                while keep > 0 and len(ck_saved) > keep:
                    old = ck_saved.pop(0)
                    if os.path.exists(old) and old != path:
                        os.remove(old)
        if stop:
            log(early.message)
            outcome = "early stop"
            break
    if early:
        message = early.train_end(model)
        if message:
            log(message)
    return outcome


def run_record(doc, cfg, epochs_log, events, test, started, outcome, dist):
    """The run in the shape of the app's run records (src/core/runs/record.ts)."""
    now = int(time.time() * 1000)
    dataset_id = doc.get("dataset", {}).get("id") or DATASET.get("id") or "imported"
    epochs = []
    for e in epochs_log:
        row = {"epoch": e["epoch"], "loss": e["loss"], "acc": e["acc"], "lr": e["lr"]}
        if "val_loss" in e:
            row["val_loss"], row["val_acc"] = e["val_loss"], e["val_acc"]
        epochs.append(row)
    device = "%s%s" % (dist.device.type, " x%d (torchrun)" % dist.world if dist.world > 1 else "")
    return {
        "id": "pytorch-%d" % now, "kind": "run", "schema": 1, "name": "PyTorch: %s" % DATASET["name"], "nameEdited": False,
        "createdAt": int(started * 1000), "endedAt": now, "durationMs": now - int(started * 1000), "datasetName": DATASET["name"],
        "config": dict(cfg, datasetId=dataset_id), "epochs": epochs, "batches": [], "events": events, "test": test,
        "backend": "PyTorch %s, %s" % (torch.__version__, device), "outcome": outcome, "compared": False, "baseline": False,
    }


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Train the Training Playground experiment exported in this file, with PyTorch.")
    p.add_argument("--data", required=True, help="folder with the IDX files (gzipped or not), or with one sub-folder of images per class (optionally inside train/ and test/)")
    p.add_argument("--epochs", type=int, help="epochs to train (default: the experiment's)")
    p.add_argument("--examples", type=int, help="training examples, a stratified subset (default: the experiment's)")
    p.add_argument("--batch-size", type=int, help="the global batch size (default: the experiment's)")
    p.add_argument("--seed", type=int, help="the run's seed (default: the experiment's)")
    p.add_argument("--device", choices=["cpu", "cuda"], help="cpu or cuda (default: cuda when available)")
    p.add_argument("--from-model", help="start from the app's downloaded model.json (+ weights.bin beside it)")
    p.add_argument("--evaluate", action="store_true", help="only evaluate on the test split (with --from-model: the app's model)")
    p.add_argument("--test-examples", type=int, help="score on the first N test images only (default: all)")
    p.add_argument("--dump-probs", help="write the test images' class probabilities to this .npy file ([images, classes] float32)")
    p.add_argument("--out", help="folder for model.json + weights.bin, run.json and checkpoints/ (rank 0 only)")
    p.add_argument("--resume", help="continue from a checkpoint .pt this script saved")
    p.add_argument("--experiment", help="train another experiment.json instead of the one in this file")
    p.add_argument("--threads", type=int, help="CPU threads per process (torch.set_num_threads)")
    p.add_argument("--timing", action="store_true", help="add each epoch's time to its line")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        run(args)
    except ExperimentError as err:
        sys.exit("error: %s" % err)
    if int(os.environ.get("WORLD_SIZE", "1")) > 1:
        # Under torchrun every output is written and the process group is closed by now. PyTorch
        # 1.13's DistributedDataParallel can hang at interpreter exit (its reducer's gloo group
        # joins a thread waiting for a peer that has already gone): seen once in four runs, rank
        # 0 stuck after "test_acc". So a distributed process ends here, without that teardown.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


if __name__ == "__main__":
    main()

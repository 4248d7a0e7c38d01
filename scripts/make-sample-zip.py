#!/usr/bin/env python3
"""Writes public/samples/shapes-on-disk.zip: the data-on-disk lesson's sample dataset.

A folder per class under train/ and test/, as a dataset arrives on disk (chapter section 9):
five shapes drawn in colour on 36x36 RGB PNGs (the import converts them to the model's
28x28 greyscale), a README (not an image: listed as skipped) and one damaged PNG (reported
and skipped, never fatal). Deterministic: the same bytes on every run (fixed seed and
timestamps), standard library only.
"""
import io
import math
import random
import struct
import zipfile
import zlib
from pathlib import Path

SIZE = 36
CLASSES = ["circle", "square", "triangle", "cross", "star"]
PER_CLASS = {"train": 80, "test": 20}
OUT = Path(__file__).resolve().parent.parent / "public" / "samples" / "shapes-on-disk.zip"


def png(width, height, rgb_rows):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(row) for row in rgb_rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def inside(cls, x, y):
    """x, y in shape coordinates (about -1..1)."""
    if cls == "circle":
        return x * x + y * y <= 1
    if cls == "square":
        return abs(x) <= 0.8 and abs(y) <= 0.8
    if cls == "triangle":
        return y <= 0.8 and y >= -1 + 1.8 * abs(x) * 1.0 and abs(x) <= 0.95
    if cls == "cross":
        return (abs(x) <= 0.3 and abs(y) <= 1) or (abs(y) <= 0.3 and abs(x) <= 1)
    # star: radius varies with the angle (5 points)
    r = math.hypot(x, y)
    a = math.atan2(y, x)
    return r <= 0.45 + 0.55 * (0.5 + 0.5 * math.cos(5 * a)) ** 2


def draw(cls, rng):
    radius = rng.uniform(9, 14)
    cx = SIZE / 2 + rng.uniform(-3, 3)
    cy = SIZE / 2 + rng.uniform(-3, 3)
    theta = math.radians(rng.uniform(-15, 15))
    fg = [rng.randint(150, 255) for _ in range(3)]
    bg = [rng.randint(0, 50) for _ in range(3)]
    c, s = math.cos(theta), math.sin(theta)
    rows = []
    for py in range(SIZE):
        row = []
        for px in range(SIZE):
            hits = 0
            for sy in range(3):
                for sx in range(3):
                    dx = (px + (sx + 0.5) / 3 - cx) / radius
                    dy = (py + (sy + 0.5) / 3 - cy) / radius
                    x, y = c * dx + s * dy, -s * dx + c * dy
                    hits += inside(cls, x, y)
            t = hits / 9
            row.extend(round(b + t * (f - b)) for f, b in zip(fg, bg))
        rows.append(row)
    return png(SIZE, SIZE, rows)


def main():
    rng = random.Random(2024)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    stamp = (2026, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        def add(name, data):
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)

        add(
            "shapes-on-disk/README.txt",
            "Five shapes drawn for Training Playground's data-on-disk lesson (public domain).\n"
            "train/ and test/ each hold one folder per class. One file is damaged on purpose.\n",
        )
        for split, n in PER_CLASS.items():
            for cls in CLASSES:
                for i in range(n):
                    add(f"shapes-on-disk/{split}/{cls}/{cls}-{i:03d}.png", draw(cls, rng))
        good = draw("star", rng)
        add("shapes-on-disk/train/star/damaged.png", good[: len(good) // 3])
    OUT.write_bytes(buf.getvalue())
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()

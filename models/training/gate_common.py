"""Shared code of the sequence gate (models/sequence-gate): preprocessing, network, labels.

The preprocessing is re-implemented in TypeScript by
src-main/core/analysis/gate/sequence-gate.ts (prepareGateInput); both must stay identical
step for step (the parity fixtures in models/sequence-gate/parity/ check it). Steps:

  1. the 2D image as float64 values, row by row; non-finite values count as 0;
  2. lo, hi = the 1st and 99th percentile of all pixels, linear interpolation between the
     two nearest ranks (numpy's default): pos = q/100 * (n-1), v = s[floor] + frac * (s[floor+1] - s[floor]);
  3. x = clip((v - lo) / (hi - lo), 0, 1); all 0 when hi <= lo;
  4. the bounding box of the pixels with x > 0.1 (the whole image when there are none);
  5. that box, centred in a zero-filled square of side max(box height, box width)
     (offset floor((side - h) / 2) rows, floor((side - w) / 2) columns);
  6. area average of the square to 64 x 64: output pixel i covers the source interval
     [i*side/64, (i+1)*side/64); each source pixel k weighs the length of [k, k+1) inside that
     interval divided by side/64; separable (rows, then columns); the result as float32.
"""
from __future__ import annotations

import functools

import numpy as np
import torch
import torch.nn as nn

GATE_ID = "sequence-gate"
GATE_SIZE = 64
GATE_LABELS = ["brain-flair", "brain-t1", "brain-t1c", "chest-xray", "other"]
LOW_PERCENTILE = 1.0
HIGH_PERCENTILE = 99.0
BOX_THRESHOLD = 0.1


def percentiles_linear(values: np.ndarray, qs) -> list[float]:
    """numpy's default ("linear") percentiles of all values, via a partial sort."""
    flat = values.ravel()
    n = flat.size
    ranks = []
    for q in qs:
        pos = q / 100.0 * (n - 1)
        lo = int(np.floor(pos))
        ranks.append((lo, min(lo + 1, n - 1), pos - lo))
    part = np.partition(flat, sorted({r for lo, hi, _ in ranks for r in (lo, hi)}))
    return [float(part[lo] + frac * (part[hi] - part[lo])) for lo, hi, frac in ranks]


@functools.lru_cache(maxsize=512)
def area_matrix(side: int, out: int = GATE_SIZE) -> np.ndarray:
    """(out x side) weights: row i averages source interval [i*side/out, (i+1)*side/out)."""
    m = np.zeros((out, side), dtype=np.float64)
    step = side / out
    for i in range(out):
        a = i * step
        b = (i + 1) * step
        k0 = int(np.floor(a))
        k1 = min(int(np.ceil(b)), side)
        for k in range(k0, k1):
            overlap = min(b, k + 1) - max(a, k)
            if overlap > 0:
                m[i, k] = overlap / step
    return m


def prepare_gate_input(image: np.ndarray) -> np.ndarray:
    """2D array (rows x columns, any numeric type) -> float32 (64, 64) in [0, 1]."""
    if image.ndim != 2 or image.shape[0] < 1 or image.shape[1] < 1:
        raise ValueError(f"expected a non-empty 2D image, got shape {image.shape}")
    v = image.astype(np.float64)
    v[~np.isfinite(v)] = 0.0
    lo, hi = percentiles_linear(v, (LOW_PERCENTILE, HIGH_PERCENTILE))
    if hi <= lo:
        x = np.zeros_like(v)
    else:
        x = np.clip((v - lo) / (hi - lo), 0.0, 1.0)
    rows = np.nonzero((x > BOX_THRESHOLD).any(axis=1))[0]
    cols = np.nonzero((x > BOX_THRESHOLD).any(axis=0))[0]
    if rows.size > 0:
        x = x[rows[0]: rows[-1] + 1, cols[0]: cols[-1] + 1]
    h, w = x.shape
    side = max(h, w)
    square = np.zeros((side, side), dtype=np.float64)
    r0 = (side - h) // 2
    c0 = (side - w) // 2
    square[r0: r0 + h, c0: c0 + w] = x
    m = area_matrix(side)
    out = m @ square @ m.T
    return out.astype(np.float32)


def grey(arr: np.ndarray) -> np.ndarray:
    """RGB(A) -> mean of the three colour channels; greyscale passes through."""
    if arr.ndim == 3:
        return arr[..., :3].astype(np.float64).mean(axis=2)
    return arr


class GateNet(nn.Module):
    """5 conv blocks: a stride-2 stem (64->32), then conv + max-pool to 16, 8 and 4, a last conv
    block at 4x4, global average pool, dropout, linear. ~0.2 M parameters, ~15 M MACs per image
    (small enough to train on two shared CPU cores)."""

    def __init__(self, n_classes: int = len(GATE_LABELS), widths=(16, 32, 64, 96, 128)):
        super().__init__()

        def block(c_in: int, c_out: int, stride: int = 1) -> list:
            return [nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(c_out),
                    nn.ReLU(inplace=True)]

        w = widths
        self.features = nn.Sequential(
            *block(1, w[0], stride=2),
            *block(w[0], w[1]), nn.MaxPool2d(2),
            *block(w[1], w[2]), nn.MaxPool2d(2),
            *block(w[2], w[3]), nn.MaxPool2d(2),
            *block(w[3], w[4]),
        )
        self.dropout = nn.Dropout(0.3)
        self.head = nn.Linear(w[4], n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = self.features(x).mean(dim=(2, 3))
        return self.head(self.dropout(f))

"""Shared code for the Neurosphere model-training scripts.

Everything here is deliberately simple so that the preprocessing can be
re-implemented exactly in TypeScript by the app (see the MODEL_CARD.md files).

Run with the Debian interpreter: /usr/bin/python3 (apt: python3-torch,
python3-torchvision, python3-onnx, python3-numpy, python3-pil, python3-scipy,
python3-nibabel).
"""
from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import random
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 20261124
REPO_ROOT = Path(__file__).resolve().parents[2]
MODELS_DIR = REPO_ROOT / "models"
TRAINING_DIR = MODELS_DIR / "training"
DEFAULT_WORK = TRAINING_DIR / "work"

DATA_ROOT = Path(os.environ.get("NEUROSPHERE_DATA", "/work/shared/data"))
LGG_DIR = DATA_ROOT / "lgg-flair-seg"
BRATS_DIR = DATA_ROOT / "brats2018-3d-nifti"
CLS_DIR = DATA_ROOT / "brain-mri-4class-224"

SEG_ID = "lgg-flair-unet"
CLS_ID = "brain-tumour-4class"
SEG_SIZE = 128
CLS_SIZE = 160
CLS_LABELS = ["glioma", "meningioma", "notumor", "pituitary"]


# --------------------------------------------------------------------------- utils
def log(msg: str) -> None:
    print(f"[{time.strftime('%Y-%m-%d %H:%M:%S')}] {msg}", flush=True)


def seed_everything(seed: int = SEED) -> None:
    random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)


def setup_torch(threads: int = 2) -> None:
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_json(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def atomic_torch_save(obj, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def cosine_lr(base_lr: float, elapsed: float, budget: float, min_lr: float = 1e-6) -> float:
    """Cosine decay driven by wall-clock training time (so it fits any CPU speed)."""
    frac = min(1.0, max(0.0, elapsed / max(budget, 1e-9)))
    return min_lr + (base_lr - min_lr) * 0.5 * (1.0 + math.cos(math.pi * frac))


def resize_bilinear(x: torch.Tensor, size) -> torch.Tensor:
    """Bilinear resize, align_corners=False, NO antialiasing (PyTorch semantics):
    src = (dst + 0.5) * in/out - 0.5, clamped at 0; x0 = floor(src), x1 = min(x0+1, in-1)."""
    if isinstance(size, int):
        size = (size, size)
    if tuple(x.shape[-2:]) == tuple(size):
        return x
    return F.interpolate(x, size=size, mode="bilinear", align_corners=False)


# --------------------------------------------------------------------------- models
def conv_block(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class UNet2D(nn.Module):
    """2D U-Net: 4 encoder levels (base, 2b, 4b, 8b channels) + bottleneck (16b),
    max-pool down, 2x2 transposed-conv up, skip concatenation, 1x1 head -> 1 logit."""

    def __init__(self, base: int = 16, levels: int = 4):
        super().__init__()
        ch = [base * 2**i for i in range(levels + 1)]
        self.enc = nn.ModuleList([conv_block(1 if i == 0 else ch[i - 1], ch[i]) for i in range(levels)])
        self.pool = nn.MaxPool2d(2)
        self.bottleneck = conv_block(ch[levels - 1], ch[levels])
        self.up = nn.ModuleList([nn.ConvTranspose2d(ch[i + 1], ch[i], 2, stride=2) for i in reversed(range(levels))])
        self.dec = nn.ModuleList([conv_block(ch[i] * 2, ch[i]) for i in reversed(range(levels))])
        self.head = nn.Conv2d(ch[0], 1, 1)

    def forward(self, x):
        skips = []
        for enc in self.enc:
            x = enc(x)
            skips.append(x)
            x = self.pool(x)
        x = self.bottleneck(x)
        for up, dec in zip(self.up, self.dec):
            x = up(x)
            x = dec(torch.cat([x, skips.pop()], dim=1))
        return self.head(x)


class SmallCNN(nn.Module):
    """5 conv blocks (conv-BN-ReLU x2); max-pool after blocks 1-4 (not after 5, so the
    CAM map is 10x10 for a 160x160 input); global average pooling; one linear layer.
    forward() returns (logits, features) where features is the last feature map, so
    CAM_c = sum_k W[c,k] * features[k] (+ bias[c]); spatial mean of CAM_c == logit_c."""

    def __init__(self, channels=(16, 32, 64, 128, 256), n_classes: int = 4, dropout: float = 0.2):
        super().__init__()
        blocks = []
        cin = 1
        for i, c in enumerate(channels):
            layers = [conv_block(cin, c)]
            if i < len(channels) - 1:
                layers.append(nn.MaxPool2d(2))
            blocks.append(nn.Sequential(*layers))
            cin = c
        self.features = nn.Sequential(*blocks)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(cin, n_classes)

    def forward(self, x):
        f = self.features(x)
        pooled = f.mean(dim=(2, 3))
        return self.fc(self.dropout(pooled)), f


class ResNet18CAM(nn.Module):
    """ResNet18 topology (He et al. 2016; torchvision BasicBlock, layers [2, 2, 2, 2]) for 1-channel input,
    with a width multiplier and the last stage kept at stride 1.

    - stem: 7x7 stride-2 conv, BN, ReLU, 3x3 stride-2 max-pool; stages of widths `widths`, strides 1, 2, 2, 1.
    - Narrow (train_classifier.py uses 24-48-96-192, 3/8 of ResNet18's 64-128-256-512; 1.6 M parameters instead
      of 11.2 M) because training runs on a shared 2-core CPU with a fixed time budget.
    - Last stage at stride 1, so a 160x160 input gives a 10x10 feature map (as the earlier SmallCNN's `features`
      output; the app reads the channel count from the output's dims and the manifest's CAM weights).
    forward() returns (logits, features); CAM_c = sum_k W[c,k] * features[k] (+ bias[c]) and the spatial mean of
    CAM_c equals logit_c (global average pooling, then one linear layer; dropout is inactive at inference)."""

    def __init__(self, widths=(24, 48, 96, 192), n_classes: int = 4, dropout: float = 0.2):
        super().__init__()
        from torchvision.models.resnet import BasicBlock

        w0 = widths[0]
        self.stem = nn.Sequential(nn.Conv2d(1, w0, 7, 2, 3, bias=False), nn.BatchNorm2d(w0), nn.ReLU(inplace=True),
                                  nn.MaxPool2d(3, 2, 1))
        layers = []
        cin = w0
        for w, stride in zip(widths, (1, 2, 2, 1)):
            down = None
            if stride != 1 or cin != w:
                down = nn.Sequential(nn.Conv2d(cin, w, 1, stride, bias=False), nn.BatchNorm2d(w))
            layers += [BasicBlock(cin, w, stride, down), BasicBlock(w, w)]
            cin = w
        self.features = nn.Sequential(*layers)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(cin, n_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        for m in self.modules():  # zero-init the last BN of each residual branch (Goyal et al. 2017)
            if isinstance(m, BasicBlock):
                nn.init.zeros_(m.bn2.weight)

    def forward(self, x):
        f = self.features(self.stem(x))
        pooled = f.mean(dim=(2, 3))
        return self.fc(self.dropout(pooled)), f


def cls_build_model(config: dict) -> nn.Module:
    """Rebuild the classifier from the `config` saved in best.pt (older checkpoints: SmallCNN)."""
    if config.get("arch", "SmallCNN") == "ResNet18CAM":
        return ResNet18CAM(widths=tuple(config["widths"]))
    return SmallCNN(channels=tuple(config["channels"]))


# --------------------------------------------------------------------------- LGG data
def lgg_read_index():
    """Return {patient_id: [(slice_index, image_path, mask_path, tumor_pixels), ...]} sorted."""
    rows = list(csv.DictReader(open(LGG_DIR / "slices.csv")))
    by_patient = defaultdict(list)
    for r in rows:
        by_patient[r["patient_id"]].append(
            (int(r["slice_index"]), LGG_DIR / r["image"], LGG_DIR / r["mask"], int(r["tumor_pixels"]))
        )
    for p in by_patient:
        by_patient[p].sort(key=lambda t: t[0])
    return dict(sorted(by_patient.items()))


def institution(patient_id: str) -> str:
    return patient_id.split("_")[1]


def lgg_make_split(patients, seed: int = SEED, val_frac: float = 0.2):
    """Patient-level split stratified by institution code (TCGA_XX_NNNN)."""
    rng = random.Random(seed)
    groups = defaultdict(list)
    for p in sorted(patients):
        groups[institution(p)].append(p)
    train, val = [], []
    for code in sorted(groups):
        ps = groups[code][:]
        rng.shuffle(ps)
        n_val = int(round(val_frac * len(ps)))
        val += ps[:n_val]
        train += ps[n_val:]
    assert not set(train) & set(val)
    return sorted(train), sorted(val)


def volume_percentile_normalise(vol: np.ndarray, low: float = 1.0, high: float = 99.0):
    """v = clip((x - p1) / (p99 - p1), 0, 1), percentiles over the NON-ZERO voxels of the
    whole volume (numpy.percentile, linear interpolation). All-zero volume: p1=0, p99=1.
    If p99 <= p1 (degenerate), p99 = p1 + 1."""
    vol = vol.astype(np.float32)
    nz = vol[vol != 0]
    if nz.size == 0:
        lo, hi = 0.0, 1.0
    else:
        lo, hi = np.percentile(nz, [low, high]).astype(np.float64)
        if hi <= lo:
            hi = lo + 1.0
    out = np.clip((vol - lo) / (hi - lo), 0.0, 1.0).astype(np.float32)
    return out, float(lo), float(hi)


def load_png(path) -> np.ndarray:
    from PIL import Image

    im = Image.open(path)
    if im.mode != "L":
        im = im.convert("L")
    return np.asarray(im)


def lgg_load_patients(patient_ids, index, cache_dir: Path | None = None):
    """Load patients: list of dicts with id, img128 [n,1,128,128] float32 (normalised,
    resized), mask256 [n,H,W] uint8 {0,1}, mask128 [n,1,128,128] float32 (soft,
    bilinear-resized mask), tumour [n] bool."""
    out = []
    for p in patient_ids:
        cache = cache_dir / f"{p}.npz" if cache_dir else None
        if cache is not None and cache.exists():
            z = np.load(cache)
            out.append({"id": p, "img128": z["img128"], "mask256": z["mask256"], "mask128": z["mask128"],
                        "tumour": z["mask256"].reshape(len(z["mask256"]), -1).any(1)})
            continue
        items = index[p]
        vol = np.stack([load_png(i) for _, i, _, _ in items])
        masks = (np.stack([load_png(m) for _, _, m, _ in items]) > 127).astype(np.uint8)
        norm, _, _ = volume_percentile_normalise(vol)
        t = torch.from_numpy(norm)[:, None]
        img128 = resize_bilinear(t, SEG_SIZE).numpy().astype(np.float32)
        mask128 = resize_bilinear(torch.from_numpy(masks.astype(np.float32))[:, None], SEG_SIZE).numpy()
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.savez(cache, img128=img128, mask256=masks, mask128=mask128)
        out.append({"id": p, "img128": img128, "mask256": masks, "mask128": mask128,
                    "tumour": masks.reshape(len(masks), -1).any(1)})
    return out


# --------------------------------------------------------------------------- BraTS
def brats_cases():
    return sorted(d.name for d in BRATS_DIR.iterdir() if d.is_dir())


def brats_load(case: str):
    """Return (flair [n_slices, H, W] float32 raw, wt [n_slices, H, W] uint8) as axial
    slices oriented like the LGG PNGs: array reoriented to L,P,S; slice k = vol[:, :, k].T,
    i.e. rows run anterior->posterior (row 0 = anterior), columns run patient right->left
    (radiological display, column 0 = patient right). Slices ordered inferior->superior."""
    import nibabel as nib
    from nibabel.orientations import apply_orientation, axcodes2ornt, io_orientation, ornt_transform

    def load(path):
        img = nib.load(str(path))
        data = np.asanyarray(img.dataobj)
        tr = ornt_transform(io_orientation(img.affine), axcodes2ornt(("L", "P", "S")))
        return apply_orientation(data, tr)

    fl = load(BRATS_DIR / case / f"{case}_flair.nii.gz").astype(np.float32)
    seg = load(BRATS_DIR / case / f"{case}_seg.nii.gz")
    fl = np.ascontiguousarray(np.transpose(fl, (2, 1, 0)))
    wt = np.ascontiguousarray((np.transpose(seg, (2, 1, 0)) > 0).astype(np.uint8))
    return fl, wt


# The six BraTS cases of the v1 cross-dataset test stay a test set in v2: never trained on, never
# used for model selection. The cases added to the shared data later are training cases.
BRATS_TEST = ["Brats18_2013_20_1", "Brats18_2013_3_1", "Brats18_CBICA_ABM_1", "Brats18_CBICA_AQN_1",
              "Brats18_TCIA01_201_1", "Brats18_TCIA02_370_1"]


def brats_split():
    cases = brats_cases()
    test = [c for c in cases if c in BRATS_TEST]
    train = [c for c in cases if c not in BRATS_TEST]
    return train, test


def brats_load_training(cases, cache_dir: Path | None = None, min_brain_frac: float = 0.02):
    """BraTS volumes as LGG-like training slices: the whole FLAIR volume normalised like the app does
    (non-zero percentiles), slices with less than min_brain_frac brain voxels dropped. Same dict
    layout as lgg_load_patients (mask256 holds the 240x240 masks)."""
    out = []
    for c in cases:
        cache = cache_dir / f"{c}.npz" if cache_dir else None
        if cache is not None and cache.exists():
            z = np.load(cache)
        else:
            fl, wt = brats_load(c)
            norm, _, _ = volume_percentile_normalise(fl)
            keep = (fl.reshape(len(fl), -1) > 0).mean(1) >= min_brain_frac
            norm, wt = norm[keep], wt[keep]
            img128 = resize_bilinear(torch.from_numpy(norm)[:, None], SEG_SIZE).numpy().astype(np.float32)
            mask128 = resize_bilinear(torch.from_numpy(wt.astype(np.float32))[:, None], SEG_SIZE).numpy()
            z = {"img128": img128, "mask256": wt, "mask128": mask128}
            if cache is not None:
                cache.parent.mkdir(parents=True, exist_ok=True)
                np.savez(cache, **z)
        out.append({"id": c, "img128": z["img128"], "mask256": z["mask256"], "mask128": z["mask128"],
                    "tumour": z["mask256"].reshape(len(z["mask256"]), -1).any(1)})
    return out


def random_resolution(x: torch.Tensor, gen: torch.Generator, p=0.25, max_factor=2.0):
    """Scanner-resolution augmentation: a random subset is downsampled by U(1, max_factor) and
    upsampled back (bilinear), as a coarser acquisition would look."""
    if x.shape[0] == 0:
        return x
    out = x.clone()
    for i in range(x.shape[0]):
        if torch.rand(1, generator=gen).item() >= p:
            continue
        f = 1.0 + torch.rand(1, generator=gen).item() * (max_factor - 1.0)
        size = max(8, int(round(x.shape[-1] / f)))
        small = F.interpolate(x[i:i + 1], size=(size, size), mode="bilinear", align_corners=False)
        out[i:i + 1] = F.interpolate(small, size=x.shape[-2:], mode="bilinear", align_corners=False)
    return out


# --------------------------------------------------------------------------- seg inference + metrics
@torch.no_grad()
def seg_predict_probs(model, img128: np.ndarray, out_hw, batch: int = 32, flip_tta: bool = False) -> np.ndarray:
    """logits -> sigmoid -> bilinear resize (align_corners=False) to out_hw. Returns float32 [n,H,W].
    flip_tta: the mean of the probabilities of the slice and of its left-right mirror (mirrored back)."""
    model.eval()
    probs = []
    for i in range(0, len(img128), batch):
        x = torch.from_numpy(np.ascontiguousarray(img128[i:i + batch]))
        p = torch.sigmoid(model(x))
        if flip_tta:
            p = 0.5 * (p + torch.sigmoid(model(x.flip(3))).flip(3))
        probs.append(resize_bilinear(p, out_hw)[:, 0].numpy())
    return np.concatenate(probs).astype(np.float32) if probs else np.zeros((0, *out_hw), np.float32)


_STRUCT8 = np.ones((3, 3), dtype=bool)


def postprocess(prob: np.ndarray, threshold: float, min_component: int = 10) -> np.ndarray:
    """Binary mask = prob >= threshold, then per slice remove 8-connected components
    with fewer than min_component pixels."""
    from scipy import ndimage

    mask = prob >= threshold
    if min_component <= 1:
        return mask
    out = np.zeros_like(mask)
    for k in range(mask.shape[0]):
        if not mask[k].any():
            continue
        lab, n = ndimage.label(mask[k], structure=_STRUCT8)
        if n == 0:
            continue
        sizes = np.bincount(lab.ravel())
        keep = sizes >= min_component
        keep[0] = False
        out[k] = keep[lab]
    return out


def dice(pred: np.ndarray, gt: np.ndarray) -> float:
    """3D Dice over the whole volume. Both empty -> 1.0; one empty -> 0.0."""
    p = pred.astype(bool)
    g = gt.astype(bool)
    s = p.sum() + g.sum()
    if s == 0:
        return 1.0
    return float(2.0 * np.logical_and(p, g).sum() / s)


def seg_evaluate_volumes(probs_list, gts_list, threshold: float, min_component: int = 10):
    """Per-volume Dice + false-positive rate on GT-empty slices."""
    dices = []
    fp_slices = 0
    empty_slices = 0
    for prob, gt in zip(probs_list, gts_list):
        pred = postprocess(prob, threshold, min_component)
        dices.append(dice(pred, gt))
        gt_empty = ~gt.reshape(len(gt), -1).any(1)
        pred_any = pred.reshape(len(pred), -1).any(1)
        empty_slices += int(gt_empty.sum())
        fp_slices += int((gt_empty & pred_any).sum())
    d = np.array(dices)
    return {
        "dice": dices,
        "dice_mean": float(d.mean()) if len(d) else float("nan"),
        "dice_median": float(np.median(d)) if len(d) else float("nan"),
        "fp_slices": fp_slices,
        "empty_slices": empty_slices,
        "fp_rate": float(fp_slices / empty_slices) if empty_slices else float("nan"),
    }


# --------------------------------------------------------------------------- classifier data
def cls_read_index():
    rows = list(csv.DictReader(open(CLS_DIR / "labels.csv")))
    return [(r["file"], CLS_LABELS.index(r["label"])) for r in rows]


def cls_make_split(items, seed: int = SEED, fracs=(0.7, 0.1, 0.2)):
    rng = random.Random(seed)
    by_class = defaultdict(list)
    for f, y in sorted(items):
        by_class[y].append(f)
    split = {"train": [], "calibration": [], "test": []}
    for y in sorted(by_class):
        fs = by_class[y][:]
        rng.shuffle(fs)
        n = len(fs)
        n_tr = int(round(fracs[0] * n))
        n_ca = int(round(fracs[1] * n))
        split["train"] += fs[:n_tr]
        split["calibration"] += fs[n_tr:n_tr + n_ca]
        split["test"] += fs[n_tr + n_ca:]
    for k in split:
        split[k].sort()
    return split


_ORIENTATIONS = ("id", "fliplr", "flipud", "rot90", "rot180", "rot270", "transpose", "transverse")


def _orient(a: np.ndarray, o: str) -> np.ndarray:
    return {"id": a, "fliplr": a[:, ::-1], "flipud": a[::-1], "rot90": np.rot90(a, 1), "rot180": np.rot90(a, 2),
            "rot270": np.rot90(a, 3), "transpose": a.T, "transverse": np.rot90(a, 2).T}[o]


def dhash256(gray: np.ndarray, resample: str) -> np.ndarray:
    """256-bit difference hash (imagehash convention): resize to 17x16 (w x h), bit = pixel > its left neighbour."""
    from PIL import Image

    rs = {"lanczos": Image.LANCZOS, "bilinear": Image.BILINEAR}[resample]
    small = np.asarray(Image.fromarray(np.ascontiguousarray(gray)).resize((17, 16), rs), dtype=np.int16)
    return np.packbits((small[:, 1:] > small[:, :-1]).ravel())


def cls_near_duplicate_groups(files, max_bits: int = 12):
    """Group near-duplicates: an edge joins two images whose dHash-256 (LANCZOS or BILINEAR) differ by <= max_bits
    bits with one of them in any of the 8 flips/rotations (SOURCE.md of the data set: the folder holds mirrored,
    rotated and re-processed copies; its cross-class chance level is 22 bits). Connected components = groups.
    Returns a list of group indices, one per file."""
    n = len(files)
    ref = {r: np.zeros((n, 32), np.uint8) for r in ("lanczos", "bilinear")}
    alt = {r: np.zeros((len(_ORIENTATIONS), n, 32), np.uint8) for r in ("lanczos", "bilinear")}
    for i, f in enumerate(files):
        g = load_png(CLS_DIR / f)
        for r in ref:
            for k, o in enumerate(_ORIENTATIONS):
                h = dhash256(_orient(g, o), r)
                alt[r][k, i] = h
                if o == "id":
                    ref[r][i] = h
    popcount = np.array([bin(v).count("1") for v in range(256)], np.uint8)
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in ref:
        for k in range(len(_ORIENTATIONS)):
            for s0 in range(0, n, 128):
                d = popcount[ref[r][s0:s0 + 128, None, :] ^ alt[r][k][None, :, :]].sum(-1, dtype=np.int32)
                for a, b in zip(*np.nonzero(d <= max_bits)):
                    ia, ib = find(int(a) + s0), find(int(b))
                    if ia != ib:
                        parent[ia] = ib
    roots = [find(i) for i in range(n)]
    ids = {}
    return [ids.setdefault(r, len(ids)) for r in roots]


def cls_make_group_split(items, groups, forced_train=(), seed: int = SEED, fracs=(0.7, 0.1, 0.2)):
    """Split whole near-duplicate groups, stratified by class: per class (a group's class = its majority label),
    shuffle the groups (seeded) and fill test, then calibration, up to their fraction of the class's images;
    the rest is train. Groups holding a file of `forced_train` (images an earlier model trained on) always go to
    train, so that model can be scored fairly on the new test split."""
    rng = random.Random(seed)
    forced = set(forced_train)
    members = defaultdict(list)
    for (f, y), g in zip(items, groups):
        members[g].append((f, y))
    by_class = defaultdict(list)
    for g in sorted(members):
        ys = [y for _, y in members[g]]
        by_class[max(set(ys), key=ys.count)].append(g)
    split = {"train": [], "calibration": [], "test": []}
    for y in sorted(by_class):
        gs = by_class[y][:]
        rng.shuffle(gs)
        total = sum(len(members[g]) for g in gs)
        quota = {"test": fracs[2] * total, "calibration": fracs[1] * total}
        filled = {"test": 0, "calibration": 0}
        for g in gs:
            fs = [f for f, _ in members[g]]
            side = "train"
            if not any(f in forced for f in fs):
                for k in ("test", "calibration"):
                    if filled[k] + len(fs) <= quota[k] + 0.5:
                        side = k
                        break
            if side != "train":
                filled[side] += len(fs)
            split[side] += fs
    for k in split:
        split[k].sort()
    return split


def cls_load_image01(path) -> np.ndarray:
    """JPEG -> 8-bit grayscale (PIL convert('L'): L = R*299/1000 + G*587/1000 + B*114/1000
    for RGB files; grayscale files as stored) -> float32 / 255."""
    return load_png(path).astype(np.float32) / 255.0


def cls_load_images(files, cache: Path | None = None) -> np.ndarray:
    """Return [n,1,160,160] float32 in 0..1 (bilinear resize, align_corners=False, no antialias)."""
    if cache is not None and cache.exists():
        z = np.load(cache)
        if list(z["files"]) == list(files):
            return z["x"]
    arr = np.stack([cls_load_image01(CLS_DIR / f) for f in files])[:, None]
    x = resize_bilinear(torch.from_numpy(arr), CLS_SIZE).numpy().astype(np.float32)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, x=x, files=np.array(files))
    return x


def standardise(x: torch.Tensor) -> torch.Tensor:
    """Per-image standardisation: (x - mean) / max(std, 1e-6), population std over all pixels."""
    m = x.mean(dim=(1, 2, 3), keepdim=True)
    s = x.std(dim=(1, 2, 3), keepdim=True, unbiased=False).clamp_min(1e-6)
    return (x - m) / s


# --------------------------------------------------------------------------- augmentation
def random_affine(x: torch.Tensor, y: torch.Tensor | None, gen: torch.Generator, rot_deg=15.0,
                  scale=(0.85, 1.15), shift=0.05, hflip=0.5):
    n = x.shape[0]
    ang = (torch.rand(n, generator=gen) * 2 - 1) * math.radians(rot_deg)
    sc = scale[0] + torch.rand(n, generator=gen) * (scale[1] - scale[0])
    fl = torch.where(torch.rand(n, generator=gen) < hflip, -1.0, 1.0)
    tx = (torch.rand(n, generator=gen) * 2 - 1) * shift
    ty = (torch.rand(n, generator=gen) * 2 - 1) * shift
    cos, sin = torch.cos(ang) / sc, torch.sin(ang) / sc
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0] = cos * fl
    theta[:, 0, 1] = -sin
    theta[:, 1, 0] = sin * fl
    theta[:, 1, 1] = cos
    theta[:, 0, 2] = tx
    theta[:, 1, 2] = ty
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    xo = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    yo = None
    if y is not None:
        yo = F.grid_sample(y, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    return xo, yo


def random_vflip(x: torch.Tensor, gen: torch.Generator, p=0.1):
    """Upside-down flip of a random subset (the data set holds upside-down copies of some slices)."""
    m = (torch.rand(x.shape[0], generator=gen) < p).view(-1, 1, 1, 1)
    return torch.where(m, x.flip(2), x)


def random_intensity(x: torch.Tensor, gen: torch.Generator, gamma=0.4, contrast=0.15, bright=0.05, p=0.8):
    """x in 0..1: x^g (g = exp(U(-gamma, gamma))), then a*x + b, clipped to 0..1."""
    n = x.shape[0]
    apply = (torch.rand(n, generator=gen) < p).float().view(n, 1, 1, 1)
    g = torch.exp((torch.rand(n, generator=gen) * 2 - 1) * gamma).view(n, 1, 1, 1)
    a = (1 + (torch.rand(n, generator=gen) * 2 - 1) * contrast).view(n, 1, 1, 1)
    b = ((torch.rand(n, generator=gen) * 2 - 1) * bright).view(n, 1, 1, 1)
    xa = (x.clamp(0, 1).pow(g) * a + b).clamp(0, 1)
    return apply * xa + (1 - apply) * x


# --------------------------------------------------------------------------- calibration
def softmax_np(z: np.ndarray) -> np.ndarray:
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def ece(probs: np.ndarray, labels: np.ndarray, n_bins: int = 15) -> float:
    """Expected calibration error of the top-label confidence, 15 equal-width bins."""
    conf = probs.max(1)
    pred = probs.argmax(1)
    correct = (pred == labels).astype(np.float64)
    edges = np.linspace(0, 1, n_bins + 1)
    e = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            e += m.mean() * abs(correct[m].mean() - conf[m].mean())
    return float(e)


def nll(logits: np.ndarray, labels: np.ndarray, T: float) -> float:
    p = softmax_np(logits / T)
    return float(-np.log(np.clip(p[np.arange(len(labels)), labels], 1e-12, None)).mean())


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    from scipy.optimize import minimize_scalar

    res = minimize_scalar(lambda lt: nll(logits, labels, math.exp(lt)), bounds=(-3, 3), method="bounded")
    return float(math.exp(res.x))


# --------------------------------------------------------------------------- parity files
def f32_b64(a: np.ndarray) -> str:
    import base64

    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode("ascii")

#!/usr/bin/python3
"""Train "chest-xray-pneumonia" (normal vs pneumonia) on shared/data/chest-xray-pneumonia-224.

- Split by patient: the token in each file name (`personN` for pneumonia, grouping its bacteria and virus images;
  `IM-NNNN` / `NORMAL2-IM-NNNN` for normal) stays on one side. Whole patients are shuffled per class and cut
  75/10/15 train/calibration/test -> work/chest-xray-pneumonia/split.json (copied to models/ when packaged).
- Preprocessing (re-implemented by the app): grayscale, bilinear 128x128 (align_corners=False, no antialias),
  0..1, per-image standardisation.
- Model: ResNet18 topology at quarter width (common.ResNet18CAM, widths 16-32-64-128, two classes); its last
  feature map (8x8 for a 128 px input) gives the class activation map.
- Class-weighted cross-entropy (pneumonia outnumbers normal about 3:1), AdamW, cosine decay over the wall-clock
  budget; augmentation: rotation, scale, shift, gamma/contrast/brightness; no left-right flip (the heart's side is
  anatomy, not noise).
- No model selection on the test split: the final epoch is saved; the calibration split is used for monitoring
  and later for temperature scaling.

Usage: nohup setsid nice -n 19 /usr/bin/python3 models/training/train_chest_xray.py --budget-min 75 --resume > log 2>&1 &
"""
from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402

MODEL_ID = "chest-xray-pneumonia"
DATA_DIR = C.DATA_ROOT / "chest-xray-pneumonia-224"
LABELS = ["normal", "pneumonia"]
SIZE = 128
WIDTHS = (16, 32, 64, 128)
FRACS = (0.75, 0.10, 0.15)


def parse():
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget-min", type=float, default=75.0)
    ap.add_argument("--max-epochs", type=int, default=200)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--work-dir", type=Path, default=C.DEFAULT_WORK)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--smoke", action="store_true")
    return ap.parse_args()


def patient_token(file: str) -> str:
    """The patient a file belongs to, from its name (see the data set's SOURCE.md)."""
    name = Path(file).name
    m = re.match(r"(person\d+)_", name)
    if m:
        return m.group(1)
    m = re.match(r"((?:NORMAL2-)?IM-\d+)-", name)
    if m:
        return m.group(1)
    raise ValueError(f"no patient token in {file!r}")


def read_index():
    with open(DATA_DIR / "MANIFEST.csv", newline="") as f:
        return [(row["file"], LABELS.index(row["label"].lower())) for row in csv.DictReader(f)]


def make_split(items) -> dict:
    by_class: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for file, label in items:
        by_class[label][patient_token(file)].append(file)
    parts: dict[str, list[str]] = {"train": [], "calibration": [], "test": []}
    for label in sorted(by_class):
        patients = sorted(by_class[label])
        random.Random(C.SEED + label).shuffle(patients)
        n = len(patients)
        cut1, cut2 = round(FRACS[0] * n), round((FRACS[0] + FRACS[1]) * n)
        for name, chosen in (("train", patients[:cut1]), ("calibration", patients[cut1:cut2]), ("test", patients[cut2:])):
            for p in chosen:
                parts[name].extend(sorted(by_class[label][p]))
    tokens = {name: {patient_token(f) for f in files} for name, files in parts.items()}
    assert not (tokens["train"] & tokens["test"]) and not (tokens["train"] & tokens["calibration"])
    label_of = dict(items)
    return {
        "dataset": f"chest-xray-pneumonia-224 (shared/data/chest-xray-pneumonia-224, {len(items)} images: "
                   + ", ".join(f"{l} {sum(1 for _, y in items if y == k)}" for k, l in enumerate(LABELS)) + ")",
        "method": "patients (file-name token; personN groups bacteria and virus images) shuffled per class with "
                  "python random.Random(seed + class) and cut 75/10/15 train/calibration/test; no patient on two sides",
        "seed": C.SEED,
        "labels": LABELS,
        "patients": {name: len(t) for name, t in tokens.items()},
        "counts": {name: [sum(1 for f in files if label_of[f] == k) for k in range(len(LABELS))] for name, files in parts.items()},
        **parts,
    }


def load_images(files, cache: Path | None) -> np.ndarray:
    """[n,1,128,128] float32 in 0..1: grayscale JPEG, bilinear resize (align_corners=False, no antialias)."""
    if cache is not None and cache.exists():
        z = np.load(cache)
        if list(z["files"]) == list(files):
            return z["x"].astype(np.float32) / 255.0
    out = np.empty((len(files), 1, SIZE, SIZE), dtype=np.uint8)
    for i in range(0, len(files), 256):
        chunk = files[i:i + 256]
        arr = np.stack([C.load_png(DATA_DIR / f).astype(np.float32) / 255.0 for f in chunk])[:, None]
        x = C.resize_bilinear(torch.from_numpy(arr), SIZE).numpy()
        out[i:i + len(chunk)] = np.clip(np.rint(x * 255.0), 0, 255).astype(np.uint8)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(cache, x=out, files=np.array(files))
    return out.astype(np.float32) / 255.0


@torch.no_grad()
def predict_logits(model, x01: np.ndarray, batch=128):
    model.eval()
    return np.concatenate([model(C.standardise(torch.from_numpy(x01[i:i + batch])))[0].numpy()
                           for i in range(0, len(x01), batch)])


def main():
    a = parse()
    C.setup_torch(a.threads)
    C.seed_everything(C.SEED)
    work = a.work_dir / MODEL_ID
    work.mkdir(parents=True, exist_ok=True)
    last_path, best_path = work / "last.pt", work / "best.pt"

    items = read_index()
    split = make_split(items)
    C.write_json(work / "split.json", split)
    label_of = dict(items)
    tr_files, ca_files = split["train"], split["calibration"]
    if a.smoke:
        tr_files, ca_files = tr_files[::25], ca_files[::10]
    cache = a.work_dir / "cache" / ("cxr_smoke" if a.smoke else "cxr")
    t0 = time.time()
    Xtr = torch.from_numpy(load_images(tr_files, cache / "train.npz"))
    Ytr = torch.tensor([label_of[f] for f in tr_files])
    Xca = load_images(ca_files, cache / "calibration.npz")
    Yca = np.array([label_of[f] for f in ca_files])
    C.log(f"loaded {len(Xtr)} train / {len(Xca)} calibration images in {time.time() - t0:.1f}s; patients {split['patients']}")

    config = {"arch": "ResNet18CAM", "widths": list(WIDTHS), "size": SIZE, "classes": LABELS}
    model = C.ResNet18CAM(widths=WIDTHS, n_classes=len(LABELS))
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=5e-4)
    counts = np.bincount(Ytr.numpy(), minlength=len(LABELS))
    class_weight = torch.tensor(len(Ytr) / (len(LABELS) * counts), dtype=torch.float32)
    C.log(f"train counts {counts.tolist()}, class weights {[round(float(w), 3) for w in class_weight]}")
    budget = a.budget_min * 60.0
    state = {"epoch": 0, "elapsed": 0.0, "history": [], "done": False}
    gen = torch.Generator().manual_seed(C.SEED + 7)
    if a.resume and last_path.exists():
        ck = torch.load(last_path)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        state = ck["state"]
        gen.set_state(ck["gen"])
        torch.set_rng_state(ck["torch_rng"])
        C.log(f"resumed from epoch {state['epoch']} (elapsed {state['elapsed'] / 60:.1f} min)")
        if state.get("done") and best_path.exists():
            C.log("training already finished; nothing to do")
            return
    n = len(Xtr)
    steps = max(1, n // a.batch)
    lr = a.lr
    while state["epoch"] < a.max_epochs and not state.get("done"):
        ep_start = time.time()
        model.train()
        perm = torch.randperm(n, generator=gen)
        tot, correct = 0.0, 0
        for s in range(steps):
            lr = C.cosine_lr(a.lr, state["elapsed"] + (time.time() - ep_start), budget)
            for g in opt.param_groups:
                g["lr"] = lr
            b = perm[s * a.batch:(s + 1) * a.batch]
            x, _ = C.random_affine(Xtr[b], None, gen, rot_deg=10, scale=(0.9, 1.1), shift=0.06, hflip=0.0)
            x = C.random_intensity(x, gen, gamma=0.3, contrast=0.2, bright=0.08, p=0.8)
            logits, _ = model(C.standardise(x))
            loss = F.cross_entropy(logits, Ytr[b], weight=class_weight)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            tot += loss.item()
            correct += int((logits.argmax(1) == Ytr[b]).sum())
        lc = predict_logits(model, Xca)
        ca_acc = float((lc.argmax(1) == Yca).mean())
        ep_time = time.time() - ep_start
        state["epoch"] += 1
        state["elapsed"] += ep_time
        rec = {"epoch": state["epoch"], "loss": tot / steps, "train_acc": correct / (steps * a.batch),
               "calibration_acc": ca_acc, "lr_end": lr, "epoch_s": round(ep_time, 1),
               "elapsed_min": round(state["elapsed"] / 60, 2)}
        state["history"].append(rec)
        mean_ep = np.mean([h["epoch_s"] for h in state["history"][-3:]])
        stop = (budget - state["elapsed"]) < 0.9 * mean_ep or state["epoch"] >= a.max_epochs or (a.smoke and state["epoch"] >= 1)
        state["done"] = bool(stop)
        C.atomic_torch_save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state,
                             "gen": gen.get_state(), "torch_rng": torch.get_rng_state()}, last_path)
        C.log(f"epoch {rec['epoch']} loss {rec['loss']:.4f} train acc {rec['train_acc']:.3f} calib acc {ca_acc:.3f} "
              f"lr {lr:.2e} | {ep_time:.0f}s, elapsed {state['elapsed'] / 60:.1f}/{a.budget_min:.0f} min")
        if stop:
            break
    C.atomic_torch_save({"model": model.state_dict(), "epoch": state["epoch"], "config": config}, best_path)
    C.write_json(work / "train_history.json", state)
    C.log(f"done: {state['epoch']} epochs in {state['elapsed'] / 60:.1f} min")


if __name__ == "__main__":
    main()

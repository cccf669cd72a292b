#!/usr/bin/python3
"""Train the small CNN "brain-tumour-4class" on brain-mri-4class-224 (1200 JPEGs).

- Seeded stratified split 70/10/20 (train/calibration/test) -> models/brain-tumour-4class/split.json
  (no patient ids exist in this dataset, so the split is per image)
- Preprocessing: grayscale, bilinear 160x160, 0..1, per-image standardisation
- Adam lr 1e-3 (weight decay 1e-4), cosine decay driven by wall-clock time; stops at --budget-min.
- No model selection: the final epoch is saved as best.pt (the calibration split is used only for
  monitoring and, later, temperature scaling; the test split is never looked at during training).

Usage: nice -n 19 /usr/bin/python3 models/training/train_classifier.py --budget-min 24 --resume
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402


def parse():
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget-min", type=float, default=24.0)
    ap.add_argument("--max-epochs", type=int, default=300)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--work-dir", type=Path, default=C.DEFAULT_WORK)
    ap.add_argument("--out-dir", type=Path, default=C.MODELS_DIR)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--smoke", action="store_true")
    return ap.parse_args()


@torch.no_grad()
def predict_logits(model, x01: np.ndarray, batch=64):
    model.eval()
    out = []
    for i in range(0, len(x01), batch):
        out.append(model(C.standardise(torch.from_numpy(x01[i:i + batch])))[0].numpy())
    return np.concatenate(out)


def main():
    a = parse()
    C.setup_torch(a.threads)
    C.seed_everything(C.SEED)
    work = a.work_dir / C.CLS_ID
    work.mkdir(parents=True, exist_ok=True)
    out = a.out_dir / C.CLS_ID
    out.mkdir(parents=True, exist_ok=True)
    last_path, best_path = work / "last.pt", work / "best.pt"

    items = C.cls_read_index()
    split = C.cls_make_split(items)
    label_of = dict(items)
    C.write_json(out / "split.json", {
        "dataset": "brain-mri-4class-224 (shared/data/brain-mri-4class-224, 1200 images, 300 per class)",
        "method": "per-image stratified split by class (no patient ids exist in this dataset), 70% train / 10% calibration / 20% test, python random.Random(seed).shuffle over sorted file names per class",
        "caveat": "images of the same patient (e.g. adjacent slices) can fall on both sides; near-duplicates were removed upstream only approximately (dHash)",
        "seed": C.SEED,
        "labels": C.CLS_LABELS,
        **{k: v for k, v in split.items()},
    })
    tr_files, ca_files = split["train"], split["calibration"]
    if a.smoke:
        tr_files, ca_files = tr_files[::20], ca_files[::10]
    t0 = time.time()
    cache = a.work_dir / "cache" / ("cls_smoke" if a.smoke else "cls")
    Xtr = torch.from_numpy(C.cls_load_images(tr_files, cache / "train.npz"))
    Ytr = torch.tensor([label_of[f] for f in tr_files])
    Xca = C.cls_load_images(ca_files, cache / "calibration.npz")
    Yca = np.array([label_of[f] for f in ca_files])
    C.log(f"loaded {len(Xtr)} train / {len(Xca)} calibration images in {time.time() - t0:.1f}s")

    model = C.SmallCNN()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, weight_decay=1e-4)
    budget = a.budget_min * 60.0
    state = {"epoch": 0, "elapsed": 0.0, "history": [], "done": False}
    gen = torch.Generator().manual_seed(C.SEED + 1)
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
            x, _ = C.random_affine(Xtr[b], None, gen, rot_deg=10, scale=(0.9, 1.1), shift=0.05, hflip=0.5)
            x = C.random_intensity(x, gen, gamma=0.25, contrast=0.2, bright=0.1, p=0.8)
            logits, _ = model(C.standardise(x))
            loss = F.cross_entropy(logits, Ytr[b])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            tot += loss.item()
            correct += int((logits.argmax(1) == Ytr[b]).sum())
        train_time = time.time() - ep_start
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
              f"lr {lr:.2e} | {train_time:.0f}s train, {ep_time:.0f}s total, elapsed {state['elapsed'] / 60:.1f}/{a.budget_min:.0f} min")
        if stop:
            break
    C.atomic_torch_save({"model": model.state_dict(), "epoch": state["epoch"],
                         "config": {"channels": [16, 32, 64, 128, 256], "size": C.CLS_SIZE}}, best_path)
    C.write_json(work / "train_history.json", state)
    C.log(f"done: {state['epoch']} epochs in {state['elapsed'] / 60:.1f} min")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Train "brain-tumour-4class" (ResNet18 topology at half width, see common.ResNet18CAM) on brain-mri-4class-224.

- Split: near-duplicate groups (dHash-256 in any flip/rotation, common.cls_near_duplicate_groups) kept on one side,
  per class 70/10/20 (train/calibration/test) -> models/brain-tumour-4class/split.json. No patient ids exist.
  Images the previous model v1 trained on (brain-tumour-4class-v1-split.json) stay in train, so v1 can be scored
  on the new test split without leakage.
- Preprocessing: grayscale, bilinear 160x160, 0..1, per-image standardisation
- Class-weighted cross-entropy (the set is unbalanced), AdamW lr 2e-3 (weight decay 5e-4), cosine decay driven by
  wall-clock time; first half of the budget at 112 px (progressive resizing), then 160 px; stops at --budget-min.
- Augmentation: flips, rotation, scale, shift, gamma/contrast/brightness.
- No model selection: the final epoch is saved as best.pt (the calibration split is used only for monitoring and,
  later, temperature scaling; the test split is never looked at during training).

Usage: nohup nice -n 10 /usr/bin/python3 models/training/train_classifier.py --budget-min 49 --resume > work/log 2>&1 &
"""
from __future__ import annotations

import argparse
import json
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
    ap.add_argument("--budget-min", type=float, default=49.0)
    ap.add_argument("--max-epochs", type=int, default=300)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--work-dir", type=Path, default=C.DEFAULT_WORK)
    ap.add_argument("--out-dir", type=Path, default=C.MODELS_DIR)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--smoke", action="store_true")
    return ap.parse_args()


WIDTHS = (24, 48, 96, 192)
GROUP_MAX_BITS = 12
LOWRES, LOWRES_FRACTION = 112, 0.6
PREVIOUS_SPLIT = Path(__file__).resolve().parent / "brain-tumour-4class-v1-split.json"


def cls_split(items, cache_dir: Path) -> dict:
    """Near-duplicate-group split (see common.cls_make_group_split); the groups are cached (hashing takes minutes)."""
    files = [f for f, _ in items]
    cache = cache_dir / "cls_groups.json"
    groups = None
    if cache.exists():
        c = json.load(open(cache))
        if c["files"] == files and c["max_bits"] == GROUP_MAX_BITS:
            groups = c["groups"]
    if groups is None:
        groups = C.cls_near_duplicate_groups(files, GROUP_MAX_BITS)
        C.write_json(cache, {"files": files, "max_bits": GROUP_MAX_BITS, "groups": groups})
    present = set(files)
    previous_train = [f for f in json.load(open(PREVIOUS_SPLIT))["train"] if f in present]
    split = C.cls_make_group_split(items, groups, previous_train)
    sizes = np.bincount(groups)
    return {
        "dataset": f"brain-mri-4class-224 (shared/data/brain-mri-4class-224, {len(items)} images: "
                   + ", ".join(f"{l} {sum(1 for _, y in items if y == k)}" for k, l in enumerate(C.CLS_LABELS)) + ")",
        "method": (f"near-duplicate groups = connected components of dHash-256 (LANCZOS or BILINEAR) <= {GROUP_MAX_BITS} bits with "
                   "either image in any of 8 flips/rotations; whole groups split per class 70/10/20 train/calibration/test "
                   "(python random.Random(seed).shuffle over the groups); groups holding an image the previous model v1 trained "
                   "on (models/training/brain-tumour-4class-v1-split.json) always go to train, so v1 is scored fairly on this test split"),
        "groupMaxBits": GROUP_MAX_BITS,
        "groups": {"count": int(len(sizes)), "withMoreThanOneImage": int((sizes > 1).sum()), "largest": int(sizes.max())},
        "previousModelTrainImagesForcedToTrain": len(previous_train),
        "caveat": "no patient ids exist: adjacent slices of one patient that are not near-duplicates can still fall on both sides",
        "seed": C.SEED,
        "labels": C.CLS_LABELS,
        **split,
    }


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
    split = cls_split(items, a.work_dir / "cache")
    label_of = dict(items)
    # The split goes to the work folder; package_model.py copies it into models/ only when the model is shipped.
    C.write_json(work / "split.json", split)
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

    config = {"arch": "ResNet18CAM", "widths": list(WIDTHS), "size": C.CLS_SIZE}
    model = C.cls_build_model(config)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=5e-4)
    counts = np.bincount(Ytr.numpy(), minlength=len(C.CLS_LABELS))
    class_weight = torch.tensor(len(Ytr) / (len(C.CLS_LABELS) * counts), dtype=torch.float32)
    C.log(f"train counts {counts.tolist()}, class weights {[round(float(w), 3) for w in class_weight]}")
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
        # progressive resizing (Howard & Gugger, fastai): the first LOWRES_FRACTION of the time budget trains at
        # LOWRES px (about half the compute per image), the rest at the deployed 160 px so BN statistics and the
        # final weights match the ONNX input size.
        size = LOWRES if state["elapsed"] < LOWRES_FRACTION * budget else C.CLS_SIZE
        model.train()
        perm = torch.randperm(n, generator=gen)
        tot, correct = 0.0, 0
        for s in range(steps):
            lr = C.cosine_lr(a.lr, state["elapsed"] + (time.time() - ep_start), budget)
            for g in opt.param_groups:
                g["lr"] = lr
            b = perm[s * a.batch:(s + 1) * a.batch]
            x, _ = C.random_affine(Xtr[b], None, gen, rot_deg=15, scale=(0.85, 1.15), shift=0.06, hflip=0.5)
            x = C.random_vflip(x, gen, p=0.1)
            x = C.random_intensity(x, gen, gamma=0.3, contrast=0.25, bright=0.1, p=0.8)
            if size != C.CLS_SIZE:
                x = C.resize_bilinear(x, size)
            logits, _ = model(C.standardise(x))
            loss = F.cross_entropy(logits, Ytr[b], weight=class_weight)
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
               "calibration_acc": ca_acc, "lr_end": lr, "size": size, "epoch_s": round(ep_time, 1),
               "elapsed_min": round(state["elapsed"] / 60, 2)}
        state["history"].append(rec)
        mean_ep = np.mean([h["epoch_s"] for h in state["history"][-3:]])
        stop = (budget - state["elapsed"]) < 0.9 * mean_ep or state["epoch"] >= a.max_epochs or (a.smoke and state["epoch"] >= 1)
        state["done"] = bool(stop)
        C.atomic_torch_save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state,
                             "gen": gen.get_state(), "torch_rng": torch.get_rng_state()}, last_path)
        C.log(f"epoch {rec['epoch']} ({size} px) loss {rec['loss']:.4f} train acc {rec['train_acc']:.3f} calib acc {ca_acc:.3f} "
              f"lr {lr:.2e} | {train_time:.0f}s train, {ep_time:.0f}s total, elapsed {state['elapsed'] / 60:.1f}/{a.budget_min:.0f} min")
        if stop:
            break
    C.atomic_torch_save({"model": model.state_dict(), "epoch": state["epoch"], "config": config}, best_path)
    C.write_json(work / "train_history.json", state)
    C.log(f"done: {state['epoch']} epochs in {state['elapsed'] / 60:.1f} min")


if __name__ == "__main__":
    main()

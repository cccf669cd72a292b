#!/usr/bin/python3
"""Train the 2D U-Net "lgg-flair-unet" on lgg-flair-seg (FLAIR PNG slices) and, since v2, on the
BraTS FLAIR volumes that are not in the BraTS test set (common.BRATS_TEST).

- Patient-level split (seeded, stratified by institution) -> models/lgg-flair-unet/split.json
- BraTS: whole volumes by case; the v1 cross-dataset test cases are never trained on
- Sampling: --brats-frac of each batch from BraTS slices, the rest LGG; tumour slices weighted
  to --pos-frac within each source
- Augmentation: flips, affine, intensity, and coarser-resolution simulation (random_resolution)
- Preprocessing: volume percentile normalisation (p1/p99 of non-zero voxels), bilinear 128x128
- Loss BCE + soft Dice, Adam lr 1e-3, cosine decay driven by wall-clock training time
- Stops at a wall-clock budget (--budget-min); checkpoints every epoch (last.pt) and keeps
  the best epoch by validation mean per-patient 3D Dice (best.pt). --resume continues.

Usage: nice -n 19 /usr/bin/python3 models/training/train_segmentation.py --budget-min 70 --resume
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
    ap.add_argument("--budget-min", type=float, default=70.0, help="wall-clock budget for the training loop incl. validation")
    ap.add_argument("--max-epochs", type=int, default=200)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--base", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--pos-frac", type=float, default=0.5, help="expected fraction of tumour slices per batch")
    ap.add_argument("--work-dir", type=Path, default=C.DEFAULT_WORK)
    ap.add_argument("--out-dir", type=Path, default=C.MODELS_DIR)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--smoke", action="store_true", help="tiny run: 2 train + 2 val patients, few steps")
    ap.add_argument("--brats-frac", type=float, default=0.3, help="share of training samples drawn from BraTS (0 = LGG only, as v1)")
    ap.add_argument("--res-aug", type=float, default=0.25, help="probability of the coarser-resolution augmentation")
    return ap.parse_args()


def soft_dice_loss(logits, target, eps=1.0):
    p = torch.sigmoid(logits)
    inter = (p * target).sum()
    return 1 - (2 * inter + eps) / (p.sum() + target.sum() + eps)


def main():
    a = parse()
    C.setup_torch(a.threads)
    C.seed_everything(C.SEED)
    work = a.work_dir / C.SEG_ID
    work.mkdir(parents=True, exist_ok=True)
    out = a.out_dir / C.SEG_ID
    out.mkdir(parents=True, exist_ok=True)
    last_path, best_path = work / "last.pt", work / "best.pt"

    index = C.lgg_read_index()
    train_ids, val_ids = C.lgg_make_split(list(index))
    brats_train, brats_test = C.brats_split()
    C.write_json(out / "split.json", {
        "dataset": "lgg-flair-seg (shared/data/lgg-flair-seg, 88 patients) + brats2018-3d-nifti (FLAIR, whole tumour)",
        "brats_train": brats_train if a.brats_frac > 0 else [],
        "brats_test": brats_test,
        "brats_method": "by case: the six cases of the v1 cross-dataset test stay test cases (never trained on, not used for selection); the others train",
        "method": "patient-level, stratified by institution code (TCGA_XX_NNNN), round(20%) of each institution to validation, python random.Random(seed).shuffle over sorted ids",
        "seed": C.SEED,
        "train": train_ids,
        "validation": val_ids,
    })
    if a.smoke:
        train_ids, val_ids, brats_train = train_ids[:2], val_ids[:2], brats_train[:1]
    if a.brats_frac <= 0:
        brats_train = []
    C.log(f"split: {len(train_ids)} train / {len(val_ids)} validation patients")

    cache = a.work_dir / "cache" / "lgg"
    t0 = time.time()
    train = C.lgg_load_patients(train_ids, index, cache)
    val = C.lgg_load_patients(val_ids, index, cache)
    C.log(f"loaded data in {time.time() - t0:.1f}s")
    brats = C.brats_load_training(brats_train, a.work_dir / "cache" / "brats")
    sources = [train] + ([brats] if brats else [])
    shares = [1.0 - a.brats_frac, a.brats_frac] if brats else [1.0]
    X = torch.from_numpy(np.concatenate([p["img128"] for src in sources for p in src]))
    Y = torch.from_numpy(np.concatenate([p["mask128"] for src in sources for p in src]))
    weights = []
    for src, share in zip(sources, shares):
        pos = np.concatenate([p["tumour"] for p in src])
        w = np.where(pos, a.pos_frac / max(pos.sum(), 1), (1 - a.pos_frac) / max((~pos).sum(), 1))
        weights.append(share * w / w.sum())
        C.log(f"  source: {len(src)} cases, {len(pos)} slices (tumour {int(pos.sum())}), share {share:.2f}")
    w = torch.from_numpy(np.concatenate(weights))
    n = len(X)
    C.log(f"train slices {n}, val slices {sum(len(p['img128']) for p in val)}")

    model = C.UNet2D(base=a.base)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    budget = a.budget_min * 60.0
    state = {"epoch": 0, "elapsed": 0.0, "best": -1.0, "best_epoch": 0, "history": [], "done": False}
    gen = torch.Generator().manual_seed(C.SEED)
    if a.resume and last_path.exists():
        ck = torch.load(last_path)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        state = ck["state"]
        gen.set_state(ck["gen"])
        torch.set_rng_state(ck["torch_rng"])
        C.log(f"resumed from epoch {state['epoch']} (elapsed {state['elapsed'] / 60:.1f} min, best {state['best']:.4f})")
        if state.get("done"):
            C.log("training already finished; nothing to do")
            return
    samples_per_epoch = n if not a.smoke else 32
    steps = max(1, samples_per_epoch // a.batch)

    while state["epoch"] < a.max_epochs:
        ep_start = time.time()
        model.train()
        idx = torch.multinomial(w, steps * a.batch, replacement=True, generator=gen)
        tot = 0.0
        for s in range(steps):
            lr = C.cosine_lr(a.lr, state["elapsed"] + (time.time() - ep_start), budget)
            for g in opt.param_groups:
                g["lr"] = lr
            b = idx[s * a.batch:(s + 1) * a.batch]
            x, y = C.random_affine(X[b], Y[b], gen, rot_deg=15, scale=(0.8, 1.2), shift=0.06, hflip=0.5)
            x = C.random_intensity(x, gen)
            if a.res_aug > 0:
                x = C.random_resolution(x, gen, p=a.res_aug)
            logits = model(x)
            loss = F.binary_cross_entropy_with_logits(logits, y) + soft_dice_loss(logits, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            tot += loss.item()
        train_time = time.time() - ep_start
        # validation: per-patient 3D Dice at 256x256, threshold 0.5, components >= 10 px removed
        probs = [C.seg_predict_probs(model, p["img128"], p["mask256"].shape[1:]) for p in val]
        ev = C.seg_evaluate_volumes(probs, [p["mask256"] for p in val], 0.5, 10)
        ep_time = time.time() - ep_start
        state["epoch"] += 1
        state["elapsed"] += ep_time
        rec = {"epoch": state["epoch"], "loss": tot / steps, "val_dice_mean": ev["dice_mean"],
               "val_dice_median": ev["dice_median"], "val_fp_rate": ev["fp_rate"], "lr_end": lr,
               "train_s": round(train_time, 1), "epoch_s": round(ep_time, 1), "elapsed_min": round(state["elapsed"] / 60, 2)}
        state["history"].append(rec)
        improved = ev["dice_mean"] > state["best"]
        if improved:
            state["best"], state["best_epoch"] = ev["dice_mean"], state["epoch"]
            C.atomic_torch_save({"model": model.state_dict(), "epoch": state["epoch"], "val_dice_mean": ev["dice_mean"],
                                 "config": {"base": a.base, "levels": 4, "size": C.SEG_SIZE}}, best_path)
        mean_ep = np.mean([h["epoch_s"] for h in state["history"][-3:]])
        remaining = budget - state["elapsed"]
        stop = remaining < 0.9 * mean_ep or state["epoch"] >= a.max_epochs or (a.smoke and state["epoch"] >= 1)
        state["done"] = bool(stop)
        C.atomic_torch_save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state,
                             "gen": gen.get_state(), "torch_rng": torch.get_rng_state()}, last_path)
        C.log(f"epoch {rec['epoch']} loss {rec['loss']:.4f} val dice mean {ev['dice_mean']:.4f} median {ev['dice_median']:.4f} "
              f"fp-rate {ev['fp_rate']:.3f} lr {lr:.2e} | {train_time:.0f}s train, {ep_time:.0f}s total, elapsed {state['elapsed'] / 60:.1f}/"
              f"{a.budget_min:.0f} min{' *best*' if improved else ''}")
        if stop:
            break
    C.write_json(work / "train_history.json", state)
    C.log(f"done: {state['epoch']} epochs, best epoch {state['best_epoch']} val dice {state['best']:.4f}, "
          f"elapsed {state['elapsed'] / 60:.1f} min")


if __name__ == "__main__":
    main()

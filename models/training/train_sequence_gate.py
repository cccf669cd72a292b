"""Trains the sequence gate (models/sequence-gate) on work/sequence-gate/data.npz.

  --fold k   leave-subjects-out fold k (0..3): trains on split "train" + the BraTS patients and
             T1/FLAIR volume subjects of the other folds, predicts the held-out subjects of fold k
             and the fixed validation split -> work/sequence-gate/fold<k>/preds.npz
  --final    trains on "train" + all "cv" subjects (the shipped model); predicts "val",
             "external" and "describe" -> work/sequence-gate/final/preds.npz

Checkpoints after every epoch (last.pt) and resumes with --resume.
Run in the background: nohup nice -n 10 /usr/bin/python3 models/training/train_sequence_gate.py --final --resume &
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402
import gate_common as G  # noqa: E402

WORK = C.DEFAULT_WORK / G.GATE_ID


def load_data():
    d = np.load(WORK / "data.npz")
    return {k: d[k] for k in d.files}


def sample_weights(labels: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """Every class equally often; inside a class, a source in proportion to sqrt(its size)."""
    w = np.zeros(len(labels), dtype=np.float64)
    classes = sorted(set(labels.tolist()))
    for c in classes:
        in_c = labels == c
        srcs = sorted(set(sources[in_c].tolist()))
        sizes = {s: int(((sources == s) & in_c).sum()) for s in srcs}
        total = sum(math.sqrt(n) for n in sizes.values())
        for s, n in sizes.items():
            w[(sources == s) & in_c] = (math.sqrt(n) / total) / n / len(classes)
    return w / w.sum()


def augment(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Dihedral flips, small affine, gamma/contrast, blur and noise; x is (B,1,64,64) in [0,1]."""
    b = x.shape[0]
    r = lambda *s: torch.rand(*s, generator=gen)  # noqa: E731
    flip_h = r(b) < 0.5
    x = torch.where(flip_h[:, None, None, None], x.flip(3), x)
    flip_v = r(b) < 0.5
    x = torch.where(flip_v[:, None, None, None], x.flip(2), x)
    tr = r(b) < 0.5
    x = torch.where(tr[:, None, None, None], x.transpose(2, 3), x)
    ang = (r(b) - 0.5) * 2 * math.radians(15)
    scale = 1 + (r(b) - 0.5) * 0.3
    tx, ty = (r(b) - 0.5) * 0.12, (r(b) - 0.5) * 0.12
    cos, sin = torch.cos(ang) / scale, torch.sin(ang) / scale
    theta = torch.stack([torch.stack([cos, -sin, tx], 1), torch.stack([sin, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    gamma = torch.exp((r(b) - 0.5) * 2 * math.log(1.6))
    x = x.clamp(0, 1) ** gamma[:, None, None, None]
    contrast = 0.8 + 0.4 * r(b)
    x = x * contrast[:, None, None, None]
    blur = r(b) < 0.2
    if blur.any():
        k = torch.tensor([1.0, 2.0, 1.0])
        k2 = (k[:, None] * k[None, :] / 16).view(1, 1, 3, 3)
        x = torch.where(blur[:, None, None, None], F.conv2d(x, k2, padding=1), x)
    sigma = r(b) * 0.04 * (r(b) < 0.5)
    x = x + torch.randn(x.shape, generator=gen) * sigma[:, None, None, None]
    return x.clamp(0, 1)


def predict(model, x: np.ndarray, batch: int = 512) -> np.ndarray:
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            out.append(model(torch.from_numpy(x[i: i + batch].astype(np.float32))[:, None]).numpy())
    return np.concatenate(out) if out else np.zeros((0, len(G.GATE_LABELS)), np.float32)


def main() -> None:
    ap = argparse.ArgumentParser()
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--fold", type=int)
    g.add_argument("--final", action="store_true")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--samples-per-epoch", type=int, default=4000)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--resume", action="store_true")
    a = ap.parse_args()

    C.setup_torch(a.threads)
    name = "final" if a.final else f"fold{a.fold}"
    out = WORK / name
    out.mkdir(parents=True, exist_ok=True)
    running = out / "RUNNING"
    if running.exists() and Path(f"/proc/{running.read_text().strip()}").exists():
        C.log(f"{name} is already being trained by process {running.read_text().strip()}; not starting twice")
        return
    running.write_text(str(os.getpid()))
    data = load_data()
    split, fold, label = data["split"], data["fold"].astype(int), data["label"]
    if a.final:
        train_mask = (split == "train") | (split == "cv")
        eval_mask = np.isin(split, ["val", "external", "describe"])
    else:
        train_mask = (split == "train") | ((split == "cv") & (fold != a.fold))
        eval_mask = ((split == "cv") & (fold == a.fold)) | (split == "val") | (split == "external")
    lab_idx = np.array([G.GATE_LABELS.index(l) if l in G.GATE_LABELS else -1 for l in label])
    tr_idx = np.nonzero(train_mask)[0]
    weights = sample_weights(label[tr_idx], data["source"][tr_idx])
    C.log(f"{name}: {len(tr_idx)} training images, {int(eval_mask.sum())} to predict")

    seed = C.SEED + (0 if a.final else 100 + a.fold)
    C.seed_everything(seed)
    model = G.GateNet()
    n_params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    steps_per_epoch = a.samples_per_epoch // a.batch
    total_steps = steps_per_epoch * a.epochs
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=total_steps, pct_start=0.15)
    start_epoch, history = 0, []
    ck_path = out / "last.pt"
    if a.resume and ck_path.exists():
        ck = torch.load(ck_path)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        sched.load_state_dict(ck["sched"])
        start_epoch, history = ck["epoch"] + 1, ck["history"]
        C.log(f"resumed at epoch {start_epoch}")
    rng = np.random.default_rng(seed + start_epoch)
    gen = torch.Generator().manual_seed(seed + start_epoch)
    x_all = data["x"]
    for epoch in range(start_epoch, a.epochs):
        model.train()
        t0 = time.time()
        picks = tr_idx[rng.choice(len(tr_idx), size=steps_per_epoch * a.batch, p=weights)]
        tot, correct, n = 0.0, 0, 0
        for s in range(steps_per_epoch):
            bi = picks[s * a.batch: (s + 1) * a.batch]
            xb = augment(torch.from_numpy(x_all[bi].astype(np.float32))[:, None], gen)
            yb = torch.from_numpy(lab_idx[bi])
            logits = model(xb)
            loss = F.cross_entropy(logits, yb, label_smoothing=0.05)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += float(loss) * len(bi)
            correct += int((logits.argmax(1) == yb).sum())
            n += len(bi)
        history.append({"epoch": epoch, "loss": tot / n, "trainAccuracy": correct / n, "seconds": time.time() - t0})
        C.log(f"{name} epoch {epoch}: loss {tot / n:.4f} acc {correct / n:.4f} ({time.time() - t0:.0f} s)")
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                    "epoch": epoch, "history": history}, ck_path)
    torch.save({"model": model.state_dict(), "history": history, "params": n_params}, out / "best.pt")
    ev = np.nonzero(eval_mask)[0]
    logits = predict(model, x_all[ev])
    np.savez(out / "preds.npz", index=ev, logits=logits)
    running.unlink(missing_ok=True)
    (out / "DONE").write_text(json.dumps({"epochs": a.epochs, "params": n_params}))
    C.log(f"{name}: done, predictions for {len(ev)} images")


if __name__ == "__main__":
    main()

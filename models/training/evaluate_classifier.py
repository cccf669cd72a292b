#!/usr/bin/python3
"""Evaluate brain-tumour-4class from the torch checkpoint work/brain-tumour-4class/best.pt.

- fits the softmax temperature on the calibration split (NLL, bounded scalar search over log T)
- test split: accuracy, balanced accuracy, per-class precision/recall with Wilson 95 % intervals, confusion
  matrix, NLL and ECE (15 bins) before/after temperature scaling (bootstrap 95 % interval for ECE and
  balanced accuracy), the same figures for the images added to the data set on 2026-12-02 alone
- optionally (--previous-onnx) the previous model.onnx on the same test split, run with onnxruntime-node
  (models/training/onnx_logits.cjs) and its own manifest temperature, so the two models are compared on
  identical images (none of which the previous model trained on: see split.json).
Writes work/brain-tumour-4class/metrics.json (the figures of MODEL_CARD.md).
ONNX == torch is checked separately by `node models/training/check_onnx_parity.cjs`.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402
from train_classifier import PREVIOUS_SPLIT, predict_logits  # noqa: E402

NODE = os.environ.get("NODE", str(C.REPO_ROOT / "node_modules" / ".bin" / "node"))


def load_model(work: Path):
    ck = torch.load(work / C.CLS_ID / "best.pt")
    m = C.cls_build_model(ck["config"])
    m.load_state_dict(ck["model"])
    m.eval()
    return m, ck


def wilson(k: int, n: int, z: float = 1.96):
    """Wilson score 95 % interval for a proportion k/n."""
    if n == 0:
        return [float("nan"), float("nan")]
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return [max(0.0, c - h), min(1.0, c + h)]


def bootstrap(fn, probs, labels, reps: int = 2000, seed: int = C.SEED):
    rng = np.random.default_rng(seed)
    vals = []
    for _ in range(reps):
        i = rng.integers(0, len(labels), len(labels))
        vals.append(fn(probs[i], labels[i]))
    return [float(np.percentile(vals, 2.5)), float(np.percentile(vals, 97.5))]


def balanced_acc(probs, labels):
    pred = probs.argmax(1)
    rs = [float((pred[labels == k] == k).mean()) for k in range(len(C.CLS_LABELS)) if (labels == k).any()]
    return float(np.mean(rs))


def score(logits: np.ndarray, labels: np.ndarray, T: float, with_ci: bool = True) -> dict:
    K = len(C.CLS_LABELS)
    pred = logits.argmax(1)
    cm = np.zeros((K, K), dtype=int)
    for y, p in zip(labels, pred):
        cm[y, p] += 1
    p_raw, p_cal = C.softmax_np(logits), C.softmax_np(logits / T)
    n_ok = int((pred == labels).sum())
    out = {
        "images": int(len(labels)),
        "accuracy": n_ok / max(len(labels), 1),
        "accuracy_ci95": wilson(n_ok, len(labels)),
        "balanced_accuracy": balanced_acc(p_raw, labels),
        "recall": {C.CLS_LABELS[k]: float(cm[k, k] / max(cm[k].sum(), 1)) for k in range(K)},
        "recall_ci95": {C.CLS_LABELS[k]: wilson(int(cm[k, k]), int(cm[k].sum())) for k in range(K)},
        "precision": {C.CLS_LABELS[k]: float(cm[k, k] / max(cm[:, k].sum(), 1)) for k in range(K)},
        "precision_ci95": {C.CLS_LABELS[k]: wilson(int(cm[k, k]), int(cm[:, k].sum())) for k in range(K)},
        "confusion_matrix": {"rows_true_cols_pred": C.CLS_LABELS, "matrix": cm.tolist()},
        "temperature": T,
        "ece_before": C.ece(p_raw, labels),
        "ece_after": C.ece(p_cal, labels),
        "nll_before": C.nll(logits, labels, 1.0),
        "nll_after": C.nll(logits, labels, T),
    }
    if with_ci:
        out["balanced_accuracy_ci95"] = bootstrap(balanced_acc, p_raw, labels)
        out["ece_before_ci95"] = bootstrap(C.ece, p_raw, labels)
        out["ece_after_ci95"] = bootstrap(C.ece, p_cal, labels)
    return out


def onnx_logits(onnx_path: Path, x: np.ndarray) -> np.ndarray:
    with tempfile.TemporaryDirectory() as d:
        inp, outp = Path(d) / "x.f32", Path(d) / "logits.f32"
        np.ascontiguousarray(x, dtype="<f4").tofile(inp)
        subprocess.run([NODE, str(C.TRAINING_DIR / "onnx_logits.cjs"), str(onnx_path), str(inp), *map(str, x.shape), str(outp)],
                       check=True)
        return np.fromfile(outp, dtype="<f4").reshape(len(x), -1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work-dir", type=Path, default=C.DEFAULT_WORK)
    ap.add_argument("--out-dir", type=Path, default=C.MODELS_DIR)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--previous-onnx", type=Path, help="earlier model.onnx to score on the same test split")
    ap.add_argument("--previous-temperature", type=float, default=1.478215, help="its manifest calibration.temperature")
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    C.setup_torch(a.threads)
    model, ck = load_model(a.work_dir)
    split = json.load(open(a.work_dir / C.CLS_ID / "split.json"))
    label_of = dict(C.cls_read_index())
    ca, te = split["calibration"], split["test"]
    if a.smoke:
        ca, te = ca[::10], te[::10]
    cache = a.work_dir / "cache" / ("cls_smoke" if a.smoke else "cls")
    lc = predict_logits(model, C.cls_load_images(ca, cache / "calibration.npz"))
    yc = np.array([label_of[f] for f in ca])
    xt = C.cls_load_images(te, cache / "test.npz")
    lt = predict_logits(model, xt)
    yt = np.array([label_of[f] for f in te])
    T = C.fit_temperature(lc, yc)
    test = score(lt, yt, T)
    first_1200 = set(json.load(open(PREVIOUS_SPLIT))["train"]) | set(json.load(open(PREVIOUS_SPLIT))["calibration"]) \
        | set(json.load(open(PREVIOUS_SPLIT))["test"])
    added = np.array([f not in first_1200 for f in te])
    metrics = {
        "checkpoint_epoch": ck["epoch"],
        "config": ck["config"],
        "temperature": T,
        "test": test,
        "test_added_2026_12_02_only": score(lt[added], yt[added], T, with_ci=False),
        "calibration_split": {
            "images": int(len(yc)),
            "accuracy": float((lc.argmax(1) == yc).mean()),
            "ece_before": C.ece(C.softmax_np(lc), yc),
            "ece_after": C.ece(C.softmax_np(lc / T), yc),
        },
    }
    if a.previous_onnx:
        xs = C.standardise(torch.from_numpy(xt)).numpy()
        lp = onnx_logits(a.previous_onnx, xs)
        metrics["previous_model_on_this_test_split"] = {
            "onnx": str(a.previous_onnx.name),
            "sha256": C.sha256_file(a.previous_onnx),
            **score(lp, yt, a.previous_temperature),
        }
    C.write_json(a.work_dir / C.CLS_ID / "metrics.json", metrics)
    C.log(f"test accuracy {test['accuracy']:.4f} {test['accuracy_ci95']}, recall {test['recall']}, T={T:.3f}, "
          f"ECE {test['ece_before']:.4f} -> {test['ece_after']:.4f}")
    C.log(f"confusion (rows true, cols pred; {C.CLS_LABELS}):\n{np.array(test['confusion_matrix']['matrix'])}")
    if a.previous_onnx:
        p = metrics["previous_model_on_this_test_split"]
        C.log(f"previous model on the same test split: accuracy {p['accuracy']:.4f}, recall {p['recall']}")


if __name__ == "__main__":
    main()

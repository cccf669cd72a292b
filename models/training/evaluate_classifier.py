#!/usr/bin/python3
"""Evaluate brain-tumour-4class from the torch checkpoint work/brain-tumour-4class/best.pt.

- fits the softmax temperature on the calibration split (NLL, bounded scalar search over log T)
- test split: accuracy, per-class precision/recall, confusion matrix, NLL and ECE (15 bins)
  before/after temperature scaling.
Writes work/brain-tumour-4class/metrics.json (the figures of MODEL_CARD.md).
ONNX == torch is checked separately by `node models/training/check_onnx_parity.cjs`.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402
from train_classifier import predict_logits  # noqa: E402


def load_model(work: Path):
    ck = torch.load(work / C.CLS_ID / "best.pt")
    m = C.SmallCNN(channels=tuple(ck["config"]["channels"]))
    m.load_state_dict(ck["model"])
    m.eval()
    return m, ck


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work-dir", type=Path, default=C.DEFAULT_WORK)
    ap.add_argument("--out-dir", type=Path, default=C.MODELS_DIR)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    C.setup_torch(a.threads)
    model, ck = load_model(a.work_dir)
    split = json.load(open(a.out_dir / C.CLS_ID / "split.json"))
    label_of = dict(C.cls_read_index())
    ca, te = split["calibration"], split["test"]
    if a.smoke:
        ca, te = ca[::10], te[::10]
    cache = a.work_dir / "cache" / ("cls_smoke" if a.smoke else "cls")
    lc = predict_logits(model, C.cls_load_images(ca, cache / "calibration.npz"))
    yc = np.array([label_of[f] for f in ca])
    lt = predict_logits(model, C.cls_load_images(te, cache / "test.npz"))
    yt = np.array([label_of[f] for f in te])
    T = C.fit_temperature(lc, yc)
    p_raw, p_cal = C.softmax_np(lt), C.softmax_np(lt / T)
    pred = lt.argmax(1)
    K = len(C.CLS_LABELS)
    cm = np.zeros((K, K), dtype=int)
    for y, p in zip(yt, pred):
        cm[y, p] += 1
    recall = {C.CLS_LABELS[k]: float(cm[k, k] / max(cm[k].sum(), 1)) for k in range(K)}
    precision = {C.CLS_LABELS[k]: float(cm[k, k] / max(cm[:, k].sum(), 1)) for k in range(K)}
    metrics = {
        "checkpoint_epoch": ck["epoch"],
        "temperature": T,
        "test": {
            "images": int(len(yt)),
            "accuracy": float((pred == yt).mean()),
            "balanced_accuracy": float(np.mean(list(recall.values()))),
            "recall": recall,
            "precision": precision,
            "confusion_matrix": {"rows_true_cols_pred": C.CLS_LABELS, "matrix": cm.tolist()},
            "ece_before": C.ece(p_raw, yt),
            "ece_after": C.ece(p_cal, yt),
            "nll_before": C.nll(lt, yt, 1.0),
            "nll_after": C.nll(lt, yt, T),
        },
        "calibration_split": {
            "images": int(len(yc)),
            "accuracy": float((lc.argmax(1) == yc).mean()),
            "ece_before": C.ece(C.softmax_np(lc), yc),
            "ece_after": C.ece(C.softmax_np(lc / T), yc),
        },
    }
    C.write_json(a.work_dir / C.CLS_ID / "metrics.json", metrics)
    C.log(f"test accuracy {metrics['test']['accuracy']:.4f}, T={T:.3f}, ECE {metrics['test']['ece_before']:.4f} -> "
          f"{metrics['test']['ece_after']:.4f}")
    C.log(f"confusion (rows true, cols pred; {C.CLS_LABELS}):\n{cm}")


if __name__ == "__main__":
    main()

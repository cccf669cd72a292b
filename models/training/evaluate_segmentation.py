#!/usr/bin/python3
"""Evaluate lgg-flair-unet from the torch checkpoint work/lgg-flair-unet/best.pt.

Reproduces the figures of models/lgg-flair-unet/MODEL_CARD.md:
- validation patients (split.json): per-patient 3D Dice at 256x256 for thresholds 0.3..0.7
  (threshold chosen on validation), with/without removal of components < 10 px, and the
  false-positive rate on tumour-free slices;
- BraTS 2018 test cases (common.BRATS_TEST, 6 volumes never trained on; whole tumour = label > 0):
  per-patient 3D Dice;
- both with and without left-right flip test-time augmentation; flip TTA is kept (and written to
  the manifest) only if it raises the validation mean Dice.
Writes work/lgg-flair-unet/metrics.json and work/orientation_check.png.
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

THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7]


def load_model(work: Path):
    ck = torch.load(work / C.SEG_ID / "best.pt")
    m = C.UNet2D(base=ck["config"]["base"], levels=ck["config"]["levels"])
    m.load_state_dict(ck["model"])
    m.eval()
    return m, ck


def orientation_png(lgg_patient, brats_case, path: Path):
    from PIL import Image

    index = C.lgg_read_index()
    items = index[lgg_patient]
    best = max(items, key=lambda t: t[3])
    lgg = C.load_png(best[1]).astype(np.float32)
    lmask = C.load_png(best[2]) > 127
    fl, wt = C.brats_load(brats_case)
    k = int(np.argmax(wt.reshape(len(wt), -1).sum(1)))
    br = fl[k]
    br = np.clip(br / max(np.percentile(br[br > 0], 99), 1), 0, 1) * 255

    def rgb(img, mask):
        g = np.clip(img, 0, 255).astype(np.uint8)
        im = np.stack([g, g, g], -1)
        edge = mask & ~np.pad(mask, 1)[2:, 1:-1] | mask & ~np.pad(mask, 1)[:-2, 1:-1] | \
            mask & ~np.pad(mask, 1)[1:-1, 2:] | mask & ~np.pad(mask, 1)[1:-1, :-2]
        im[edge] = [255, 0, 0]
        return Image.fromarray(im).resize((256, 256))

    canvas = Image.new("RGB", (512, 256))
    canvas.paste(rgb(lgg, lmask), (0, 0))
    canvas.paste(rgb(br, wt[k].astype(bool)), (256, 0))
    path.parent.mkdir(parents=True, exist_ok=True)
    canvas.save(path)
    return {"lgg": f"{lgg_patient} slice {best[0]}", "brats": f"{brats_case} axial slice {k}"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work-dir", type=Path, default=C.DEFAULT_WORK)
    ap.add_argument("--out-dir", type=Path, default=C.MODELS_DIR)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    C.setup_torch(a.threads)
    model, ck = load_model(a.work_dir)
    split = json.load(open(a.out_dir / C.SEG_ID / "split.json"))
    val_ids = split["validation"][:2] if a.smoke else split["validation"]
    index = C.lgg_read_index()
    val = C.lgg_load_patients(val_ids, index, a.work_dir / "cache" / "lgg")
    C.log(f"evaluating best.pt (epoch {ck['epoch']}) on {len(val)} validation patients")
    gts = [p["mask256"] for p in val]
    plain_probs = [C.seg_predict_probs(model, p["img128"], p["mask256"].shape[1:]) for p in val]
    tta_probs = [C.seg_predict_probs(model, p["img128"], p["mask256"].shape[1:], flip_tta=True) for p in val]
    plain05 = C.seg_evaluate_volumes(plain_probs, gts, 0.5, 10)
    tta05 = C.seg_evaluate_volumes(tta_probs, gts, 0.5, 10)
    use_tta = tta05["dice_mean"] > plain05["dice_mean"]
    C.log(f"validation at 0.5: dice mean {plain05['dice_mean']:.4f} plain, {tta05['dice_mean']:.4f} with flip TTA "
          f"-> {'flip TTA' if use_tta else 'no TTA'}")
    probs = tta_probs if use_tta else plain_probs
    per_thr = {}
    for t in THRESHOLDS:
        ev = C.seg_evaluate_volumes(probs, gts, t, 10)
        per_thr[t] = ev
        C.log(f"  threshold {t}: dice mean {ev['dice_mean']:.4f} median {ev['dice_median']:.4f} fp-rate {ev['fp_rate']:.4f}")
    best_t = max(THRESHOLDS, key=lambda t: (round(per_thr[t]["dice_mean"], 4), -abs(t - 0.5)))
    # require a real gain (> 0.5 Dice points) to move away from 0.5
    if per_thr[best_t]["dice_mean"] - per_thr[0.5]["dice_mean"] < 0.005:
        best_t = 0.5
    ev = per_thr[best_t]
    raw = C.seg_evaluate_volumes(probs, gts, best_t, 0)
    C.log(f"chosen threshold {best_t}")

    # BraTS cross-dataset
    cases = C.brats_split()[1]
    cases = cases[:1] if a.smoke else cases
    brats = {}
    bprobs, bgts, bother = [], [], []
    for c in cases:
        fl, wt = C.brats_load(c)
        norm, lo, hi = C.volume_percentile_normalise(fl)
        x = C.resize_bilinear(torch.from_numpy(norm)[:, None], C.SEG_SIZE).numpy()
        pr = C.seg_predict_probs(model, x, fl.shape[1:], flip_tta=use_tta)
        other = C.seg_predict_probs(model, x, fl.shape[1:], flip_tta=not use_tta)
        bprobs.append(pr)
        bother.append(other)
        bgts.append(wt)
        r = C.seg_evaluate_volumes([pr], [wt], best_t, 10)
        brats[c] = {"dice": r["dice"][0], "fp_rate_tumour_free_slices": r["fp_rate"], "p1": lo, "p99": hi,
                    "gt_voxels": int(wt.sum()), "pred_voxels": int(C.postprocess(pr, best_t, 10).sum())}
        C.log(f"  BraTS {c}: dice {r['dice'][0]:.4f} (gt {int(wt.sum())} vox, pred {brats[c]['pred_voxels']} vox)")
    bev = C.seg_evaluate_volumes(bprobs, bgts, best_t, 10)
    bev05 = C.seg_evaluate_volumes(bprobs, bgts, 0.5, 10)
    bev_other = C.seg_evaluate_volumes(bother, bgts, best_t, 10)
    ocase = "Brats18_TCIA01_201_1" if "Brats18_TCIA01_201_1" in cases else cases[0]
    orient = orientation_png(val_ids[0] if a.smoke else "TCGA_CS_4941", ocase, a.work_dir / "orientation_check.png")

    metrics = {
        "checkpoint_epoch": ck["epoch"],
        "flip_tta": use_tta,
        "validation_dice_mean_plain_at_0.5": plain05["dice_mean"],
        "validation_dice_mean_flip_tta_at_0.5": tta05["dice_mean"],
        "threshold": best_t,
        "min_component_pixels": 10,
        "validation": {
            "patients": len(val),
            "slices": int(sum(len(g) for g in gts)),
            "tumour_free_slices": ev["empty_slices"],
            "dice_mean": ev["dice_mean"],
            "dice_median": ev["dice_median"],
            "dice_per_patient": dict(zip(val_ids, ev["dice"])),
            "fp_rate_tumour_free_slices": ev["fp_rate"],
            "fp_slices": ev["fp_slices"],
            "dice_mean_no_component_filter": raw["dice_mean"],
            "dice_median_no_component_filter": raw["dice_median"],
            "fp_rate_no_component_filter": raw["fp_rate"],
            "by_threshold": {str(t): {"dice_mean": per_thr[t]["dice_mean"], "dice_median": per_thr[t]["dice_median"],
                                      "fp_rate": per_thr[t]["fp_rate"]} for t in THRESHOLDS},
            "patients_with_empty_ground_truth": int(sum(1 for g in gts if not g.any())),
        },
        "brats": {
            "cases": brats,
            "dice_mean": bev["dice_mean"],
            "dice_median": bev["dice_median"],
            "dice_mean_at_0.5": bev05["dice_mean"],
            "fp_rate_tumour_free_slices": bev["fp_rate"],
            "dice_mean_other_tta_setting": bev_other["dice_mean"],
        },
        "orientation_check": orient,
    }
    C.write_json(a.work_dir / C.SEG_ID / "metrics.json", metrics)
    C.log(f"validation dice mean {ev['dice_mean']:.4f} median {ev['dice_median']:.4f}; BraTS mean {bev['dice_mean']:.4f}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Export a trained model to ONNX and write parity fixtures, manifest.json and MODEL_CARD.md.

  /usr/bin/python3 models/training/package_model.py seg   # lgg-flair-unet
  /usr/bin/python3 models/training/package_model.py cls   # brain-tumour-4class

Needs work/<id>/best.pt, work/<id>/metrics.json (from evaluate_*.py) and
work/<id>/train_history.json. Runs `node models/training/check_onnx_parity.cjs` (onnxruntime-node)
and records the ONNX-vs-torch max abs difference in the card.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402

NODE = os.environ.get("NODE", str(C.REPO_ROOT / "node_modules" / ".bin" / "node"))
INTENDED = "Research and decision support only; not a medical device; not for diagnosis."


def export_onnx(model, example, path: Path, output_names, dyn_out):
    model.eval()
    path.parent.mkdir(parents=True, exist_ok=True)
    dynamic = {"input": {0: "N"}}
    for n in output_names:
        dynamic[n] = {0: "N"}
    torch.onnx.export(model, example, str(path), opset_version=17, input_names=["input"], output_names=output_names,
                      dynamic_axes=dynamic, do_constant_folding=True)
    import onnx

    m = onnx.load(str(path))
    onnx.checker.check_model(m)
    size = path.stat().st_size
    assert size < 20 * 1024 * 1024, f"ONNX too large: {size}"
    C.log(f"exported {path} ({size / 1e6:.2f} MB)")


def write_parity(model, inputs, names, out_dir: Path, id_: str, output_names):
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.json"):
        old.unlink()
    model.eval()
    for x, name in zip(inputs, names):
        x = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))
        with torch.no_grad():
            outs = model(x)
        if not isinstance(outs, (tuple, list)):
            outs = (outs,)
        rec = {
            "model": id_,
            "description": name,
            "encoding": "base64 of little-endian float32, row-major (C order)",
            "input": {"name": "input", "shape": list(x.shape), "data": C.f32_b64(x.numpy())},
            "outputs": {n: {"shape": list(o.shape), "data": C.f32_b64(o.numpy())} for n, o in zip(output_names, outs)},
            "tolerance": {"maxAbsDiff": 1e-3},
        }
        C.write_json(out_dir / f"{name}.json", rec)
    C.log(f"wrote {len(inputs)} parity fixtures to {out_dir}")


def run_node_parity(models_dir: Path, id_: str):
    script = C.TRAINING_DIR / "check_onnx_parity.cjs"
    try:
        r = subprocess.run([NODE, str(script), "--models-dir", str(models_dir), id_], capture_output=True, text=True, timeout=600)
    except Exception as e:  # noqa: BLE001
        C.log(f"node parity check could not run: {e}")
        return None
    print(r.stdout + r.stderr, flush=True)
    for line in r.stdout.splitlines():
        if line.startswith("PARITY_RESULT "):
            res = json.loads(line[len("PARITY_RESULT "):])
            res["exit_code"] = r.returncode
            return res
    return {"ok": False, "exit_code": r.returncode}


def iso_mtime(p: Path) -> str:
    return dt.datetime.fromtimestamp(p.stat().st_mtime, dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def fmt(x, nd=3):
    return "n/a" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:.{nd}f}"


def pct(x):
    return "n/a" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{100 * x:.1f} %"


# =========================================================================== segmentation
def package_seg(a):
    from evaluate_segmentation import load_model

    out = a.out_dir / C.SEG_ID
    work = a.work_dir / C.SEG_ID
    model, ck = load_model(a.work_dir)
    met = json.load(open(work / "metrics.json"))
    hist = json.load(open(work / "train_history.json"))
    split = json.load(open(out / "split.json"))
    onnx_path = out / "model.onnx"
    export_onnx(model, torch.zeros(1, 1, C.SEG_SIZE, C.SEG_SIZE), onnx_path, ["logits"], True)

    index = C.lgg_read_index()
    vp = C.lgg_load_patients(split["validation"][:1], index, a.work_dir / "cache" / "lgg")[0]
    t_idx = int(np.argmax(vp["mask256"].reshape(len(vp["mask256"]), -1).sum(1)))
    e_idx = int(np.nonzero(~vp["tumour"])[0][len(np.nonzero(~vp["tumour"])[0]) // 2]) if (~vp["tumour"]).any() else 0
    case = C.brats_cases()[-1]
    fl, wt = C.brats_load(case)
    norm, _, _ = C.volume_percentile_normalise(fl)
    k = int(np.argmax(wt.reshape(len(wt), -1).sum(1)))
    bx = C.resize_bilinear(torch.from_numpy(norm[k:k + 1])[:, None], C.SEG_SIZE).numpy()
    write_parity(model, [vp["img128"][t_idx:t_idx + 1], vp["img128"][e_idx:e_idx + 1], bx],
                 [f"lgg_{vp['id']}_slice{t_idx}_tumour", f"lgg_{vp['id']}_slice{e_idx}_tumourfree", f"brats_{case}_axial{k}"],
                 out / "parity", C.SEG_ID, ["logits"])

    v, b = met["validation"], met["brats"]
    metrics_flat = {
        "valPatients": v["patients"],
        "valSlices": v["slices"],
        "valDiceMean": round(v["dice_mean"], 4),
        "valDiceMedian": round(v["dice_median"], 4),
        "valFpRateTumourFreeSlices": round(v["fp_rate_tumour_free_slices"], 4),
        "valDiceMeanNoComponentFilter": round(v["dice_mean_no_component_filter"], 4),
        "bratsPatients": len(b["cases"]),
        "bratsDiceMean": round(b["dice_mean"], 4),
        "bratsDiceMedian": round(b["dice_median"], 4),
    }
    for c, r in b["cases"].items():
        metrics_flat[f"bratsDice_{c}"] = round(r["dice"], 4)
    manifest = {
        "id": C.SEG_ID,
        "version": "1.0.0",
        "task": "segmentation",
        "modality": "MR",
        "sequence": "FLAIR",
        "file": "model.onnx",
        "sha256": C.sha256_file(onnx_path),
        "input": {"name": "input", "layout": "NCHW", "channels": 1, "height": C.SEG_SIZE, "width": C.SEG_SIZE, "dtype": "float32"},
        "outputs": [{"name": "logits", "shape": ["N", 1, C.SEG_SIZE, C.SEG_SIZE],
                     "semantics": "per-pixel tumour logit; sigmoid gives probability"}],
        "preprocessing": {
            "plane": "axial",
            "intensity": {"method": "volume-percentile", "lowPercentile": 1, "highPercentile": 99, "nonZeroOnly": True},
            "resize": "bilinear",
        },
        "labels": ["background", "tumour"],
        "thresholds": {"probability": met["threshold"], "minComponentPixels": met["min_component_pixels"]},
        "calibration": {"temperature": 1.0},
        "training": {
            "data": "lgg-flair-seg: LGG Segmentation Dataset (Buda et al. 2019, kaggle_3m), FLAIR channel, 88 TCGA-LGG patients, 3084 axial slices 256x256",
            "split": "patient-level, stratified by institution, seed 20261124: %d train / %d validation patients (models/lgg-flair-unet/split.json)" % (len(split["train"]), len(split["validation"])),
            "script": "models/training/train_segmentation.py",
            "seed": C.SEED,
            "epochs": int(hist["epoch"]),
            "trainedAt": iso_mtime(work / "best.pt"),
        },
        "metrics": metrics_flat,
        "licence": ("Model weights derived from the LGG Segmentation Dataset (Buda et al.; Kaggle mateuszbuda/lgg-mri-segmentation, "
                    "copied from a GitHub mirror without a licence file; Kaggle licence commonly reported as CC BY-NC-SA 4.0, not verified) "
                    "and TCIA TCGA-LGG images (CC BY). Treat as research / non-commercial use until the data licence is verified."),
        "intendedUse": INTENDED,
        # Read by the app's pipeline registry (src-shared/model-manifest.ts): its role in the
        # brain MR pipeline, the default for that role, and what it reads (checked before it runs).
        "role": "tumour-segmentation",
        "default": True,
        "applicability": {
            "modalities": ["MR"], "bodyParts": ["BRAIN", "HEAD"], "sequences": ["FLAIR"],
            "planes": ["axial"], "dimensionality": ["2d", "3d"],
            "inPlanePixels": {"min": 64, "max": 1024}, "pixelSpacingMm": {"min": 0.3, "max": 2},
            "description": "axial brain FLAIR MR",
        },
    }
    C.write_json(out / "manifest.json", manifest)
    C.write_json(out / "metrics.json", met)
    parity = run_node_parity(a.out_dir, C.SEG_ID)
    write_seg_card(out, manifest, met, hist, split, parity, ck)
    return parity


def write_seg_card(out, man, met, hist, split, parity, ck):
    v, b = met["validation"], met["brats"]
    h = hist["history"]
    ep_times = [r["epoch_s"] for r in h]
    brats_rows = "\n".join(f"| {c} | {r['dice']:.3f} | {r['gt_voxels']} | {r['pred_voxels']} |" for c, r in b["cases"].items())
    thr_rows = "\n".join(f"| {t} | {r['dice_mean']:.3f} | {r['dice_median']:.3f} | {pct(r['fp_rate'])} |" for t, r in v["by_threshold"].items())
    val_rows = "\n".join(f"| {p} | {d:.3f} |" for p, d in v["dice_per_patient"].items())
    hist_rows = "\n".join(f"| {r['epoch']} | {r['loss']:.4f} | {r['val_dice_mean']:.3f} | {r['val_dice_median']:.3f} | {r['lr_end']:.1e} | {r['epoch_s']:.0f} |" for r in h)
    par = "not run" if not parity else (f"max abs diff {parity.get('maxAbsDiff', float('nan')):.2e} over {parity.get('fixtures', '?')} fixtures "
                                        f"({'PASS' if parity.get('ok') else 'FAIL'}), onnxruntime-node {parity.get('ortVersion', '?')}")
    txt = f"""# Model card: {man['id']} v{man['version']}

2D U-Net that segments FLAIR hyperintense tumour (tumour + oedema, "FLAIR abnormality") on axial brain MR slices.
**{INTENDED}**

## Data
- **Training/validation data**: `lgg-flair-seg`, the FLAIR channel of the LGG Segmentation Dataset ("kaggle_3m", Buda / Mazurowski lab;
  Kaggle *mateuszbuda/lgg-mri-segmentation*), copied from GitHub `TruongVanHien194276/Brain_Segmentation_data` @ `40bfc1f`.
  88 TCGA lower-grade-glioma patients, 3084 axial slices of 256x256 px (8-bit PNG, skull included), masks 0/255 drawn on FLAIR;
  1096 slices contain tumour. 22 further patients of the original 110 are held out by the project lead and were never used here.
- **Citation**: Buda M, Saha A, Mazurowski MA. *Computers in Biology and Medicine* 2019;109:218-225. Mazurowski MA et al.
  *J Neurooncol* 2017;133(1):27-35. Images: TCIA TCGA-LGG (Pedano N et al., 2016, doi:10.7937/K9/TCIA.2016.L4LTD3TK).
- **Licence as stated in SOURCE.md**: the GitHub copy has no licence file and the dataset README states none; the Kaggle licence is commonly
  reported as CC BY-NC-SA 4.0 (not verified); TCIA TCGA data are generally CC BY 3.0/4.0. Treat the model as research / non-commercial
  until verified.
- **Cross-dataset test**: {len(b['cases'])} BraTS 2018 training cases (`brats2018-3d-nifti`: {', '.join(b['cases'].keys())}), FLAIR, skull-stripped,
  1 mm isotropic, 240x240x155; whole tumour = label > 0. Citation: Menze BH et al., IEEE TMI 2015; Bakas S et al., Sci Data 2017;
  Bakas S et al., arXiv:1811.02629. BraTS data terms apply (citation required). None of these cases were used for training or model selection.

## Split
Patient-level (one case folder = one patient; no patient on both sides), stratified by institution code (TCGA_**XX**_NNNN), seed 20261124:
round(20 %) of each institution's patients to validation -> **{len(split['train'])} train / {len(split['validation'])} validation patients**.
Lists in `split.json`. The validation patients were used both for checkpoint selection and for choosing the probability threshold, so the
validation figures below are slightly optimistic; the BraTS figures are fully independent.

## Architecture
2D U-Net, 4 encoder levels with 16-32-64-128 channels plus a 256-channel bottleneck; each block = 2 x (3x3 conv, BatchNorm, ReLU);
2x2 max-pool down, 2x2 stride-2 transposed convolution up, skip concatenation, 1x1 conv head -> 1 logit per pixel.
~1.94 M parameters. ONNX opset 17, dynamic batch axis, input `input` [N,1,128,128] float32, output `logits` [N,1,128,128].

## Preprocessing (exactly what the app must reproduce)
1. Build the **volume** of all axial slices of the series (LGG: all PNG slices of the case; BraTS: the whole NIfTI volume, axial slices).
2. Take all **non-zero** voxels of the volume; p1, p99 = 1st and 99th percentiles (numpy `percentile`, linear interpolation between
   closest ranks, i.e. position (n-1)*q/100 in the sorted values). All-zero volume: p1 = 0, p99 = 1; if p99 <= p1 then p99 = p1 + 1.
3. v = clip((x - p1) / (p99 - p1), 0, 1) for every voxel (zeros included).
4. Resize each slice to 128x128 with **bilinear interpolation, align_corners = false, no antialiasing** (PyTorch `F.interpolate`
   semantics: src = (dst + 0.5) * in/out - 0.5, clamped below at 0; x0 = floor(src), x1 = min(x0 + 1, in - 1); weights src - x0).
5. Input tensor [N,1,128,128] float32 (NCHW).
6. Post-processing: p = sigmoid(logit); resize p bilinearly (same semantics) back to the slice size; mask = p >= {met['threshold']};
   then per slice remove 8-connected components with fewer than {met['min_component_pixels']} pixels.
Orientation: slices are used as displayed in radiological convention (rows anterior -> posterior, columns patient right -> left), which is
how the LGG PNGs are stored; BraTS volumes were reoriented to L,P,S voxel axes and slice k = vol[:, :, k] transposed (checked visually).
A 2D model is not sensitive to the slice order but it was trained only on this in-plane orientation (plus left-right flips).

## Training
- Loss: BCE (with logits) + soft Dice (batch level, smoothing 1). Adam, lr 1e-3, **cosine decay driven by wall-clock time** over a budget
  of the training loop; batch 16; each epoch draws as many slices as there are training slices (with replacement), weighted so that
  ~50 % are tumour slices (negatives kept).
- Augmentation (on the 128x128 normalised slices): left-right flip (p 0.5), rotation +-15 deg, scale 0.8-1.2, shift +-6 %,
  intensity (p 0.8): gamma exp(U(-0.4, 0.4)), contrast x(1 +- 0.15), brightness +- 0.05, clipped to 0..1.
- Checkpoint selection: best validation mean per-patient 3D Dice (threshold 0.5, component filter) -> epoch {ck['epoch']} of {hist['epoch']}.
- Hardware/time: CPU only, 2 threads (shared 2-core machine, `nice -n 19`); {hist['epoch']} epochs in {hist['elapsed'] / 60:.1f} min
  (median {np.median(ep_times):.0f} s per epoch incl. validation). Seed 20261124 (torch/numpy/python). Script: `models/training/train_segmentation.py`.

| epoch | train loss | val Dice mean | val Dice median | lr at end | s |
|---|---|---|---|---|---|
{hist_rows}

## Metrics
Computed by `models/training/evaluate_segmentation.py` from the torch checkpoint; predictions resized back to 256x256 (LGG) or 240x240 (BraTS)
before scoring. **Per-patient 3D Dice** = 2|P∩G| / (|P| + |G|) over all slices of the patient (as Buda et al. 2019, who report a mean of
82 % and a median of 85 % on their own cross-validation with 3 input sequences); if both P and G are empty Dice = 1, if only one is empty Dice = 0
(no validation patient has an empty ground truth: {v['patients_with_empty_ground_truth']} such patients).
**False-positive rate on tumour-free slices** = fraction of slices whose ground truth is empty but whose prediction (after threshold and
removal of 8-connected components < {met['min_component_pixels']} px) has at least one pixel.

### LGG validation ({v['patients']} patients, {v['slices']} slices, {v['tumour_free_slices']} tumour-free), threshold {met['threshold']}
- **Dice mean {pct(v['dice_mean'])}, median {pct(v['dice_median'])}** (without the component filter: mean {pct(v['dice_mean_no_component_filter'])}, median {pct(v['dice_median_no_component_filter'])})
- **FP rate on tumour-free slices: {pct(v['fp_rate_tumour_free_slices'])}** ({v['fp_slices']} of {v['tumour_free_slices']}; without component filter {pct(v['fp_rate_no_component_filter'])})

Threshold sweep (chosen on validation; 0.5 kept unless another value gains > 0.5 Dice points):

| threshold | Dice mean | Dice median | FP rate |
|---|---|---|---|
{thr_rows}

Per patient:

| patient | Dice |
|---|---|
{val_rows}

### BraTS 2018 cross-dataset ({len(b['cases'])} patients, whole tumour, threshold {met['threshold']})
- **Dice mean {pct(b['dice_mean'])}, median {pct(b['dice_median'])}** (at threshold 0.5: mean {pct(b['dice_mean_at_0.5'])});
  FP rate on tumour-free slices {pct(b['fp_rate_tumour_free_slices'])}.

| case | Dice | GT voxels | predicted voxels |
|---|---|---|---|
{brats_rows}

### ONNX parity
`model.onnx` was exported from the same checkpoint; `node models/training/check_onnx_parity.cjs` runs it with onnxruntime-node on the
fixtures in `parity/` (1 LGG tumour slice, 1 LGG tumour-free slice, 1 BraTS slice; inputs already preprocessed) and compares to the torch
outputs: {par}.

## Intended use
{INTENDED} It highlights FLAIR-hyperintense regions on axial slices for a reader to review; every output must be checked by a qualified person.

## Known limitations and failure modes
- **Domain shift**: trained only on {len(split['train'])} TCGA-LGG patients from 5 institutions, skull-inclusive 256x256 slices with unknown spacing.
  BraTS (skull-stripped, 1 mm, HGG and LGG, different scanners) is harder; expect lower Dice and failures on other protocols, 3D FLAIR,
  post-operative cases, children, non-glioma lesions (MS plaques, infarcts, oedema of metastases will also light up).
- **2D only**: each slice is processed independently; no through-plane context, so small or thin findings can flicker between slices.
- **No physical spacing in LGG**: areas/volumes from the training data are in pixels, not mm²/mL; the app must use the series' own spacing.
- Intensity normalisation depends on the whole volume: partial volumes (a few slices) or volumes with large bright artefacts shift p1/p99.
- The mask is "FLAIR abnormality" (tumour + oedema), not tumour core / enhancing tumour.
- Validation set is small ({v['patients']} patients) and was used for checkpoint and threshold selection.
"""
    (out / "MODEL_CARD.md").write_text(txt)
    C.log(f"wrote {out / 'MODEL_CARD.md'}")


# =========================================================================== classifier
def package_cls(a):
    from evaluate_classifier import load_model

    out = a.out_dir / C.CLS_ID
    work = a.work_dir / C.CLS_ID
    model, ck = load_model(a.work_dir)
    met = json.load(open(work / "metrics.json"))
    hist = json.load(open(work / "train_history.json"))
    split = json.load(open(out / "split.json"))
    onnx_path = out / "model.onnx"
    export_onnx(model, torch.zeros(1, 1, C.CLS_SIZE, C.CLS_SIZE), onnx_path, ["logits", "features"], True)
    with torch.no_grad():
        feat_shape = list(model(torch.zeros(1, 1, C.CLS_SIZE, C.CLS_SIZE))[1].shape)

    files = []
    for lab in C.CLS_LABELS[:3]:
        files.append(next(f for f in split["test"] if f.startswith(lab + "/")))
    x01 = C.cls_load_images(files)
    xs = C.standardise(torch.from_numpy(x01)).numpy()
    write_parity(model, [xs[i:i + 1] for i in range(len(files))],
                 ["test_" + f.replace("/", "_").rsplit(".", 1)[0] for f in files], out / "parity", C.CLS_ID, ["logits", "features"])

    t = met["test"]
    cm = t["confusion_matrix"]["matrix"]
    metrics_flat = {
        "testImages": t["images"],
        "testAccuracy": round(t["accuracy"], 4),
        "testBalancedAccuracy": round(t["balanced_accuracy"], 4),
        **{f"recall_{k}": round(v, 4) for k, v in t["recall"].items()},
        **{f"precision_{k}": round(v, 4) for k, v in t["precision"].items()},
        "eceBefore": round(t["ece_before"], 4),
        "eceAfter": round(t["ece_after"], 4),
        "nllBefore": round(t["nll_before"], 4),
        "nllAfter": round(t["nll_after"], 4),
    }
    for i, ti in enumerate(C.CLS_LABELS):
        for j, pj in enumerate(C.CLS_LABELS):
            metrics_flat[f"confusion_{ti}_as_{pj}"] = int(cm[i][j])
    W = model.fc.weight.detach().numpy().astype(np.float64)
    bias = model.fc.bias.detach().numpy().astype(np.float64)
    manifest = {
        "id": C.CLS_ID,
        "version": "1.0.0",
        "task": "classification",
        "modality": "MR",
        "sequence": "T1/T2/FLAIR mixed",
        "file": "model.onnx",
        "sha256": C.sha256_file(onnx_path),
        "input": {"name": "input", "layout": "NCHW", "channels": 1, "height": C.CLS_SIZE, "width": C.CLS_SIZE, "dtype": "float32"},
        "outputs": [
            {"name": "logits", "shape": ["N", 4], "semantics": "class logits in label order; softmax(logits / calibration.temperature) gives calibrated probabilities"},
            {"name": "features", "shape": ["N"] + feat_shape[1:], "semantics": "last feature map before global average pooling; CAM_c = sum_k cam.weights[c][k] * features[k] (+ cam.bias[c])"},
        ],
        "preprocessing": {
            "plane": "any",
            "intensity": {"method": "image-standardise"},
            "resize": "bilinear",
        },
        "labels": C.CLS_LABELS,
        "thresholds": {"probability": 0.5, "minComponentPixels": 0},
        "calibration": {"temperature": round(met["temperature"], 6)},
        "cam": {"featureOutput": "features", "weights": [[float(f"{w:.8g}") for w in row] for row in W],
                "bias": [float(f"{v:.8g}") for v in bias]},
        "training": {
            "data": "brain-mri-4class-224: 1200 JPEG 224x224 (300 per class) from the Brain Tumor MRI Dataset (Nickparvar 2021), original Training split, near-duplicates removed",
            "split": "per-image stratified 70/10/20 train/calibration/test (%d/%d/%d), seed 20261124; no patient ids available (models/brain-tumour-4class/split.json)" % (len(split["train"]), len(split["calibration"]), len(split["test"])),
            "script": "models/training/train_classifier.py",
            "seed": C.SEED,
            "epochs": int(hist["epoch"]),
            "trainedAt": iso_mtime(work / "best.pt"),
        },
        "metrics": metrics_flat,
        "licence": ("Model weights derived from the Brain Tumor MRI Dataset (Nickparvar 2021, Kaggle, doi:10.34740/KAGGLE/DSV/2645886), copied from a "
                    "GitHub repository without a licence file; Kaggle licence not verified; component datasets (figshare Cheng CC BY 4.0, SARTAJ, Br35H) "
                    "carry their own terms. Research / demonstration use only until verified."),
        "intendedUse": INTENDED,
        "role": "tumour-type",
        "default": True,
        "applicability": {
            "modalities": ["MR"], "bodyParts": ["BRAIN", "HEAD"],
            "sequences": ["FLAIR", "T1", "T1-POST-CONTRAST", "T2"], "dimensionality": ["2d", "3d"],
            "description": "brain MR (T1, T1 post-contrast, T2, FLAIR)",
        },
    }
    C.write_json(out / "manifest.json", manifest)
    C.write_json(out / "metrics.json", met)
    parity = run_node_parity(a.out_dir, C.CLS_ID)
    write_cls_card(out, manifest, met, hist, split, parity, feat_shape)
    return parity


def write_cls_card(out, man, met, hist, split, parity, feat_shape):
    t, cal = met["test"], met["calibration_split"]
    L = C.CLS_LABELS
    cm = t["confusion_matrix"]["matrix"]
    cm_rows = "\n".join(f"| **{L[i]}** | " + " | ".join(str(v) for v in cm[i]) + " |" for i in range(len(L)))
    cls_rows = "\n".join(f"| {k} | {pct(t['recall'][k])} | {pct(t['precision'][k])} |" for k in L)
    h = hist["history"]
    ep_times = [r["epoch_s"] for r in h]
    hist_rows = "\n".join(f"| {r['epoch']} | {r['loss']:.4f} | {r['train_acc']:.3f} | {r['calibration_acc']:.3f} | {r['lr_end']:.1e} | {r['epoch_s']:.0f} |" for r in h)
    par = "not run" if not parity else (f"max abs diff {parity.get('maxAbsDiff', float('nan')):.2e} over {parity.get('fixtures', '?')} fixtures "
                                        f"({'PASS' if parity.get('ok') else 'FAIL'}), onnxruntime-node {parity.get('ortVersion', '?')}")
    txt = f"""# Model card: {man['id']} v{man['version']}

Small CNN trained from scratch that classifies a single 2D brain MR image as glioma, meningioma, pituitary tumour or no tumour, and
exposes its last feature map so the app can draw class activation maps (CAM).
**{INTENDED}**

## Data
- `brain-mri-4class-224`: 1200 JPEG images, 224x224, 300 per class (glioma, meningioma, notumor, pituitary), all from the original
  *Training* split of the "Brain Tumor MRI Dataset" (Msoud Nickparvar, Kaggle, 2021, doi:10.34740/KAGGLE/DSV/2645886), itself a merge of
  the figshare Cheng dataset (doi:10.6084/m9.figshare.1512427), SARTAJ and Br35H. Copied from GitHub `KomalChaudhari8/BRAIN_TUMOR_APP`
  @ `1fac2c3`, already resized to 224x224 and re-encoded by that repository's author. Near-duplicates (dHash) were removed upstream,
  keeping one image per group.
- Mixed sequences (T1, T1 post-contrast, T2, FLAIR) and planes (axial, coronal, sagittal); no sequence or plane labels.
- **Licence as stated in SOURCE.md**: the GitHub repository has no licence file; the Kaggle licence could not be checked (verify);
  component datasets carry their own terms (figshare Cheng dataset listed as CC BY 4.0 - verify).
- Storage quirk: 549 files are 8-bit grayscale JPEGs and 651 are RGB JPEGs whose channels are (almost) equal; all were converted to one
  grayscale channel. The storage mode is strongly class-dependent (notumor: 295/300 RGB; glioma: 26/300 RGB), which hints at different
  source datasets per class - a **shortcut risk** (the model may partly recognise the source rather than the pathology).

## Split
**There are no patient ids in this dataset, so a patient-level split is impossible.** The split is per image, stratified by class,
seeded (20261124): 70 % train / 10 % calibration / 20 % test = {len(split['train'])} / {len(split['calibration'])} / {len(split['test'])} images (`split.json`).
Different images of the same patient (e.g. neighbouring slices) can therefore be in train and test, and the near-duplicate removal
upstream is only approximate, so **the test figures are optimistic** and do not measure generalisation to new patients or new sites.
The calibration split was used only to fit the temperature (and to monitor training); no checkpoint selection was done (final epoch kept).

## Architecture
5 conv blocks, each 2 x (3x3 conv, BatchNorm, ReLU), channels 16-32-64-128-256, 2x2 max-pool after blocks 1-4 (not after block 5),
global average pooling, dropout 0.2 (training only), one linear layer 256 -> 4 (no hidden layer). ~1.2 M parameters.
ONNX opset 17, dynamic batch: input `input` [N,1,{C.CLS_SIZE},{C.CLS_SIZE}] float32; outputs `logits` [N,4] and `features` {['N'] + feat_shape[1:]}.
**CAM**: CAM_c(y,x) = sum_k W[c,k] * features[k,y,x] (+ b[c]); W and b are `cam.weights` [4][256] and `cam.bias` [4] in `manifest.json`.
Because the head is linear after global average pooling, the spatial mean of CAM_c (with bias) equals logit_c. Upsample the
{feat_shape[2]}x{feat_shape[3]} map bilinearly to the image for display.

## Preprocessing (exactly what the app must reproduce)
1. Decode the image to 8-bit grayscale (RGB -> L = R*299/1000 + G*587/1000 + B*114/1000, as PIL `convert('L')`); x = value / 255.
2. Resize to {C.CLS_SIZE}x{C.CLS_SIZE} with **bilinear interpolation, align_corners = false, no antialiasing** (PyTorch `F.interpolate`
   semantics: src = (dst + 0.5) * in/out - 0.5, clamped below at 0; x0 = floor(src), x1 = min(x0 + 1, in - 1)).
3. Per-image standardisation: x = (x - mean) / max(std, 1e-6), mean and **population** std over all {C.CLS_SIZE}x{C.CLS_SIZE} pixels.
4. Input [N,1,{C.CLS_SIZE},{C.CLS_SIZE}] float32. Probabilities = softmax(logits / T) with T = calibration.temperature = {met['temperature']:.4f}.

## Training
Cross-entropy; Adam lr 1e-3, weight decay 1e-4, batch 32, **cosine decay driven by wall-clock time**; augmentation: left-right flip
(p 0.5), rotation +-10 deg, scale 0.9-1.1, shift +-5 %, intensity (p 0.8) gamma exp(U(-0.25, 0.25)), contrast x(1 +- 0.2),
brightness +- 0.1 (before standardisation). CPU only, 2 threads, `nice -n 19`: {hist['epoch']} epochs in {hist['elapsed'] / 60:.1f} min
(median {np.median(ep_times):.0f} s per epoch). Seed 20261124. Script: `models/training/train_classifier.py`.

| epoch | train loss | train acc | calibration acc | lr at end | s |
|---|---|---|---|---|---|
{hist_rows}

## Metrics (test split, {t['images']} images)
Computed by `models/training/evaluate_classifier.py` from the torch checkpoint.
- **Accuracy {pct(t['accuracy'])}**, balanced accuracy {pct(t['balanced_accuracy'])}.

| class | recall | precision |
|---|---|---|
{cls_rows}

Confusion matrix (rows = true class, columns = predicted):

| true \\ predicted | {' | '.join(L)} |
|---|---|---|---|---|
{cm_rows}

Calibration (temperature scaling fitted on the calibration split, {cal['images']} images, by minimising NLL over log T):
**T = {met['temperature']:.3f}**. Test **ECE (15 equal-width bins, top-label confidence) {fmt(t['ece_before'], 4)} before -> {fmt(t['ece_after'], 4)} after**;
NLL {fmt(t['nll_before'], 4)} -> {fmt(t['nll_after'], 4)}. (Calibration split: ECE {fmt(cal['ece_before'], 4)} -> {fmt(cal['ece_after'], 4)}.)
With only 120 calibration and 240 test images these calibration figures are noisy.

### ONNX parity
`node models/training/check_onnx_parity.cjs` runs `model.onnx` with onnxruntime-node on the fixtures in `parity/` (3 preprocessed test
images) and compares `logits` and `features` to the torch outputs: {par}.

## Intended use
{INTENDED} Demonstration of image-level tumour-type classification with CAM visualisation.

## Known limitations and failure modes
- **No patient-level split** (no ids) and approximate de-duplication: test accuracy is optimistic.
- Small training set (840 images) and a small CNN trained from scratch on CPU in ~25 min; not competitive with published models.
- Source/shortcut bias: classes come from different public collections (notumor mostly from Br35H) with different JPEG storage,
  cropping and contrast; the model may key on these. Expect much lower accuracy on images from other scanners/hospitals, on full DICOM
  series, or on window settings different from these JPEG exports.
- Single 2D image, any plane and sequence mixed; no sequence/plane awareness; it always outputs one of 4 classes (no "other pathology"/
  "not a brain MR" class), so out-of-distribution inputs get confident wrong answers.
- CAM maps are coarse ({feat_shape[2]}x{feat_shape[3]}) and show what drives the logit, not a segmentation.
"""
    (out / "MODEL_CARD.md").write_text(txt)
    C.log(f"wrote {out / 'MODEL_CARD.md'}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("which", choices=["seg", "cls"])
    ap.add_argument("--work-dir", type=Path, default=C.DEFAULT_WORK)
    ap.add_argument("--out-dir", type=Path, default=C.MODELS_DIR)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    C.setup_torch(a.threads)
    parity = package_seg(a) if a.which == "seg" else package_cls(a)
    if not parity or not parity.get("ok"):
        C.log("WARNING: ONNX parity check did not pass (see above)")
        sys.exit(2)


if __name__ == "__main__":
    main()

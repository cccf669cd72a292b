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
    metrics_flat["flipTta"] = bool(met.get("flip_tta"))
    brats_train = split.get("brats_train", [])
    preprocessing = {
        "plane": "axial",
        "intensity": {"method": "volume-percentile", "lowPercentile": 1, "highPercentile": 99, "nonZeroOnly": True},
        "resize": "bilinear",
    }
    if met.get("flip_tta"):
        preprocessing["testTimeFlips"] = ["horizontal"]
    manifest = {
        "id": C.SEG_ID,
        "version": SEG_VERSION,
        "task": "segmentation",
        "modality": "MR",
        "sequence": "FLAIR",
        "file": "model.onnx",
        "sha256": C.sha256_file(onnx_path),
        "input": {"name": "input", "layout": "NCHW", "channels": 1, "height": C.SEG_SIZE, "width": C.SEG_SIZE, "dtype": "float32"},
        "outputs": [{"name": "logits", "shape": ["N", 1, C.SEG_SIZE, C.SEG_SIZE],
                     "semantics": "per-pixel tumour logit; sigmoid gives probability"}],
        "preprocessing": preprocessing,
        "labels": ["background", "tumour"],
        "thresholds": {"probability": met["threshold"], "minComponentPixels": met["min_component_pixels"]},
        "calibration": {"temperature": 1.0},
        "training": {
            "data": "lgg-flair-seg: LGG Segmentation Dataset (Buda et al. 2019, kaggle_3m), FLAIR channel, 88 TCGA-LGG patients, 3084 axial slices 256x256"
                    + (f"; brats2018-3d-nifti: FLAIR whole tumour of {len(brats_train)} BraTS 2018 cases" if brats_train else ""),
            "split": "patient-level, stratified by institution, seed 20261124: %d train / %d validation LGG patients; BraTS by case: %d train / %d test (models/lgg-flair-unet/split.json)" % (len(split["train"]), len(split["validation"]), len(brats_train), len(split.get("brats_test", []))),
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


SEG_VERSION = "2.0.0"


def write_seg_card(out, man, met, hist, split, parity, ck):
    v, b = met["validation"], met["brats"]
    h = hist["history"]
    ep_times = [r["epoch_s"] for r in h]
    brats_rows = "\n".join(f"| {c} | {r['dice']:.3f} | {r['gt_voxels']} | {r['pred_voxels']} |" for c, r in b["cases"].items())
    thr_rows = "\n".join(f"| {t} | {r['dice_mean']:.3f} | {r['dice_median']:.3f} | {pct(r['fp_rate'])} |" for t, r in v["by_threshold"].items())
    val_rows = "\n".join(f"| {p} | {d:.3f} |" for p, d in v["dice_per_patient"].items())
    hist_rows = "\n".join(f"| {r['epoch']} | {r['loss']:.4f} | {r['val_dice_mean']:.3f} | {r['val_dice_median']:.3f} | {r['lr_end']:.1e} | {r['epoch_s']:.0f} |" for r in h)
    tta_step = ("; with flip TTA, the slice is also run mirrored left-right and the mean of its p and the mirror's p (mirrored back)"
                " is used") if met.get("flip_tta") else ""
    v1_compare = (f"**v2 against v1** (v1: LGG only, no TTA; its card's figures): LGG validation mean Dice {pct(v['dice_mean'])} (v1 77.7 %); "
                  f"BraTS test mean Dice {pct(b['dice_mean'])} (v1 64.3 %, same {len(b['cases'])} cases). Goals of issue 11: BraTS >= 80 %, "
                  f"LGG >= 82 %: BraTS {'met' if b['dice_mean'] >= 0.80 else 'not met'}, LGG {'met' if v['dice_mean'] >= 0.82 else 'not met'}.")
    par = "not run" if not parity else (f"max abs diff {parity.get('maxAbsDiff', float('nan')):.2e} over {parity.get('fixtures', '?')} fixtures "
                                        f"({'PASS' if parity.get('ok') else 'FAIL'}), onnxruntime-node {parity.get('ortVersion', '?')}")
    txt = f"""# Model card: {man['id']} v{man['version']}

2D U-Net that segments FLAIR hyperintense tumour (tumour + oedema, "FLAIR abnormality") on axial brain MR slices.
**{INTENDED}**

{v1_compare}

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
- **BraTS 2018** (`brats2018-3d-nifti`, {len(split.get('brats_train', [])) + len(b['cases'])} cases of the BraTS 2018 training set): FLAIR, skull-stripped,
  1 mm isotropic, 240x240x155; whole tumour = label > 0. Citation: Menze BH et al., IEEE TMI 2015; Bakas S et al., Sci Data 2017;
  Bakas S et al., arXiv:1811.02629. BraTS data terms apply (citation required).
  - **Training cases** ({len(split.get('brats_train', []))}): {', '.join(split.get('brats_train', [])) or 'none'}; all axial slices with at least 2 % brain voxels.
  - **Test cases** ({len(b['cases'])}): {', '.join(b['cases'].keys())}: the cross-dataset test of v1, never trained on and not used for
    checkpoint, threshold or TTA selection.

## Split
Patient-level (one case folder = one patient; no patient on both sides), stratified by institution code (TCGA_**XX**_NNNN), seed 20261124:
round(20 %) of each institution's patients to validation -> **{len(split['train'])} train / {len(split['validation'])} validation patients**.
BraTS is split by case (one case = one patient), as listed above. Lists in `split.json`. The LGG validation patients were used for checkpoint
selection, the probability threshold and the choice of test-time augmentation, so the validation figures below are slightly optimistic; the
BraTS test figures are independent of every choice.

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
6. Post-processing: p = sigmoid(logit){tta_step}; resize p bilinearly (same semantics) back to the slice size; mask = p >= {met['threshold']};
   then per slice remove 8-connected components with fewer than {met['min_component_pixels']} pixels.
Orientation: slices are used as displayed in radiological convention (rows anterior -> posterior, columns patient right -> left), which is
how the LGG PNGs are stored; BraTS volumes were reoriented to L,P,S voxel axes and slice k = vol[:, :, k] transposed (checked visually).
A 2D model is not sensitive to the slice order but it was trained only on this in-plane orientation (plus left-right flips).

## Training
- Loss: BCE (with logits) + soft Dice (batch level, smoothing 1). Adam, lr 1e-3, **cosine decay driven by wall-clock time** over a budget
  of the training loop; batch 16; each epoch draws as many slices as there are training slices (with replacement): 30 % from the BraTS
  training cases and 70 % from LGG, and within each source weighted so that ~50 % are tumour slices (negatives kept).
- Augmentation (on the 128x128 normalised slices): left-right flip (p 0.5), rotation +-15 deg, scale 0.8-1.2, shift +-6 %,
  intensity (p 0.8): gamma exp(U(-0.4, 0.4)), contrast x(1 +- 0.15), brightness +- 0.05, clipped to 0..1; coarser resolution (p 0.25):
  downsampled by U(1, 2) and upsampled back (bilinear). Skull-stripped (BraTS) and skull-inclusive (LGG) slices are both in every epoch,
  which is the skull-stripping variation the data allows; no synthetic skull stripping of LGG (there are no brain masks for it).
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

### BraTS 2018 test cases ({len(b['cases'])} patients, whole tumour, threshold {met['threshold']}{', flip TTA' if met.get('flip_tta') else ''})
- **Dice mean {pct(b['dice_mean'])}, median {pct(b['dice_median'])}** (at threshold 0.5: mean {pct(b['dice_mean_at_0.5'])};
  {'without' if met.get('flip_tta') else 'with'} flip TTA: mean {pct(b.get('dice_mean_other_tta_setting'))});
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
- **Domain shift**: trained on {len(split['train'])} TCGA-LGG patients from 5 institutions (skull-inclusive 256x256 slices with unknown spacing)
  and {len(split.get('brats_train', []))} BraTS cases; the BraTS test has only {len(b['cases'])} cases. Expect failures on other protocols, 3D FLAIR,
  post-operative cases, children, non-glioma lesions (MS plaques, infarcts, oedema of metastases will also light up).
- **2D only**: each slice is processed independently; no through-plane context, so small or thin findings can flicker between slices.
  A 2.5D input (neighbouring slices as channels) was not used: the LGG slices have no recorded spacing and are several mm apart while
  BraTS is 1 mm, so "the neighbouring slice" means different anatomy in the two sources and in the clinic's own series.
- **FLAIR only**: no model reads FLAIR and T1 post-contrast together yet (only the BraTS cases have both, co-registered: too few to train one).
- **No physical spacing in LGG**: areas/volumes from the training data are in pixels, not mm²/mL; the app must use the series' own spacing.
- Intensity normalisation depends on the whole volume: partial volumes (a few slices) or volumes with large bright artefacts shift p1/p99.
- The mask is "FLAIR abnormality" (tumour + oedema), not tumour core / enhancing tumour.
- Validation set is small ({v['patients']} patients) and was used for checkpoint and threshold selection.
"""
    (out / "MODEL_CARD.md").write_text(txt)
    C.log(f"wrote {out / 'MODEL_CARD.md'}")


# =========================================================================== classifier
CLS_VERSION = "2.0.0"
CLS_CONTRASTS = {
    "glioma": "T1-weighted post-contrast",
    "meningioma": "T1-weighted post-contrast",
    "pituitary": "T1-weighted post-contrast",
    "notumor": "mostly T2-weighted and FLAIR, some T1-weighted without contrast; almost no post-contrast images",
}


def package_cls(a):
    from evaluate_classifier import load_model

    out = a.out_dir / C.CLS_ID
    work = a.work_dir / C.CLS_ID
    model, ck = load_model(a.work_dir)
    met = json.load(open(work / "metrics.json"))
    prev = met.get("previous_model_on_this_test_split")
    if prev and met["test"]["accuracy"] <= prev["accuracy"] and not a.force:
        # Keep the shipped model when the retrained one is not better on the same test split.
        C.log(f"NOT SHIPPED: retrained accuracy {met['test']['accuracy']:.4f} <= previous model {prev['accuracy']:.4f} on the same "
              f"{prev['images']} test images; models/{C.CLS_ID}/ left unchanged (figures in {work / 'metrics.json'}; --force ships it anyway)")
        return {"ok": True, "keptPrevious": True}
    hist = json.load(open(work / "train_history.json"))
    split = json.load(open(work / "split.json"))
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
        "testAccuracyCi95": [round(v, 4) for v in t["accuracy_ci95"]],
        "testBalancedAccuracy": round(t["balanced_accuracy"], 4),
        **{f"recall_{k}": round(v, 4) for k, v in t["recall"].items()},
        **{f"recall_{k}_ci95": [round(x, 4) for x in v] for k, v in t["recall_ci95"].items()},
        **{f"precision_{k}": round(v, 4) for k, v in t["precision"].items()},
        "eceBefore": round(t["ece_before"], 4),
        "eceAfter": round(t["ece_after"], 4),
        "nllBefore": round(t["nll_before"], 4),
        "nllAfter": round(t["nll_after"], 4),
    }
    for i, ti in enumerate(C.CLS_LABELS):
        for j, pj in enumerate(C.CLS_LABELS):
            metrics_flat[f"confusion_{ti}_as_{pj}"] = int(cm[i][j])
    prev = met.get("previous_model_on_this_test_split")
    if prev:
        metrics_flat["previousModelTestAccuracy"] = round(prev["accuracy"], 4)
    W = model.fc.weight.detach().numpy().astype(np.float64)
    bias = model.fc.bias.detach().numpy().astype(np.float64)
    n_img = len(split["train"]) + len(split["calibration"]) + len(split["test"])
    manifest = {
        "id": C.CLS_ID,
        "version": CLS_VERSION,
        "task": "classification",
        "modality": "MR",
        "sequence": "T1 post-contrast (tumour classes; notumor trained on T2/FLAIR/T1 without contrast)",
        "file": "model.onnx",
        "sha256": C.sha256_file(onnx_path),
        "input": {"name": "input", "layout": "NCHW", "channels": 1, "height": C.CLS_SIZE, "width": C.CLS_SIZE, "dtype": "float32"},
        "outputs": [
            {"name": "logits", "shape": ["N", 4], "semantics": "class logits in label order; softmax(logits / calibration.temperature) gives calibrated probabilities"},
            {"name": "features", "shape": ["N"] + feat_shape[1:], "semantics": "last feature map before global average pooling; CAM_c = sum_k cam.weights[c][k] * features[k] (+ cam.bias[c])"},
        ],
        "preprocessing": {
            "plane": "axial, coronal or sagittal 2D slice",
            "intensity": {"method": "image-standardise"},
            "resize": "bilinear",
        },
        "labels": C.CLS_LABELS,
        "thresholds": {"probability": 0.5, "minComponentPixels": 0},
        "calibration": {"temperature": round(met["temperature"], 6)},
        "cam": {"featureOutput": "features", "weights": [[float(f"{w:.8g}") for w in row] for row in W],
                "bias": [float(f"{v:.8g}") for v in bias]},
        "training": {
            "data": f"brain-mri-4class-224: {n_img} JPEG 224x224 from the Brain Tumor MRI Dataset (Nickparvar 2021), original Training split, "
                    "near-duplicates of its Testing split removed upstream (shared/data/brain-mri-4class-224/SOURCE.md)",
            "contrastsPerClass": CLS_CONTRASTS,
            "planes": "axial, coronal and sagittal 2D slices (tumour classes: all three; notumor: mostly axial)",
            "split": "near-duplicate groups (dHash-256 <= %d bits in any flip/rotation) kept on one side, per-class 70/10/20 train/calibration/test "
                     "(%d/%d/%d), seed 20261124; no patient ids available (models/brain-tumour-4class/split.json)"
                     % (split.get("groupMaxBits", 12), len(split["train"]), len(split["calibration"]), len(split["test"])),
            "architecture": "ResNet18 topology (BasicBlock [2,2,2,2]), widths %s, last stage stride 1, 1-channel input" % "-".join(str(w) for w in met["config"]["widths"]),
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
            # Its tumour classes were learned from T1 post-contrast slices only (model card, "Where it applies").
            "sequences": ["T1-POST-CONTRAST"], "dimensionality": ["2d", "3d"],
            "description": "brain MR T1 post-contrast images (its tumour classes were learned from T1 post-contrast slices only)",
        },
    }
    C.write_json(out / "manifest.json", manifest)
    C.write_json(out / "metrics.json", met)
    C.write_json(out / "split.json", split)
    parity = run_node_parity(a.out_dir, C.CLS_ID)
    write_cls_card(out, manifest, met, hist, split, parity, feat_shape, model)
    return parity


def ci(v):
    return f"{100 * v[0]:.1f}-{100 * v[1]:.1f} %"


def write_cls_card(out, man, met, hist, split, parity, feat_shape, model):
    t, cal = met["test"], met["calibration_split"]
    L = C.CLS_LABELS
    label_of = dict(C.cls_read_index())
    counts = {k: {lab: sum(1 for f in split[k] if label_of[f] == i) for i, lab in enumerate(L)} for k in ("train", "calibration", "test")}
    count_rows = "\n".join(f"| {lab} | {counts['train'][lab]} | {counts['calibration'][lab]} | {counts['test'][lab]} | {CLS_CONTRASTS[lab]} |" for lab in L)

    def cm_table(m):
        rows = "\n".join(f"| **{L[i]}** | " + " | ".join(str(v) for v in m[i]) + " |" for i in range(len(L)))
        return f"| true \\ predicted | {' | '.join(L)} |\n|---|---|---|---|---|\n{rows}"

    cls_rows = "\n".join(f"| {k} | {pct(t['recall'][k])} ({ci(t['recall_ci95'][k])}) | {pct(t['precision'][k])} ({ci(t['precision_ci95'][k])}) |" for k in L)
    h = hist["history"]
    ep_times = [r["epoch_s"] for r in h]
    hist_rows = "\n".join(f"| {r['epoch']} | {r.get('size', C.CLS_SIZE)} | {r['loss']:.4f} | {r['train_acc']:.3f} | {r['calibration_acc']:.3f} | {r['lr_end']:.1e} | {r['epoch_s']:.0f} |" for r in h)
    tta_step = ("; with flip TTA, the slice is also run mirrored left-right and the mean of its p and the mirror's p (mirrored back)"
                " is used") if met.get("flip_tta") else ""
    v1_compare = (f"**v2 against v1** (v1: LGG only, no TTA; its card's figures): LGG validation mean Dice {pct(v['dice_mean'])} (v1 77.7 %); "
                  f"BraTS test mean Dice {pct(b['dice_mean'])} (v1 64.3 %, same {len(b['cases'])} cases). Goals of issue 11: BraTS >= 80 %, "
                  f"LGG >= 82 %: BraTS {'met' if b['dice_mean'] >= 0.80 else 'not met'}, LGG {'met' if v['dice_mean'] >= 0.82 else 'not met'}.")
    par = "not run" if not parity else (f"max abs diff {parity.get('maxAbsDiff', float('nan')):.2e} over {parity.get('fixtures', '?')} fixtures "
                                        f"({'PASS' if parity.get('ok') else 'FAIL'}), onnxruntime-node {parity.get('ortVersion', '?')}")
    n_params = sum(p.numel() for p in model.parameters())
    widths = met["config"]["widths"]
    add = met["test_added_2026_12_02_only"]
    prev = met.get("previous_model_on_this_test_split")
    goal_ok = t["accuracy"] >= 0.95 and min(t["recall"].values()) >= 0.90
    goal = ("**met**" if goal_ok else "**not met**") + f" (accuracy {pct(t['accuracy'])}, lowest recall {pct(min(t['recall'].values()))} for {min(t['recall'], key=t['recall'].get)})"
    prev_txt = "not evaluated" if not prev else f"""the previous model v1.0.0 (small CNN, 1200 images; `{prev['onnx']}`, sha256 `{prev['sha256'][:12]}...`, run with
onnxruntime-node and its own temperature {prev['temperature']:.3f}) on **the same {prev['images']} test images** (none of which it trained on):
accuracy **{pct(prev['accuracy'])}** ({ci(prev['accuracy_ci95'])}), balanced accuracy {pct(prev['balanced_accuracy'])}, recall
{', '.join(f"{k} {pct(v)}" for k, v in prev['recall'].items())}; ECE {fmt(prev['ece_before'], 4)} (T = 1) / {fmt(prev['ece_after'], 4)} (its T).

{cm_table(prev['confusion_matrix']['matrix'])}"""
    txt = f"""# Model card: {man['id']} v{man['version']}

ResNet18-type CNN trained from scratch that classifies a single 2D brain MR slice as glioma, meningioma, pituitary tumour or no tumour,
with calibrated probabilities and a class activation map (CAM / Grad-CAM of the last layer, see below).
**{INTENDED}**

## Where it applies (read this first)
- **Tumour classes were learned from T1-weighted post-contrast (gadolinium) images only**, in axial, coronal and sagittal planes
  (figshare Cheng data set and SARTAJ). The **notumor** class was learned almost entirely from **other sequences** (T2, FLAIR, T1 without
  contrast; Br35H). Sequence and class are therefore confounded: the model has partly learned "T2/FLAIR-looking image -> notumor". On a
  FLAIR or T2 slice with a tumour it answers "notumor" with high confidence; on a T1 post-contrast slice without a tumour it has almost no
  training examples. (Checked by looking at 48 random images of each class; the data set carries no sequence labels.)
- Apply it only to **2D T1 post-contrast brain MR slices** (any of the three planes), through the tumour, and read the answer as the
  **tumour type given that a tumour is present** (glioma vs meningioma vs pituitary). Do not read "notumor" as evidence against a lesion
  that segmentation found; on FLAIR/T2/T1 without contrast, report the type as not assessable.
- Single slices exported as 8-bit JPEG at 224x224 (window already applied), skull included. Not trained on 3D volumes, skull-stripped images,
  BraTS-style 1 mm resampled volumes, CT, or non-brain images: it always outputs one of its four classes, whatever the input.

## Data
- `brain-mri-4class-224` ({len(split['train']) + len(split['calibration']) + len(split['test'])} JPEG images, 224x224), all from the original *Training* split of the "Brain Tumor MRI Dataset"
  (Msoud Nickparvar, Kaggle, 2021, doi:10.34740/KAGGLE/DSV/2645886), a merge of the figshare Cheng data set (doi:10.6084/m9.figshare.1512427),
  SARTAJ and Br35H, copied from GitHub `KomalChaudhari8/BRAIN_TUMOR_APP` @ `1fac2c3` (already resized and re-encoded there). Images that are
  near-duplicates of the original *Testing* split (including mirrored/rotated/re-processed copies) were removed upstream
  (`SOURCE.md` of the data set). **Unbalanced**: classes are weighted in the loss (weight = N / (4 x class count) on the train split).
- **Licence as stated in SOURCE.md**: the GitHub repository has no licence file; the Kaggle licence could not be checked (verify);
  component datasets carry their own terms (figshare Cheng dataset listed as CC BY 4.0 - verify).

| class | train | calibration | test | contrasts seen (visual check of samples) |
|---|---|---|---|---|
{count_rows}

## Split
No patient ids exist, so a patient-level split is impossible. Instead **near-duplicate groups** are kept on one side: an edge joins two
images whose 256-bit difference hash (dHash, LANCZOS or BILINEAR resampling) differs by <= {split.get('groupMaxBits', 12)} bits with one of them in any of the
8 flips/rotations (the folder holds mirrored and rotated copies; the data set's chance level between classes is 22 bits); connected
components are groups ({split['groups']['count']} groups, {split['groups']['withMoreThanOneImage']} with more than one image, largest {split['groups']['largest']}). Whole groups are
assigned per class 70/10/20 to train/calibration/test (seed 20261124). The {split['previousModelTrainImagesForcedToTrain']} images that the previous model v1 trained on
are forced to train (with their groups), so v1 can be scored on the same test split without leakage. Lists in `split.json`.
Neighbouring slices of one patient that are not near-duplicates can still fall on both sides, so the test figures remain somewhat optimistic
for new patients, and they say nothing about other hospitals, scanners or export pipelines.
The calibration split was used to fit the temperature and to monitor training; the final epoch is kept (no checkpoint selection).

## Architecture
ResNet18 topology (He et al. 2016; torchvision `BasicBlock`, stages of [2, 2, 2, 2] blocks) with a 1-channel 7x7 stride-2 stem and 3x3
max-pool, **narrowed** to {'-'.join(str(w) for w in widths)} channels per stage ({widths[0] / 64:.3g} of ResNet18's 64-128-256-512; {n_params / 1e6:.2f} M parameters instead of
11.2 M) and with the **last stage at stride 1**, so a {C.CLS_SIZE}x{C.CLS_SIZE} input gives a {feat_shape[2]}x{feat_shape[3]} map of {feat_shape[1]} channels. Global average pooling,
dropout 0.2 (training only), one linear layer {feat_shape[1]} -> 4. Why narrow: training runs on a 2-core CPU shared with other jobs under a fixed
time budget; the full-width ResNet18 costs ~{(64 / widths[0]) ** 2:.0f}x more per image and would have run a fraction of the epochs.
No pretrained weights (none can be downloaded here); trained from scratch.
ONNX opset 17, dynamic batch: input `input` [N,1,{C.CLS_SIZE},{C.CLS_SIZE}] float32; outputs `logits` [N,4] and `features` {['N'] + feat_shape[1:]}: the same names,
input size and meaning as v1 (v1's `features` had 256 channels; the app takes the channel count from the output and the CAM weights from
this manifest).
**CAM**: CAM_c(y,x) = sum_k W[c,k] * features[k,y,x] (+ b[c]); W and b are `cam.weights` [4][{feat_shape[1]}] and `cam.bias` [4] in `manifest.json`.
Because the head is linear after global average pooling, Grad-CAM on the last feature map is this map up to a positive factor (the gradient
of logit_c with respect to features[k] is W[c,k] / ({feat_shape[2]}x{feat_shape[3]}) everywhere; Grad-CAM then clips negatives), and the spatial mean of
CAM_c (with bias) equals logit_c. Upsample the map bilinearly to the image for display.

## Preprocessing (exactly what the app must reproduce)
1. Decode the image to 8-bit grayscale (RGB -> L = R*299/1000 + G*587/1000 + B*114/1000, as PIL `convert('L')`); x = value / 255.
2. Resize to {C.CLS_SIZE}x{C.CLS_SIZE} with **bilinear interpolation, align_corners = false, no antialiasing** (PyTorch `F.interpolate`
   semantics: src = (dst + 0.5) * in/out - 0.5, clamped below at 0; x0 = floor(src), x1 = min(x0 + 1, in - 1)).
3. Per-image standardisation: x = (x - mean) / max(std, 1e-6), mean and **population** std over all {C.CLS_SIZE}x{C.CLS_SIZE} pixels.
4. Input [N,1,{C.CLS_SIZE},{C.CLS_SIZE}] float32. Probabilities = softmax(logits / T) with T = calibration.temperature = {met['temperature']:.4f}.

## Training
Class-weighted cross-entropy; AdamW lr 2e-3, weight decay 5e-4, batch 32, **cosine decay driven by wall-clock time**; progressive resizing:
the first 60 % of the time budget at 112x112 (resized from the 160x160 augmented image), the rest at 160x160. Augmentation:
left-right flip (p 0.5), upside-down flip (p 0.1), rotation +-15 deg, scale 0.85-1.15, shift +-6 %, intensity (p 0.8) gamma exp(U(-0.3, 0.3)),
contrast x(1 +- 0.25), brightness +- 0.1 (before standardisation). CPU only, **1 thread** (on the 2 cores shared with other jobs, 2 threads
spent 5x the CPU time per image in thread synchronisation and ran 3.7x slower), at low priority (`nice`):
{hist['epoch']} epochs in {hist['elapsed'] / 60:.1f} min (median {np.median(ep_times):.0f} s per epoch). Seed 20261124. Script: `models/training/train_classifier.py`.

| epoch | px | train loss | train acc | calibration acc | lr at end | s |
|---|---|---|---|---|---|---|
{hist_rows}

## Metrics (test split, {t['images']} images)
Computed by `models/training/evaluate_classifier.py` from the torch checkpoint; 95 % intervals: Wilson for proportions, bootstrap
(2000 resamples) for balanced accuracy and ECE. Goal (>= 95 % accuracy and >= 0.90 recall for every class): {goal}.
- **Accuracy {pct(t['accuracy'])}** ({ci(t['accuracy_ci95'])}), balanced accuracy {pct(t['balanced_accuracy'])} ({ci(t['balanced_accuracy_ci95'])}).

| class | recall (95 % CI) | precision (95 % CI) |
|---|---|---|
{cls_rows}

Confusion matrix (rows = true class, columns = predicted):

{cm_table(t['confusion_matrix']['matrix'])}

Images added to the data set on 2026-12-02 only ({add['images']} of the test images): accuracy {pct(add['accuracy'])}, recall
{', '.join(f"{k} {pct(v)}" for k, v in add['recall'].items())}.

**Calibration**: temperature scaling fitted on the calibration split ({cal['images']} images, minimising NLL over log T): **T = {met['temperature']:.3f}**.
Test **ECE (15 equal-width bins, top-label confidence) {fmt(t['ece_before'], 4)} ({ci(t['ece_before_ci95'])}) before -> {fmt(t['ece_after'], 4)} ({ci(t['ece_after_ci95'])}) after**;
NLL {fmt(t['nll_before'], 4)} -> {fmt(t['nll_after'], 4)}. (Calibration split: ECE {fmt(cal['ece_before'], 4)} -> {fmt(cal['ece_after'], 4)}.)
These probabilities are calibrated only for images like the training data (see "Where it applies").

### Compared with the previous model
{prev_txt}

### ONNX parity
`node models/training/check_onnx_parity.cjs` runs `model.onnx` with onnxruntime-node on the fixtures in `parity/` (3 preprocessed test
images) and compares `logits` and `features` to the torch outputs: {par}.

## Intended use
{INTENDED} Tumour-type suggestion (glioma / meningioma / pituitary) with a CAM overlay on a 2D T1 post-contrast slice that shows a tumour.

## Known limitations and failure modes
- **Sequence confound** (see the top): FLAIR/T2 slices with a tumour are called "notumor"; a T1 post-contrast slice without a tumour may be
  called a tumour type. Gliomas are seen only as T1 post-contrast images (enhancing, often high-grade); a non-enhancing low-grade glioma
  looks unlike the glioma training images.
- **No patient-level split** (no ids): test accuracy is optimistic for new patients; single public collections, single export pipeline.
- Source/shortcut bias: classes come from different collections (notumor mostly Br35H) with different storage (grayscale vs RGB JPEG),
  cropping and contrast; the model may key on these.
- Always one of four classes: no "other pathology" or "not a brain MR" output. Metastases, lymphoma, abscess, etc. get one of the three
  tumour labels.
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
    ap.add_argument("--force", action="store_true", help="cls: ship the retrained model even if it is not better than the previous one")
    a = ap.parse_args()
    C.setup_torch(a.threads)
    parity = package_seg(a) if a.which == "seg" else package_cls(a)
    if not parity or not parity.get("ok"):
        C.log("WARNING: ONNX parity check did not pass (see above)")
        sys.exit(2)


if __name__ == "__main__":
    main()

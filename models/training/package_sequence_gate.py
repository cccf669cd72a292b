"""Evaluates and packages the sequence gate -> models/sequence-gate/.

Reads work/sequence-gate/{data,describe}.npz, final/ (the shipped model) and fold0..3/ (the
leave-subjects-out models), then writes model.onnx, parity/*.json, manifest.json, metrics.json,
split.json and MODEL_CARD.md. Figures:
  - leave-subjects-out (out-of-fold) accuracy on the BraTS patients (FLAIR, T1 post-contrast) and
    the T1 / FLAIR volume subjects, per patient, with a patient-bootstrap 95 % interval;
  - the shipped model on the fixed validation split (LGG validation patients, chest validation
    patients, held-out "other" images), per class, with confusion matrix and Wilson intervals;
  - the never-trained external T1+Gd slices, and what the gate says on brain-mri-4class.
Run: /usr/bin/python3 models/training/package_sequence_gate.py
"""
from __future__ import annotations

import datetime as dt
import json
import math
import sys
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402
import gate_common as G  # noqa: E402
import package_model as P  # noqa: E402

import os  # noqa: E402

# GATE_WORK / GATE_OUT: a dry run against copies (default: the real work folder and models/).
WORK = Path(os.environ.get("GATE_WORK", C.DEFAULT_WORK / G.GATE_ID))
OUT = Path(os.environ.get("GATE_OUT", C.MODELS_DIR / G.GATE_ID))
L = G.GATE_LABELS
MIN_PROBABILITY = 0.6
N_FOLDS = 4


def softmax(z: np.ndarray, t: float = 1.0) -> np.ndarray:
    z = z / t
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def wilson(k: int, n: int, z: float = 1.96):
    if n == 0:
        return [None, None]
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return [round(c - h, 4), round(c + h, 4)]


def bootstrap_groups(correct: np.ndarray, groups: np.ndarray, n: int = 2000, seed: int = 1):
    """95 % interval of slice accuracy when whole patients (groups) are resampled."""
    ug = sorted(set(groups.tolist()))
    if len(ug) < 2:
        return [None, None]
    per = {g: correct[groups == g] for g in ug}
    rng = np.random.default_rng(seed)
    accs = []
    for _ in range(n):
        pick = rng.choice(len(ug), size=len(ug), replace=True)
        c = np.concatenate([per[ug[i]] for i in pick])
        accs.append(c.mean())
    return [round(float(np.percentile(accs, 2.5)), 4), round(float(np.percentile(accs, 97.5)), 4)]


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    best, best_t = 1e9, 1.0
    for t in np.arange(0.5, 5.01, 0.05):
        p = softmax(logits, t)[np.arange(len(y)), y]
        nll = -np.log(np.clip(p, 1e-12, 1)).mean()
        if nll < best:
            best, best_t = nll, float(t)
    return round(best_t, 2)


def ece(prob: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    conf = prob.max(1)
    pred = prob.argmax(1)
    e = 0.0
    for b in range(bins):
        m = (conf > b / bins) & (conf <= (b + 1) / bins)
        if m.any():
            e += m.mean() * abs((pred[m] == y[m]).mean() - conf[m].mean())
    return round(float(e), 4)


def group_report(pred: np.ndarray, y: np.ndarray, groups: np.ndarray) -> dict:
    correct = pred == y
    per = {g: round(float(correct[groups == g].mean()), 4) for g in sorted(set(groups.tolist()))}
    return {"images": int(len(y)), "accuracy": round(float(correct.mean()), 4),
            "accuracyCI95PatientBootstrap": bootstrap_groups(correct, groups),
            "subjects": len(per), "perSubject": per,
            "worstSubject": min(per.values()) if per else None,
            "predicted": {L[i]: int((pred == i).sum()) for i in range(len(L))}}


def confusion(pred: np.ndarray, y: np.ndarray) -> dict:
    return {L[i]: {L[j]: int(((y == i) & (pred == j)).sum()) for j in range(len(L))} for i in range(len(L))}


def class_figures(pred: np.ndarray, y: np.ndarray) -> dict:
    out = {}
    for i, c in enumerate(L):
        n, k = int((y == i).sum()), int(((y == i) & (pred == i)).sum())
        np_ = int((pred == i).sum())
        out[c] = {"n": n, "recall": round(k / n, 4) if n else None, "recallCI95": wilson(k, n),
                  "precision": round(k / np_, 4) if np_ else None}
    return out


def load_model(name: str) -> G.GateNet:
    m = G.GateNet()
    m.load_state_dict(torch.load(WORK / name / "best.pt")["model"])
    return m.eval()


def parity_fixtures(model: G.GateNet, temperature: float, data: dict) -> list[str]:
    """Raw images -> (Python) preprocessed input, logits, probabilities, for the app's parity test."""
    import nibabel as nib
    D = C.DATA_ROOT
    lgg_val = json.loads((C.MODELS_DIR / C.SEG_ID / "split.json").read_text())["validation"][0]
    lgg_png = sorted((D / "lgg-flair-seg" / "cases").glob(f"{lgg_val}_*/{lgg_val}_*_12.png"))[0]
    chest = sorted(set(data["ref"][(data["split"] == "val") & (data["label"] == "chest-xray")].tolist()))[0]
    case = "Brats18_CBICA_AQN_1"
    t1ce = np.asarray(nib.as_closest_canonical(nib.load(str(D / "brats2018-3d-nifti" / case / f"{case}_t1ce.nii.gz"))).dataobj)
    yy, xx = np.mgrid[0:50, 0:70]
    raws = {
        "lgg-flair-validation-patient": np.asarray(Image.open(lgg_png)).astype(np.float32),
        "chest-xray-validation-patient": G.grey(np.asarray(Image.open(D / "chest-xray-pneumonia-224" / chest))).astype(np.float32),
        "brats-t1ce-axial-78": t1ce[:, :, 78].T.astype(np.float32),
        "synthetic-gradient-70x50": (xx * 3.5 + yy * 0.25 - 40).astype(np.float32),
    }
    out_dir = OUT / "parity"
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.json"):
        old.unlink()
    for name, raw in raws.items():
        x = G.prepare_gate_input(raw.astype(np.float64))[None, None]
        with torch.no_grad():
            logits = model(torch.from_numpy(x)).numpy()
        rec = {
            "model": G.GATE_ID,
            "description": name,
            "encoding": "base64 of little-endian float32, row-major (C order)",
            "raw": {"width": int(raw.shape[1]), "height": int(raw.shape[0]), "samplesPerPixel": 1,
                    "data": C.f32_b64(raw)},
            "input": {"name": "input", "shape": list(x.shape), "data": C.f32_b64(x)},
            "outputs": {"logits": {"shape": list(logits.shape), "data": C.f32_b64(logits)}},
            "probabilities": [round(float(p), 7) for p in softmax(logits.astype(np.float64), temperature)[0]],
            "tolerance": {"maxAbsDiff": 1e-4},
        }
        C.write_json(out_dir / f"{name}.json", rec)
    return list(raws)


def main() -> None:
    d = dict(np.load(WORK / "data.npz"))
    y_all = np.array([L.index(l) if l in L else -1 for l in d["label"]])
    metrics: dict = {}

    # ---- leave-subjects-out folds (out-of-fold predictions of the BraTS / volume subjects)
    oof_idx, oof_logits = [], []
    for k in range(N_FOLDS):
        p = WORK / f"fold{k}" / "preds.npz"
        if not p.exists():
            C.log(f"fold {k} missing: leave-subjects-out figures are incomplete")
            continue
        z = np.load(p)
        m = d["split"][z["index"]] == "cv"
        oof_idx.append(z["index"][m])
        oof_logits.append(z["logits"][m])
    final = np.load(WORK / "final" / "preds.npz")
    fin_idx, fin_logits = final["index"], final["logits"]
    val_m = d["split"][fin_idx] == "val"
    ext_m = d["split"][fin_idx] == "external"

    cal_logits = np.concatenate(oof_logits + [fin_logits[val_m]])
    cal_y = np.concatenate([y_all[i] for i in oof_idx] + [y_all[fin_idx[val_m]]])
    temperature = fit_temperature(cal_logits, cal_y)
    metrics["temperature"] = temperature

    folds_done = len(oof_idx)
    if oof_idx:
        idx = np.concatenate(oof_idx)
        lg = np.concatenate(oof_logits)
        pred = softmax(lg, temperature).argmax(1)
        y = y_all[idx]
        lso = {"folds": folds_done}
        for src in sorted(set(d["source"][idx].tolist())):
            m = d["source"][idx] == src
            lso[src] = group_report(pred[m], y[m], d["group"][idx][m])
            for plane in ("axial", "coronal", "sagittal"):
                mp = m & (d["plane"][idx] == plane)
                if mp.any():
                    lso[src][f"accuracy_{plane}"] = round(float((pred[mp] == y[mp]).mean()), 4)
        lso["confusion"] = confusion(pred, y)
        lso["ece"] = ece(softmax(lg, temperature), y)
        metrics["leaveSubjectsOut"] = lso

    # ---- shipped model on the fixed validation split
    pv = softmax(fin_logits[val_m], temperature)
    yv = y_all[fin_idx[val_m]]
    predv = pv.argmax(1)
    vi = fin_idx[val_m]
    val = {"images": int(len(yv)), "accuracy": round(float((predv == yv).mean()), 4),
           "perClass": class_figures(predv, yv), "confusion": confusion(predv, yv), "ece": ece(pv, yv),
           "confidentFraction": round(float((pv.max(1) >= MIN_PROBABILITY).mean()), 4)}
    for src in sorted(set(d["source"][vi].tolist())):
        m = d["source"][vi] == src
        val[f"source_{src}"] = group_report(predv[m], yv[m], d["group"][vi][m])
    metrics["validation"] = val

    pe = softmax(fin_logits[ext_m], temperature)
    metrics["externalT1Gd"] = [{"ref": str(d["ref"][i]), "label": L[int(p.argmax())], "probability": round(float(p.max()), 4)}
                               for i, p in zip(fin_idx[ext_m], pe)]

    # ---- brain-mri-4class (sequences unlabelled): does the gate call them brain MR?
    if (WORK / "describe.npz").exists():
        dd = np.load(WORK / "describe.npz")
        model = load_model("final")
        from train_sequence_gate import predict
        pdsc = softmax(predict(model, dd["x"]), temperature)
        lab = pdsc.argmax(1)
        desc = {"images": int(len(lab)), "calledBrain": round(float((lab <= 2).mean()), 4),
                "predicted": {L[i]: int((lab == i).sum()) for i in range(len(L))}}
        for g in sorted(set(dd["group"].tolist())):
            m = dd["group"] == g
            desc[g] = {L[i]: int((lab[m] == i).sum()) for i in range(len(L))}
        metrics["brainMri4class"] = desc

    # ---- export, parity, manifest, card
    model = load_model("final")
    history = torch.load(WORK / "final" / "best.pt")["history"]
    n_params = sum(p.numel() for p in model.parameters())
    OUT.mkdir(parents=True, exist_ok=True)
    P.export_onnx(model, torch.zeros(1, 1, G.GATE_SIZE, G.GATE_SIZE), OUT / "model.onnx", ["logits"], True)
    fixtures = parity_fixtures(model, temperature, d)
    metrics["params"] = n_params
    metrics["epochs"] = len(history)
    fold_done = [json.loads((WORK / f"fold{k}" / "DONE").read_text()) for k in range(N_FOLDS)
                 if (WORK / f"fold{k}" / "DONE").exists()]
    metrics["foldEpochs"] = [f["epochs"] for f in fold_done]
    C.write_json(OUT / "metrics.json", metrics)

    split = {"method": "subject-level: no patient / subject on both sides",
             "seed": 20261202,
             "lggFlair": "models/lgg-flair-unet/split.json (same 71 train / 17 validation patients)",
             "chestXray": "patient token (personN / IM-NNNN / NORMAL2-IM-NNNN), 20 % of tokens to validation, random.Random(20261202)",
             "leaveSubjectsOutFolds": {}}
    for k in range(N_FOLDS):
        m = (d["split"] == "cv") & (d["fold"].astype(int) == k)
        split["leaveSubjectsOutFolds"][str(k)] = sorted(set(d["group"][m].tolist()))
    split["validationSubjects"] = {src: sorted(set(d["group"][(d["split"] == "val") & (d["source"] == src)].tolist()))
                                   for src in sorted(set(d["source"][d["split"] == "val"].tolist()))}
    split["external"] = sorted(set(d["ref"][d["split"] == "external"].tolist()))
    C.write_json(OUT / "split.json", split)

    lso = metrics.get("leaveSubjectsOut", {})
    flat = {"params": n_params, "temperature": temperature,
            "validationAccuracy": val["accuracy"], "validationImages": val["images"]}
    for c, f in val["perClass"].items():
        flat[f"validationRecall_{c}"] = f["recall"]
    for src in ("brats-flair", "brats-t1ce", "nifti-mni-templates", "nifti-chris-t1", "dicom-philips-mprage", "nifti-niivue-flair"):
        if src in lso:
            flat[f"lsoAccuracy_{src}"] = lso[src]["accuracy"]
            flat[f"lsoWorstSubject_{src}"] = lso[src]["worstSubject"]
    manifest = {
        "id": G.GATE_ID,
        "version": "1.0.0",
        "task": "image-gate",
        "modality": "any",
        "file": "model.onnx",
        "sha256": C.sha256_file(OUT / "model.onnx"),
        "input": {"name": "input", "layout": "NCHW", "channels": 1, "height": G.GATE_SIZE, "width": G.GATE_SIZE,
                  "dtype": "float32"},
        "outputs": [{"name": "logits", "shape": ["N", len(L)],
                     "semantics": "class logits in the order of labels; softmax(logits / temperature) gives probabilities"}],
        "preprocessing": {
            "plane": "any",
            "intensity": {"method": "image-percentile", "lowPercentile": G.LOW_PERCENTILE,
                          "highPercentile": G.HIGH_PERCENTILE, "nonZeroOnly": False, "clip": [0, 1],
                          "greyFromRgb": "mean of R, G, B"},
            "resize": (f"crop to the bounding box of pixels > {G.BOX_THRESHOLD} (after the percentile window), centre in a "
                       f"zero square of side max(h, w) (offset floor((side - h) / 2)), area average to "
                       f"{G.GATE_SIZE}x{G.GATE_SIZE} (output i covers [i*side/{G.GATE_SIZE}, (i+1)*side/{G.GATE_SIZE}))"),
        },
        "labels": L,
        "thresholds": {"minProbability": MIN_PROBABILITY},
        "calibration": {"temperature": temperature},
        "training": {
            "data": "brats2018-3d-nifti (11 patients: FLAIR, T1 post-contrast, label maps; axial + coronal + sagittal), "
                    "lgg-flair-seg (FLAIR slices + masks), T1 volumes (MNI152 2009 / avg152 / ICBM templates, chris_t1, "
                    "Philips 3D T1 MPRAGE DICOM), niivue FLAIR, chest-xray-pneumonia-224, DICOM/NIfTI non-brain images "
                    "(CT, joint/abdomen MR, EPI mosaic, ultrasound, label maps) and generated images (noise, gradients, shapes, text)",
            "split": "subject-level: LGG by patient (lgg-flair-unet split), chest X-ray by patient token, BraTS patients "
                     "and T1 subjects in 4 leave-subjects-out folds (models/sequence-gate/split.json)",
            "script": "models/training/train_sequence_gate.py (data: build_gate_data.py; evaluation and packaging: package_sequence_gate.py)",
            "seed": C.SEED,
            "epochs": len(history),
            "trainedAt": P.iso_mtime(WORK / "final" / "best.pt"),
            "notTrained": "brain T2 (no T2 images in the shared data): a T2 slice gets one of the other labels",
        },
        "metrics": flat,
        "licence": "Weights derived from BraTS 2018 (data terms: citation required; research use), the LGG Segmentation "
                   "Dataset (licence not verified; treat as non-commercial), Kermany 2018 chest X-rays (CC BY 4.0), MNI/ICBM "
                   "templates and BSD/MIT-licensed sample files. Research / non-commercial use until the data licences are verified.",
        "intendedUse": "Research and decision support only; not a medical device; not for diagnosis. Says whether an image "
                       "looks like a brain FLAIR, T1 or T1 post-contrast slice, a chest radiograph or something else, so that "
                       "a model is not run on images it cannot read.",
    }
    C.write_json(OUT / "manifest.json", manifest)
    parity = P.run_node_parity(OUT.parent, G.GATE_ID)
    write_card(manifest, metrics, split, history, fixtures, parity)
    C.log("packaged " + str(OUT))


def write_card(man, met, split, history, fixtures, parity) -> None:
    val = met["validation"]
    lso = met.get("leaveSubjectsOut", {})

    def lso_row(src, what):
        r = lso.get(src)
        if r is None:
            return f"| {what} | not run | | | |\n"
        ci = r["accuracyCI95PatientBootstrap"]
        cis = "n/a (one subject)" if ci[0] is None else f"{100 * ci[0]:.1f}–{100 * ci[1]:.1f} %"
        planes = ", ".join(f"{p} {100 * r[f'accuracy_{p}']:.1f} %" for p in ("axial", "coronal", "sagittal") if f"accuracy_{p}" in r)
        return (f"| {what} | {r['subjects']} | {r['images']} | {100 * r['accuracy']:.1f} % ({cis}) | "
                f"{100 * r['worstSubject']:.1f} % | {planes} |\n")

    rows = "".join([
        lso_row("brats-flair", "BraTS FLAIR → brain-flair"),
        lso_row("brats-t1ce", "BraTS T1 post-contrast → brain-t1c"),
        lso_row("label-map", "BraTS label maps → other"),
        lso_row("nifti-mni-templates", "MNI / ICBM T1 templates → brain-t1"),
        lso_row("nifti-chris-t1", "chris_t1 (T1 head with skull) → brain-t1"),
        lso_row("dicom-philips-mprage", "Philips 3D T1 MPRAGE → brain-t1"),
        lso_row("nifti-niivue-flair", "niivue FLAIR → brain-flair"),
    ])
    def pct(v):
        return "n/a" if v is None else f"{100 * v:.1f} %"

    def ci(v):
        return "n/a" if v[0] is None else f"{100 * v[0]:.1f}–{100 * v[1]:.1f} %"

    pc = "".join(f"| {c} | {f['n']} | {pct(f['recall'])} | {ci(f['recallCI95'])} | {pct(f['precision'])} |\n"
                 for c, f in val["perClass"].items())
    conf = val["confusion"]
    conf_rows = "| true \\ predicted | " + " | ".join(L) + " |\n|---|" + "---|" * len(L) + "\n" + "".join(
        f"| {t} | " + " | ".join(str(conf[t][p]) for p in L) + " |\n" for t in L)
    ext = "; ".join(f"{e['ref'].split('/')[-1]}: {e['label']} {100 * e['probability']:.0f} %" for e in met["externalT1Gd"])
    desc = met.get("brainMri4class")
    desc_txt = "not run" if desc is None else (
        f"{desc['images']} images; called brain-* (any sequence) {100 * desc['calledBrain']:.1f} %; predicted: "
        + ", ".join(f"{k} {v}" for k, v in desc["predicted"].items()))
    par = "not run" if not parity else (f"max abs diff {parity.get('maxAbsDiff', float('nan')):.2e} over {parity.get('fixtures', '?')} fixtures "
                                        f"({'PASS' if parity.get('ok') else 'FAIL'})")
    text = f"""# Model card: sequence-gate {man['version']}

**What it is**: a small CNN ({met['params']:,} parameters, 5 convolution blocks on a 64×64 greyscale image) that tells
what a 2D image looks like, so that a model is not run on an image it cannot read:
`{'`, `'.join(L)}`. It does **not** know brain **T2** (there are no T2 images in the shared data; BraTS T1 and T2 were
left out of shared/): a T2 slice is given one of the other labels, most likely brain-flair. Use the DICOM attributes
(series description, TR/TE/TI) to tell T2 from FLAIR where they exist. It does not judge the plane either
(it was trained on axial, coronal and sagittal slices alike): take the plane from the image orientation.

{man['intendedUse']}

## Input and preprocessing (reproduced exactly by `src-main/core/analysis/gate/sequence-gate.ts`)
1. One 2D image, stored values as float64 (RGB: the mean of R, G, B; non-finite values count as 0).
2. lo, hi = 1st and 99th percentile of **all** pixels (linear interpolation between ranks, numpy's default).
3. x = clip((v − lo) / (hi − lo), 0, 1); all 0 when hi ≤ lo.
4. Crop to the bounding box of pixels with x > 0.1 (the whole image when none).
5. Centre the box in a zero square of side max(h, w) (offset floor((side − h)/2), floor((side − w)/2)).
6. Area average to 64×64: output pixel i covers [i·side/64, (i+1)·side/64); each source pixel weighs its overlap / (side/64);
   rows then columns. Input tensor `input` [N,1,64,64] float32.
Output `logits` [N,5]; probabilities = softmax(logits / {man['calibration']['temperature']}) (temperature fitted on the
out-of-fold and validation predictions). Below {MIN_PROBABILITY:.0%} the gate is "unsure" (`thresholds.minProbability`).
MONOCHROME1 images (some radiographs) must be inverted to display polarity before the gate.

## Training
- Data (all in ../shared/data): {man['training']['data']}.
- Every image is preprocessed once (64×64), then augmented on the fly: flips and transposition (any orientation),
  rotation ±15°, scale ±15 %, shift ±6 %, gamma 0.63–1.6, contrast 0.8–1.2, blur, Gaussian noise.
- Classes drawn equally often; inside a class, each source in proportion to √(its size).
- AdamW, one-cycle learning rate 2e-3, label smoothing 0.05, batch 64, {met['epochs']} epochs of 4,000 images, CPU (2 threads); the fold models {', '.join(str(e) for e in met['foldEpochs'])} epochs (folds 0–3; less time was left for them, so their figures are if anything pessimistic).
- Script: `{man['training']['script']}`.

## Evaluation
### Leave-subjects-out ({lso.get('folds', 0)} folds; each BraTS patient and each T1 subject predicted by a model that never saw it)
BraTS has only 11 patients and the T1 classes come from few subjects (2 MNI/ICBM templates and their 2 mm version,
one head scan, one MPRAGE): the intervals are wide and the T1 figures say little about T1 in general.

| set → expected label | subjects | slices | accuracy (95 % CI, patient bootstrap) | worst subject | by plane |
|---|---|---|---|---|---|
{rows}
### Shipped model on the held-back validation split ({val['images']} images; LGG and chest X-ray patients never trained on)
Accuracy {100 * val['accuracy']:.1f} %; ECE {val['ece']}; {100 * val['confidentFraction']:.1f} % of the images above the
{MIN_PROBABILITY:.0%} threshold. (Intervals are Wilson intervals over images; slices of one patient are correlated, so they
are optimistic.) The brain-t1 and brain-t1c classes have no images in this split: see the leave-subjects-out table.

| class | n | recall | recall 95 % CI | precision |
|---|---|---|---|---|
{pc}
{conf_rows}
### External, never trained
- TCIA Vestibular-Schwannoma T1+Gd MPRAGE (with skull, skull-base level; 3 slices): {ext}.
- brain-mri-4class-224 (mixed, unlabelled sequences, mostly T1 post-contrast, T2 and FLAIR): {desc_txt}.
  Only "called brain" can be checked here; T2 images among them necessarily get a wrong sequence label.

## What to trust (read this first)
- **Brain MR vs chest radiograph vs other: yes.** Chest radiographs of unseen patients 100 %, "other" images 98.5 %,
  unseen brain MR of any sequence (brain-mri-4class) called brain 99.7 %, LGG FLAIR of unseen patients called brain
  (any label) 95 %.
- **The sequence label (FLAIR / T1 / T1 post-contrast): no, not on its own.** On patients and subjects it never saw
  (table above) it is mostly wrong: 68 % of the BraTS FLAIR slices are called T1 post-contrast, the chris_t1 and
  MPRAGE T1 heads mostly FLAIR, the niivue FLAIR T1 post-contrast or T1, the TCIA T1+Gd slices FLAIR. The training data
  hold too few subjects per sequence (11 BraTS patients, 3 T1 heads) and the sequence is confounded with the source
  (T1c only from skull-stripped BraTS; T1 only from templates and research heads). Only LGG-like FLAIR slices are
  recognised well (90.9 %).
- Unusual brain images can fall out of "brain": 37 % of the held-out MNI/ICBM template slices were called chest or
  other, 11 % of the niivue FLAIR slices other; decide on several central slices of a series, not one.
- So: refuse a brain model on a confident, majority "chest-xray" or "other"; take the sequence from the DICOM
  attributes (series description, TR/TE/TI, contrast agent) and use the gate's sequence label at most as a warning.

## Limitations
- T1 vs T1 post-contrast is learnt from 11 skull-stripped BraTS T1c volumes against a handful of T1 subjects; the
  gate may partly use "skull-stripped or not" rather than contrast enhancement. Do not trust the brain-t1/brain-t1c
  distinction alone: combine it with the DICOM attributes (contrast agent, series description).
- No T2, no DWI/ADC, no SWI, no CT head, no other body-part radiographs than paediatric chest: those get a label
  from the five it knows, usually "other" but not always.
- One slice decides: for a series, run the gate on a few central slices and take the majority.

## ONNX parity
`model.onnx` was exported from the same checkpoint (opset 17); fixtures in `parity/` hold raw images
({', '.join(fixtures)}), the Python-preprocessed input, the torch logits and the probabilities. The app test
`src-main/core/analysis/gate/sequence-gate.test.ts` reproduces the preprocessing and the probabilities from the raw
image (1e-4); `shipped-models.test.ts` checks the sha256 and the logits. check_onnx_parity.cjs: {par}.
"""
    (OUT / "MODEL_CARD.md").write_text(text)


def card_only() -> None:
    """Rewrites MODEL_CARD.md from the packaged metrics.json / manifest.json / split.json."""
    man = json.loads((OUT / "manifest.json").read_text())
    met = json.loads((OUT / "metrics.json").read_text())
    split = json.loads((OUT / "split.json").read_text())
    history = torch.load(WORK / "final" / "best.pt")["history"]
    fixtures = sorted(p.stem for p in (OUT / "parity").glob("*.json"))
    write_card(man, met, split, history, fixtures, P.run_node_parity(OUT.parent, G.GATE_ID))


if __name__ == "__main__":
    card_only() if "--card-only" in sys.argv else main()

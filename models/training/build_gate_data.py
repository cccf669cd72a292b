"""Builds the sequence gate's training/evaluation arrays from ../shared/data.

Writes models/training/work/sequence-gate/data.npz: every image already passed through
gate_common.prepare_gate_input (64x64 float16), with its label, source, subject group, plane,
split ("train", "val", "cv" = BraTS / T1 subjects rotated through the leave-subjects-out folds,
"external" = never trained, "describe" = brain-mri-4class, unlabelled sequences) and fold.

Run: /usr/bin/python3 models/training/build_gate_data.py --part volumes; ... --part pictures; ... --merge (-> data.npz)
     /usr/bin/python3 models/training/build_gate_data.py --describe (-> describe.npz)
"""
from __future__ import annotations

import csv
import json
import random
import re
import sys
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402
import gate_common as G  # noqa: E402

WORK = C.DEFAULT_WORK / G.GATE_ID
D = C.DATA_ROOT
SEED = 20261202
N_FOLDS = 4

rows: list[dict] = []
images: list[np.ndarray] = []


def add(img2d: np.ndarray, label: str, source: str, group: str, split: str, plane: str = "", fold: int = -1,
        ref: str = "") -> None:
    images.append(G.prepare_gate_input(np.asarray(img2d)).astype(np.float16))
    rows.append({"label": label, "source": source, "group": group, "split": split, "plane": plane,
                 "fold": fold, "ref": ref})


def volume_slices(vol: np.ndarray, axial_step: int, other_step: int, min_fraction: float = 0.08):
    """(plane, index, slice) for slices whose foreground covers min_fraction of the slice."""
    vol = np.asarray(vol, dtype=np.float32)
    thr = 0.1 * np.percentile(vol[vol > 0], 99) if (vol > 0).any() else 0
    fg = vol > thr
    for plane, axis, step in (("axial", 2, axial_step), ("coronal", 1, other_step), ("sagittal", 0, other_step)):
        if step <= 0:
            continue
        others = tuple(a for a in range(3) if a != axis)
        fraction = fg.mean(axis=others)  # per slice along `axis`
        for k in range(0, vol.shape[axis], step):
            if fraction[k] >= min_fraction:
                index = [slice(None)] * 3
                index[axis] = k
                yield plane, k, np.ascontiguousarray(vol[tuple(index)].T)


def load_nifti(path: Path) -> np.ndarray:
    import nibabel as nib
    img = nib.as_closest_canonical(nib.load(str(path)))
    data = np.asarray(img.dataobj, dtype=np.float32)
    while data.ndim > 3:
        data = data[..., 0]
    return data


def fold_of(i: int) -> int:
    return i % N_FOLDS


def brats() -> None:
    cases = sorted(p.name for p in (D / "brats2018-3d-nifti").iterdir() if p.is_dir())
    for i, case in enumerate(cases):
        for seq, label in (("flair", "brain-flair"), ("t1ce", "brain-t1c")):
            vol = load_nifti(D / "brats2018-3d-nifti" / case / f"{case}_{seq}.nii.gz")
            for plane, k, sl in volume_slices(vol, 3, 6):
                add(sl, label, f"brats-{seq}", case, "cv", plane, fold_of(i), f"{case}_{seq}:{plane}{k}")
        seg = load_nifti(D / "brats2018-3d-nifti" / case / f"{case}_seg.nii.gz")
        for k in range(0, seg.shape[2], 8):
            sl = seg[:, :, k]
            if (sl > 0).mean() > 0.002:
                add(sl.T, "other", "label-map", case, "cv", "axial", fold_of(i), f"{case}_seg:axial{k}")
        C.log(f"brats {case}: {len(rows)} images so far")


def t1_and_flair_volumes() -> None:
    nv = D / "nifti-samples" / "niivue"
    # (file, label, subject group, fold, axial step, other step)
    vols = [
        (nv / "MNI152_2009_template.nii.gz", "brain-t1", "mni-templates", 0, 3, 8),
        (nv / "avg152T1_RL_nifti.nii.gz", "brain-t1", "mni-templates", 0, 2, 4),
        (nv / "chris_t1.nii.gz", "brain-t1", "chris-t1", 1, 2, 5),
        (nv / "nifti_space" / "LPS.nii.gz", "brain-t1", "mni-templates", 0, 2, 3),
        (nv / "FLAIR.nii.gz", "brain-flair", "niivue-flair", 3, 1, 3),
    ]
    for path, label, group, fold, a_step, o_step in vols:
        vol = load_nifti(path)
        n0 = len(rows)
        for plane, k, sl in volume_slices(vol, a_step, o_step):
            add(sl, label, f"nifti-{group}", group, "cv", plane, fold, f"{path.name}:{plane}{k}")
        C.log(f"{path.name} {vol.shape}: {len(rows) - n0} slices")
    # Philips 3D T1 MPRAGE (DICOM, 170 sagittal slices) -> volume -> all three planes
    import pydicom
    files = sorted((D / "dicom-samples" / "series-philips-3d-t1-mprage-brain").glob("*.dcm"))
    dss = [pydicom.dcmread(str(f)) for f in files]
    dss.sort(key=lambda d: int(d.InstanceNumber))
    vol = np.stack([d.pixel_array.astype(np.float32) for d in dss], axis=0)  # (sag, rows, cols)
    vol = np.transpose(vol, (0, 2, 1))
    n0 = len(rows)
    for plane, k, sl in volume_slices(vol, 3, 3):
        add(sl, "brain-t1", "dicom-philips-mprage", "philips-mprage", "cv", plane, 2, f"philips-mprage:{plane}{k}")
    C.log(f"philips mprage {vol.shape}: {len(rows) - n0} slices")


def lgg() -> None:
    split = json.loads((C.MODELS_DIR / C.SEG_ID / "split.json").read_text())
    val = set(split["validation"])
    with open(D / "lgg-flair-seg" / "slices.csv") as f:
        recs = list(csv.DictReader(f))
    rng = random.Random(SEED)
    for r in recs:
        img = np.asarray(Image.open(D / "lgg-flair-seg" / r["image"]))
        if img.max() == 0:
            continue  # byte-identical all-black slices: no content to classify
        sp = "val" if r["patient_id"] in val else "train"
        add(G.grey(img), "brain-flair", "lgg-flair", r["patient_id"], sp, "axial", -1, r["image"])
        if int(r["tumor_pixels"]) > 0 and rng.random() < 0.25:
            mask = np.asarray(Image.open(D / "lgg-flair-seg" / r["mask"]))
            add(mask, "other", "binary-mask", r["patient_id"], sp, "axial", -1, r["mask"])
    C.log(f"lgg: {len(rows)} images so far")


def chest_token(name: str) -> str:
    m = re.match(r"(person\d+)_", name)
    if m:
        return m.group(1)
    m = re.match(r"((?:NORMAL2-)?IM-\d+)-", name)
    if m:
        return m.group(1)
    raise ValueError(f"no patient token in {name}")


def chest() -> None:
    root = D / "chest-xray-pneumonia-224"
    files = sorted(list((root / "NORMAL").glob("*.jpeg")) + list((root / "PNEUMONIA").glob("*.jpeg")))
    tokens = sorted({chest_token(f.name) for f in files})
    rng = random.Random(SEED)
    rng.shuffle(tokens)
    val = set(tokens[: round(0.2 * len(tokens))])
    for i, f in enumerate(files):
        t = chest_token(f.name)
        if t not in val and i % 2 == 1:
            continue  # half of the training radiographs suffice (an easy class; saves build time)
        img = np.asarray(Image.open(f))
        add(G.grey(img), "chest-xray", "chest-xray", t, "val" if t in val else "train", "frontal", -1,
            f"{f.parent.name}/{f.name}")
    C.log(f"chest: {len(files)} images, {len(tokens)} patients, {len(val)} validation patients")


def dicom_others() -> None:
    import pydicom
    ds_root = D / "dicom-samples"
    cands = [
        ("dicomparser-testimages/CT1_UNC.explicit_little_endian.dcm", "nema-ct1", "val"),
        ("pydicom-test-files/CT_small.dcm", "pydicom-ct-small", "train"),
        ("series-ct-3slice-with-seg/01.dcm", "dcmqi-ct", "train"),
        ("series-ct-3slice-with-seg/02.dcm", "dcmqi-ct", "train"),
        ("series-ct-3slice-with-seg/03.dcm", "dcmqi-ct", "train"),
        ("pydicom-test-files/liver_1frame.dcm", "liver-seg", "train"),
        ("pydicom-test-files/rtdose.dcm", "rtdose", "train"),
        ("pydicom-test-files/examples_palette.dcm", "palette", "val"),
        ("pydicom-test-files/examples_rgb_color.dcm", "rgb-example", "train"),
        ("pydicom-test-files/examples_ybr_color.dcm", "ybr-example", "val"),
        ("pydicom-test-files/SC_rgb_rle_2frame.dcm", "sc-rgb", "train"),
        ("pydicom-test-files/image_dfl.dcm", "image-dfl", "train"),
        ("pydicom-data/parametric_map_float.dcm", "parametric-map", "train"),
        ("pydicom-data/OBXXXX1A_rle_2frame.dcm", "obxxxx", "val"),
        # MR that is not a brain slice: shoulder/joint spin echo, abdominal T1 VIBE, EPI mosaic
        ("pydicom-test-files/MR_small.dcm", "mr-small-joint", "val"),
        ("pydicom-data/MR-SIEMENS-DICOM-WithOverlays.dcm", "mr-abdomen", "train"),
        ("dcm_qa_ts-siemens-brain-slice/1.dcm", "mr-epi-mosaic", "train"),
    ]
    for sub in ("dicomparser-testimages/encapsulated",):
        for f in sorted((ds_root / sub).rglob("*.dcm")):
            cands.append((str(f.relative_to(ds_root)), "encapsulated-" + f.name.split(".")[0], "train"))
    for rel, group, sp in cands:
        try:
            ds = pydicom.dcmread(str(ds_root / rel))
            arr = ds.pixel_array
        except Exception as e:  # compressed syntaxes pydicom cannot decode here
            C.log(f"skip {rel}: {type(e).__name__}")
            continue
        frames = arr if (arr.ndim == 3 and arr.shape[-1] not in (3, 4)) or arr.ndim == 4 else arr[None]
        for j, fr in enumerate(frames[:8]):
            if fr.shape[0] < 16 or fr.shape[1] < 16:
                continue
            add(G.grey(fr), "other", "dicom-other", group, sp, "", -1, f"{rel}#{j}")
    nv = D / "nifti-samples" / "niivue"
    for name, group, sp in (("ct_perfusion.nii.gz", "ct-perfusion", "train"), ("aal.nii.gz", "aal", "val"),
                            ("mni152_pveseg.nii.gz", "pveseg", "train"), ("lesion.nii.gz", "lesion", "train")):
        import nibabel as nib
        img = nib.load(str(nv / name))
        data = np.asarray(img.dataobj)
        if data.dtype.names:  # RGB24 structured type
            data = np.stack([data[n] for n in data.dtype.names], axis=-1).astype(np.float32).mean(axis=-1)
        data = np.asarray(data, dtype=np.float32)
        while data.ndim > 3:
            data = data[..., 0]
        for plane, k, sl in volume_slices(data, 6, 12, min_fraction=0.01):
            add(sl, "other", "nifti-other", group, sp, plane, -1, f"{name}:{plane}{k}")
    C.log(f"dicom/nifti others: {len(rows)} images so far")


def synthetic_others(n: int = 2400) -> None:
    rng = np.random.default_rng(SEED)
    kinds = ["gauss", "uniform", "blobs", "linear", "radial", "shapes", "stripes", "checker", "constant", "text"]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        h, w = int(rng.integers(48, 320)), int(rng.integers(48, 320))
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
        if kind == "gauss":
            img = rng.normal(0, 1, (h, w))
        elif kind == "uniform":
            img = rng.random((h, w))
        elif kind == "blobs":
            from scipy.ndimage import gaussian_filter
            img = gaussian_filter(rng.normal(0, 1, (h, w)), sigma=float(rng.uniform(2, 20)))
        elif kind == "linear":
            a = rng.uniform(0, 2 * np.pi)
            img = np.cos(a) * xx + np.sin(a) * yy
        elif kind == "radial":
            cy, cx = rng.uniform(0, h), rng.uniform(0, w)
            img = -np.hypot(yy - cy, xx - cx)
        elif kind == "shapes":
            img = np.full((h, w), rng.uniform(0, 0.3))
            for _ in range(int(rng.integers(1, 8))):
                cy, cx = rng.uniform(0, h), rng.uniform(0, w)
                ry, rx = rng.uniform(4, h / 2), rng.uniform(4, w / 2)
                if rng.random() < 0.5:
                    m = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1
                else:
                    m = (abs(yy - cy) <= ry) & (abs(xx - cx) <= rx)
                img[m] = rng.uniform(0, 1)
        elif kind == "stripes":
            p = rng.uniform(3, 40)
            img = np.sin(2 * np.pi * (xx if rng.random() < 0.5 else yy) / p)
        elif kind == "checker":
            p = int(rng.integers(2, 32))
            img = ((yy // p + xx // p) % 2).astype(np.float64)
        elif kind == "constant":
            img = np.full((h, w), rng.uniform(0, 1000)) + rng.normal(0, 0.01, (h, w)) * (rng.random() < 0.5)
        else:  # "text": dark page with short bright bars in lines
            img = np.zeros((h, w))
            for r in range(4, h - 6, int(rng.integers(8, 20))):
                c = 4
                while c < w - 10:
                    ln = int(rng.integers(2, 12))
                    img[r: r + 5, c: c + ln] = 1.0
                    c += ln + int(rng.integers(2, 8))
            if rng.random() < 0.5:
                img = 1 - img
        if rng.random() < 0.3:
            img = img + rng.normal(0, 0.1 * (img.std() + 1e-6), img.shape)
        add(img, "other", "synthetic", f"synthetic-{kind}", "val" if i % 5 == 0 else "train", "", -1, f"{kind}#{i}")
    C.log(f"synthetic: {n}")


def externals() -> None:
    """Never trained on: the TCIA vestibular-schwannoma T1+Gd slices (skull base, with skull)."""
    import pydicom
    for f in sorted((D / "dicom-samples" / "series-vs-seg-t1gd-brain-3slices").glob("*.dcm")):
        add(pydicom.dcmread(str(f)).pixel_array, "brain-t1c", "tcia-vs-t1gd", "VS-SEG-001", "external", "axial", -1,
            f"series-vs-seg-t1gd-brain-3slices/{f.name}")


def describe_4class() -> None:
    with open(D / "brain-mri-4class-224" / "labels.csv") as f:
        recs = list(csv.DictReader(f))
    for r in recs:
        img = np.asarray(Image.open(D / "brain-mri-4class-224" / r["file"]))
        add(G.grey(img), "", "brain-mri-4class", r["label"], "describe", "", -1, r["file"])
    C.log(f"brain-mri-4class: {len(recs)}")


def save(name: str) -> None:
    x = np.stack(images)
    cols = {k: np.array([r[k] for r in rows]) for k in rows[0]}
    np.savez(WORK / f"{name}.npz", x=x, **cols)
    counts: dict = {}
    for r in rows:
        key = f"{r['split']}/{r['label'] or '-'}/{r['source']}"
        counts[key] = counts.get(key, 0) + 1
    C.write_json(WORK / f"{name}_counts.json", counts)
    for k in sorted(counts):
        print(f"{counts[k]:6d} {k}")


def merge() -> None:
    parts = [dict(np.load(WORK / f"part-{p}.npz")) for p in ("volumes", "pictures")]
    images.extend(np.concatenate([p["x"] for p in parts]))
    for p in parts:
        keys = [k for k in p if k != "x"]
        for i in range(len(p["x"])):
            rows.append({k: (int(p[k][i]) if k == "fold" else str(p[k][i])) for k in keys})
    save("data")


def main() -> None:
    """--part volumes | --part pictures | --merge | --describe (the parts can run in parallel)."""
    WORK.mkdir(parents=True, exist_ok=True)
    if "--describe" in sys.argv:  # unlabelled brain-mri-4class images, for the evaluation only
        describe_4class()
        save("describe")
    elif "--merge" in sys.argv:
        merge()
    elif sys.argv[sys.argv.index("--part") + 1] == "volumes":
        brats()
        t1_and_flair_volumes()
        save("part-volumes")
    else:
        lgg()
        chest()
        dicom_others()
        synthetic_others()
        externals()
        save("part-pictures")


if __name__ == "__main__":
    main()

"""PyTorch side of `npm run bench:inference`: runs the segmentation U-Net from its training
checkpoint on exactly the inputs the Node benchmark gives it (raw float32, [N,1,H,W]) with the
same thread count, slice by slice, and prints one JSON line: timings, FLOPs per slice and a
checksum of the logits so both runtimes are seen to compute the same thing.

    /usr/bin/python3 models/training/bench_torch.py --input x.f32 --shape N 1 128 128 --threads 2
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402


def count_flops(model: nn.Module, shape) -> int:
    """Multiply-adds x 2 of every convolution (the U-Net's cost is almost all convolution)."""
    total = 0

    def conv_hook(m, inp, out):
        nonlocal total
        k = m.kernel_size[0] * m.kernel_size[1]
        if isinstance(m, nn.ConvTranspose2d):
            total += 2 * m.in_channels * m.out_channels * k * inp[0].shape[2] * inp[0].shape[3] // m.groups
        else:
            total += 2 * (m.in_channels // m.groups) * k * m.out_channels * out.shape[2] * out.shape[3]

    hooks = [m.register_forward_hook(conv_hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))]
    with torch.no_grad():
        model(torch.zeros(1, *shape[1:]))
    for h in hooks:
        h.remove()
    return total


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--checkpoint", type=Path, default=C.TRAINING_DIR / "work" / C.SEG_ID / "best.pt")
    p.add_argument("--input", type=Path, required=True)
    p.add_argument("--shape", type=int, nargs=4, required=True)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    if not a.checkpoint.exists():
        print(json.dumps({"error": f"no checkpoint at {a.checkpoint}: run models/training/run_all.sh first"}))
        return
    torch.set_num_threads(a.threads)
    ck = torch.load(a.checkpoint, map_location="cpu")
    model = C.UNet2D(base=ck.get("config", {}).get("base", 16))
    model.load_state_dict(ck["model"])
    model.eval()
    x = np.fromfile(a.input, dtype=np.float32).reshape(a.shape)
    flops = count_flops(model, a.shape)
    with torch.no_grad():
        model(torch.from_numpy(x[:1]))  # warm-up
        checksum = 0.0
        t0 = time.perf_counter()
        for i in range(x.shape[0]):
            checksum += float(model(torch.from_numpy(x[i:i + 1])).sum())
        total = time.perf_counter() - t0
    print(json.dumps({
        "torch": torch.__version__,
        "threads": a.threads,
        "slices": int(x.shape[0]),
        "totalMs": total * 1000,
        "msPerSlice": total * 1000 / x.shape[0],
        "flopsPerSlice": flops,
        "checksum": checksum,
    }))


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# End-to-end: train segmentation -> evaluate -> export/package -> train classifier -> evaluate -> export/package.
# Every step is resumable/idempotent: re-running continues training from work/<id>/last.pt and
# skips training that has already finished.
#
#   bash models/training/run_all.sh            # full run (~110 min on a 2-core CPU)
#   bash models/training/run_all.sh --smoke    # tiny end-to-end check into /tmp/neurosphere-smoke (~3 min)
#
# Long run in the background (survives logout, low priority):
#   mkdir -p models/training/work && nohup setsid nice -n 19 bash models/training/run_all.sh > models/training/work/train.log 2>&1 &
#
# Environment: PY (default /usr/bin/python3), SEG_BUDGET_MIN (90), CLS_BUDGET_MIN (49), THREADS (2), CLS_THREADS (1),
#              NODE (default <repo>/node_modules/.bin/node), NEUROSPHERE_DATA (default /work/shared/data).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
PY="${PY:-/usr/bin/python3}"
THREADS="${THREADS:-2}"
# The classifier trains with 1 thread: on the 2 shared cores, 2 threads spent 5x the CPU time per image
# synchronising and ran 3.7x slower (measured 2026-12-02). Set CLS_THREADS=2 on an idle machine.
CLS_THREADS="${CLS_THREADS:-1}"
SEG_BUDGET_MIN="${SEG_BUDGET_MIN:-90}"
CLS_BUDGET_MIN="${CLS_BUDGET_MIN:-49}"
export NODE="${NODE:-$ROOT/node_modules/.bin/node}"
export OMP_NUM_THREADS="$THREADS" MKL_NUM_THREADS="$THREADS"

EXTRA=()
WORK="$HERE/work"
OUT="$ROOT/models"
if [[ "${1:-}" == "--smoke" ]]; then
  SMOKE_ROOT="${SMOKE_ROOT:-/tmp/neurosphere-smoke}"
  rm -rf "$SMOKE_ROOT"
  WORK="$SMOKE_ROOT/work"
  OUT="$SMOKE_ROOT/models"
  SEG_BUDGET_MIN=0.5
  CLS_BUDGET_MIN=0.5
  EXTRA=(--smoke)
  mkdir -p "$WORK/cache"
  # reuse the preprocessed-data cache of the real run if there is one (read-only use)
  [[ -d "$HERE/work/cache/lgg" ]] && cp -r "$HERE/work/cache/lgg" "$WORK/cache/" || true
  [[ -f "$HERE/work/cache/cls_groups.json" ]] && cp "$HERE/work/cache/cls_groups.json" "$WORK/cache/" || true
fi
mkdir -p "$WORK" "$OUT"
COMMON=(--work-dir "$WORK" --out-dir "$OUT" --threads "$THREADS")
T0=$(date +%s)
stamp() { echo "[$(date '+%Y-%m-%d %H:%M:%S')] ==== $* (t+$(( ($(date +%s) - T0) / 60 )) min)"; }

stamp "1/6 train segmentation (budget ${SEG_BUDGET_MIN} min)"
"$PY" "$HERE/train_segmentation.py" "${COMMON[@]}" --budget-min "$SEG_BUDGET_MIN" --resume "${EXTRA[@]}"
stamp "2/6 evaluate segmentation"
"$PY" "$HERE/evaluate_segmentation.py" "${COMMON[@]}" "${EXTRA[@]}"
stamp "3/6 export + package segmentation"
"$PY" "$HERE/package_model.py" seg "${COMMON[@]}" || echo "WARNING: segmentation packaging reported a problem (exit $?)"
stamp "4/6 train classifier (budget ${CLS_BUDGET_MIN} min)"
"$PY" "$HERE/train_classifier.py" "${COMMON[@]}" --threads "$CLS_THREADS" --budget-min "$CLS_BUDGET_MIN" --resume "${EXTRA[@]}"
stamp "5/6 evaluate classifier (and the previous model v1.0.0 on the same test split)"
# v1.0.0 of the classifier (small CNN, 1200 images), taken from git, is scored on the new test split too.
PREV_ONNX="$WORK/prev/brain-tumour-4class-v1.onnx"
if [[ ! -s "$PREV_ONNX" ]]; then
  mkdir -p "$WORK/prev"
  git -C "$ROOT" show 6a34825:models/brain-tumour-4class/model.onnx > "$PREV_ONNX" || rm -f "$PREV_ONNX"
fi
PREV=()
[[ -s "$PREV_ONNX" ]] && PREV=(--previous-onnx "$PREV_ONNX" --previous-temperature 1.478215)
"$PY" "$HERE/evaluate_classifier.py" "${COMMON[@]}" --threads "$CLS_THREADS" "${PREV[@]}" "${EXTRA[@]}"
stamp "6/6 export + package classifier"
"$PY" "$HERE/package_model.py" cls "${COMMON[@]}" --threads "$CLS_THREADS" || echo "WARNING: classifier packaging reported a problem (exit $?)"
stamp "final ONNX parity check (onnxruntime-node)"
"$NODE" "$HERE/check_onnx_parity.cjs" --models-dir "$OUT" || echo "WARNING: parity check failed"
stamp "ALL DONE"

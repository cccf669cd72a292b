#!/usr/bin/env bash
# The sequence gate end to end (models/sequence-gate): data arrays, shipped model, the four
# leave-subjects-out folds, evaluation and packaging. Resumable: finished steps are skipped.
#   nohup setsid nice -n 10 bash models/training/run_sequence_gate.sh > models/training/work/sequence-gate/run.log 2>&1 &
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-/usr/bin/python3}
W=models/training/work/sequence-gate
mkdir -p "$W"
[ -f "$W/part-volumes.npz" ] || $PY models/training/build_gate_data.py --part volumes
[ -f "$W/part-pictures.npz" ] || $PY models/training/build_gate_data.py --part pictures
[ -f "$W/data.npz" ] || $PY models/training/build_gate_data.py --merge
[ -f "$W/describe.npz" ] || $PY models/training/build_gate_data.py --describe
[ -f "$W/final/DONE" ] || $PY models/training/train_sequence_gate.py --final --resume
for k in 0 1 2 3; do
  [ -f "$W/fold$k/DONE" ] || $PY models/training/train_sequence_gate.py --fold "$k" --resume --epochs "${FOLD_EPOCHS:-6}"
done
$PY models/training/package_sequence_gate.py

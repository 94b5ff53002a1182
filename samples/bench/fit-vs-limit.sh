#!/bin/bash
# The deep MLP as users train it (samples/bin/nabla-train --model deep-mlp, through Sequential.fit, with validation
# and background checkpoints) against the GEMM-bound limit (the step's matrix products alone, measured by
# samples/bin/nabla-cpu-bench after each of its own fit epochs), alternating, in one run (docs/benchmarks.md,
# "fit against the GEMM-bound limit"):   samples/bench/fit-vs-limit.sh [ROUNDS] [EPOCHS]
# Fashion-MNIST (apt-get install dataset-fashion-mnist; FASHION=DIR for another copy), batch 128, Adam 1e-4.
# nabla-train's figure is the training time it prints per epoch (validation and checkpoint apart), the median of
# the epochs after the first; nabla-cpu-bench's are its median fit epoch and limit, and their median ratio.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${FASHION:-/usr/share/datasets/fashion-mnist}
rounds=${1:-2} epochs=${2:-5}
out=$(mktemp -d)
cd "$root"
if grep -q ' avx512f' /proc/cpuinfo 2>/dev/null; then # as in the other compare scripts
  export OPENBLAS_CORETYPE=${BENCH_OPENBLAS_CORETYPE:-SkylakeX}
fi
samples/bin/nabla-train --help >/dev/null 2>&1 # builds once, before anything is timed
for round in $(seq "$rounds"); do
  echo "== round $round: load $(cut -d' ' -f1-3 /proc/loadavg)"
  samples/bin/nabla-train --model deep-mlp --data "$data" --epochs "$epochs" --out "$out/train-$round" \
      2>&1 | tee "$out/train-$round.log" | grep -E '^Epoch'
  samples/bin/nabla-cpu-bench --networks deep --epochs "$epochs" --warmup 1 --json "$out/bench-$round.json" \
      2>&1 | grep -v -E '^WARNING' | grep -E '^  |median'
done
python3 - "$out" "$rounds" <<'PY'
import json, re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
print("\n| round | `nabla-train` (fit), training time | `nabla-cpu-bench` (fit) | GEMM-bound limit | nabla-train ÷ limit | nabla-cpu-bench ÷ limit |")
print("|---|---|---|---|---|---|")
for r in range(1, rounds + 1):
    train = [float(t) for t in re.findall(r"^Epoch \d+/\d+ - train ([0-9.]+)s", open(f"{out}/train-{r}.log").read(), re.M)]
    fit = statistics.median(train[1:])
    net = json.load(open(f"{out}/bench-{r}.json"))[0]
    bench, limit = net["median_epoch_seconds"], net["gemm_bound_seconds"]
    print(f"| {r} | {fit:.2f} s | {bench:.2f} s | {limit:.2f} s | {fit / limit:.2f} | {net['ratio_to_gemm_bound']:.2f} |")
PY
echo "(outputs in $out)"

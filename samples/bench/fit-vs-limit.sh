#!/bin/bash
# The deep MLP as users train it (samples/bin/nabla-train --model deep-mlp, through Sequential.fit, with validation
# and background checkpoints) against the GEMM-bound limit (the step's matrix products alone, measured by
# samples/bin/nabla-cpu-bench after each of its own fit epochs), in one run (docs/benchmarks.md, "fit against the
# GEMM-bound limit"):   samples/bench/fit-vs-limit.sh [ROUNDS] [EPOCHS] [WARMUP]
# Fashion-MNIST (apt-get install dataset-fashion-mnist; FASHION=DIR for another copy), batch 128, Adam 1e-4.
#
# Every nabla-train run is bracketed by two nabla-cpu-bench runs (bench 0, train 1, bench 1, train 2, …), and is
# compared with the mean of the limits measured just before and just after it; and likewise with the products
# followed by the Adam update as its own pass (nabla-cpu-bench's "products and update": the fastest a step can be
# while every gradient is complete before the first variable changes). On a shared machine the speed can
# change by 20 % within minutes, and a neighbour's memory traffic slows the step's memory-bound part (the Adam
# update) more than its in-cache products: a round whose two limits differ by more than 10 % saw the machine
# change under it, and is marked and left out of the summary.
# Figures are medians of the epochs after the first WARMUP (default 3: on two cores the JIT's compiler threads
# still take turns with training through the third epoch): nabla-train's printed training time (validation and
# checkpoint apart); nabla-cpu-bench's fit epoch, its limit, and the ratio of each epoch to the limit measured
# right after it in the same process.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${FASHION:-/usr/share/datasets/fashion-mnist}
rounds=${1:-4} epochs=${2:-8} warmup=${3:-3}
out=$(mktemp -d)
cd "$root"
. samples/bin/nabla-common.sh
nabla_bench_coretype # as in the other compare scripts
samples/bin/nabla-train --help >/dev/null 2>&1 # builds once, before anything is timed
bench() {
  echo "== bench $1: load $(cut -d' ' -f1-3 /proc/loadavg)"
  samples/bin/nabla-cpu-bench --networks deep --epochs "$epochs" --warmup "$warmup" --json "$out/bench-$1.json" \
      2>&1 | grep -v -E '^WARNING' | grep -E '^  |median'
}
bench 0
for round in $(seq "$rounds"); do
  echo "== train $round: load $(cut -d' ' -f1-3 /proc/loadavg)"
  samples/bin/nabla-train --model deep-mlp --data "$data" --epochs "$epochs" --out "$out/train-$round" \
      2>&1 | tee "$out/train-$round.log" | grep -E '^Epoch'
  bench "$round"
done
python3 - "$out" "$rounds" "$warmup" <<'PY'
import json, re, statistics, sys
out, rounds, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
bench = [json.load(open(f"{out}/bench-{r}.json"))[0] for r in range(rounds + 1)]
print("\n| round | `nabla-train` (fit), training time | GEMM-bound limit before / after | nabla-train ÷ limit "
      "| products and update before / after | nabla-train ÷ them "
      "| `nabla-cpu-bench` (fit) after | its ratio to the limit, same process |")
print("|---|---|---|---|---|---|---|---|")
steady, steady_floor = [], []
for r in range(1, rounds + 1):
    train = [float(t) for t in re.findall(r"^Epoch \d+/\d+ - train ([0-9.]+)s", open(f"{out}/train-{r}.log").read(), re.M)]
    fit = statistics.median(train[min(warmup, len(train) - 1):])
    before, after = bench[r - 1]["gemm_bound_seconds"], bench[r]["gemm_bound_seconds"]
    ratio = fit / ((before + after) / 2)
    floor_before, floor_after = bench[r - 1]["products_and_update_seconds"], bench[r]["products_and_update_seconds"]
    floor_ratio = fit / ((floor_before + floor_after) / 2)
    changed = abs(before - after) > 0.1 * min(before, after)
    if not changed:
        steady.append(ratio)
        steady_floor.append(floor_ratio)
    print(f"| {r} | {fit:.2f} s | {before:.2f} / {after:.2f} s | {ratio:.2f}{' (the machine changed)' if changed else ''} "
          f"| {floor_before:.2f} / {floor_after:.2f} s | {floor_ratio:.2f} "
          f"| {bench[r]['median_epoch_seconds']:.2f} s | {bench[r]['ratio_to_gemm_bound']:.2f} |")
same = [b["ratio_to_gemm_bound"] for b in bench]
print(f"\nnabla-train ÷ limit, rounds where the machine held its speed: "
      + (f"median {statistics.median(steady):.2f} ({', '.join(f'{x:.2f}' for x in steady)})" if steady else "none"))
print(f"nabla-train ÷ products and update, the same rounds: "
      + (f"median {statistics.median(steady_floor):.2f} ({', '.join(f'{x:.2f}' for x in steady_floor)})" if steady_floor else "none"))
print(f"nabla-cpu-bench's fit ÷ limit in the same process, all {len(same)} runs: median {statistics.median(same):.2f} "
      f"({', '.join(f'{x:.2f}' for x in same)})")
PY
echo "(outputs in $out)"

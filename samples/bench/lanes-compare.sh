#!/bin/bash
# What the Vector API flag is worth through fit: each network trained by FitBenchmark in a plain java started
# three ways, alternating, in one run (docs/benchmarks.md, "Lane kernels without the Vector API"):
#   samples/bench/lanes-compare.sh [ROUNDS] [EPOCHS] [NETWORKS] [SAMPLES]
#   vector  java --add-modules jdk.incubator.vector …   (what the launchers start)
#   native  java …                                      (a library user without the flag: the native loops)
#   scalar  java -Dnabla.cpu.lanes=scalar …             (what that user got before the native loops)
# Fashion-MNIST (apt-get install dataset-fashion-mnist; FASHION=DIR for another copy), all 60,000 images or the
# first SAMPLES, batch 128, each network's preset; OpenBLAS's fastest kernels on this CPU, as the launchers set them.
# Figures: FitBenchmark's median epoch (training only, the first epoch left out), then the median of the rounds.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${FASHION:-/usr/share/datasets/fashion-mnist}
rounds=${1:-2} epochs=${2:-3} nets=${3:-"deep-mlp mlp-adam cnn"} samples=${4:-0}
out=$(mktemp -d)
cd "$root"
. samples/bin/nabla-common.sh
nabla_bench_coretype
[ -f samples/target/classpath.txt ] || samples/bin/nabla-train --help >/dev/null
mkdir -p "$out/lib" && cp samples/target/nabla-samples-0.1.0-SNAPSHOT.jar $(tr ':' ' ' < samples/target/classpath.txt) "$out/lib/"
declare -A flags=([vector]="--add-modules jdk.incubator.vector" [native]="" [scalar]="-Dnabla.cpu.lanes=scalar")
for round in $(seq "$rounds"); do
  for net in $nets; do
    for lanes in vector native scalar; do
      echo "== round $round, $net, $lanes: load $(cut -d' ' -f1-3 /proc/loadavg)"
      # shellcheck disable=SC2086
      java ${flags[$lanes]} -cp "$out/lib/*" dev.nabla.samples.bench.FitBenchmark --backend cpu --model "$net" \
          --data "$data" --samples "$samples" --epochs "$epochs" --json "$out/$net-$lanes-$round.json" 2>&1 \
          | grep -E 'median|WARN' || true
    done
  done
done
python3 - "$out" "$rounds" $nets <<'PY'
import json, statistics, sys
out, rounds, nets = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def epoch(net, lanes):
    return statistics.median(json.load(open(f"{out}/{net}-{lanes}-{r}.json"))["median_epoch_seconds"]
                             for r in range(1, rounds + 1))
print("\n| network | with the flag (vector) | without it (native loops) | without, scalar loops "
      "| native ÷ vector | scalar ÷ vector |")
print("|---|---|---|---|---|---|")
for net in nets:
    v, n, s = epoch(net, "vector"), epoch(net, "native"), epoch(net, "scalar")
    print(f"| {net} | {v:.3f} s | {n:.3f} s | {s:.3f} s | {n / v:.2f} | {s / v:.2f} |")
PY

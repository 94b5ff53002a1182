#!/bin/bash
# Nabla, PyTorch and Deeplearning4j train the CNN presets side by side in one run, on 2 threads each
# (docs/benchmarks.md, "CNNs through fit"):
#   samples/bench/cnn-compare.sh [EPOCHS] [DL4J_EPOCHS] [NETWORKS]
# Fashion-MNIST (apt-get install dataset-fashion-mnist; FASHION=DIR for another copy), batch 128, Adam 1e-3.
# PYTHON names a python with torch (default python3). PyTorch runs eager and with torch.compile (which
# needs its Python dependencies: filelock, sympy ≥ 1.13, jinja2, networkx); the faster counts. Steady-state epoch: the median of the epochs after the first (DL4J: of all its epochs,
# as it runs fewer). Peak memory: the process's maximum resident set, from /usr/bin/time.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${FASHION:-/usr/share/datasets/fashion-mnist}
python=${PYTHON:-python3}
epochs=${1:-3} dl4j_epochs=${2:-2} nets=${3:-"lenet cnn"}
out=$(mktemp -d)
cd "$root"
. samples/bench/compare-env.sh # JAVA_OPTS, OPENBLAS_CORETYPE, the jars in $cp, peak
for net in $nets; do
  echo "== $net: load $(cut -d' ' -f1-3 /proc/loadavg)"
  # shellcheck disable=SC2086
  peak "$out/nabla-$net.rss" java $JAVA_OPTS -cp "$cp" dev.nabla.samples.bench.FitBenchmark \
      --backend cpu --model "$net" --data "$data" --epochs "$epochs" --json "$out/nabla-$net.json" 2>&1 | grep -v WARNING
  for mode in eager compile; do
    flag=$([ $mode = compile ] && echo --compile || true)
    peak "$out/torch-$mode-$net.rss" "$python" samples/bench/pytorch_cnn.py --data "$data" --model "$net" \
        --epochs "$epochs" --threads 2 $flag --json "$out/torch-$mode-$net.json" 2>&1 | grep -E '^epoch|^\{|Error' || true
  done
  (cd samples/dl4j-compare && peak "$out/dl4j-$net.rss" env OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE java -jar target/dl4j-compare.jar --epochs "$dl4j_epochs" --networks "$net" \
      --data "$data" 2>&1 | tee "$out/dl4j-$net.log" | grep -E 'epoch|median')
done

python3 - "$out" $nets <<'PY'
import json, os, re, sys
out, nets = sys.argv[1], sys.argv[2:]
def rss(name):
    path = f"{out}/{name}.rss"
    return int(open(path).read().split()[-1]) / 1024 if os.path.exists(path) else float("nan")
def median(name):
    path = f"{out}/{name}.json"
    return json.load(open(path))["median_epoch_seconds"] if os.path.exists(path) else float("nan")
print("\n| network | Nabla (fit) | PyTorch eager | PyTorch compiled | DL4J | Nabla ÷ best PyTorch | Nabla ÷ DL4J |")
print("|---|---|---|---|---|---|---|")
for net in nets:
    nabla, eager, compiled = median(f"nabla-{net}"), median(f"torch-eager-{net}"), median(f"torch-compile-{net}")
    m = re.search(r"median epoch ([0-9.]+) s", open(f"{out}/dl4j-{net}.log").read())
    dl4j = float(m.group(1)) if m else float("nan")
    best = min(t for t in (eager, compiled) if t == t) if (eager == eager or compiled == compiled) else float("nan")
    cell = lambda t, name: f"{t:.2f} s, {rss(name):.0f} MiB" if t == t else "failed (see its output)"
    print(f"| {net} | {cell(nabla, f'nabla-{net}')} | {cell(eager, f'torch-eager-{net}')} | "
          f"{cell(compiled, f'torch-compile-{net}')} | {cell(dl4j, f'dl4j-{net}')} | {nabla / best:.2f} | {nabla / dl4j:.2f} |")
PY
echo "(outputs in $out)"

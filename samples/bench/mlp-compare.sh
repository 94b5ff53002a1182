#!/bin/bash
# Nabla, PyTorch and Deeplearning4j train the MLP presets side by side in one run, on 2 threads each
# (docs/benchmarks.md, "MLPs through fit"):
#   samples/bench/mlp-compare.sh [EPOCHS] [BATCH_SIZES] [WORKLOADS] [WARMUP]
# Defaults: 6 epochs, batch sizes "32 128 1024", workloads "deep shallow", 3 warm-up epochs:
#   deep    = nabla-train's deep-mlp: 784-1024-512-512-10 ReLU, softmax cross-entropy, Adam 1e-4;
#   shallow = nabla-train's mlp-sgd:  784-512 tanh-10 softmax, MSE, SGD 0.01.
# Fashion-MNIST (apt-get install dataset-fashion-mnist; FASHION=DIR for another copy). Each engine trains through
# its public API: Nabla's Sequential.fit (FitBenchmark, with the launchers' JVM flags), PyTorch eager (fused Adam,
# the data set in memory; PYTHON names a python with torch, default python3, and DEBIAN_PYTHON a second one, e.g.
# Debian's python3-torch, run when it imports torch), DL4J M2.1 (OMP_NUM_THREADS=2, passive waits).
# Steady-state epoch: the median of the epochs after the first WARMUP, the same for every engine (on two cores
# Nabla's JIT compiles through the third epoch, the short epochs of the shallow MLP longer). Inference: the 10,000
# test images per second (Nabla and PyTorch in batches of 1024, DL4J in one call). Peak memory: the process's
# maximum resident set, from /usr/bin/time.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${FASHION:-/usr/share/datasets/fashion-mnist}
python=${PYTHON:-python3}
debian_python=${DEBIAN_PYTHON:-}
epochs=${1:-6} batches=${2:-"32 128 1024"} workloads=${3:-"deep shallow"} warmup=${4:-3}
out=$(mktemp -d)
cd "$root"
. samples/bench/compare-env.sh # JAVA_OPTS, OPENBLAS_CORETYPE, the jars in $cp, peak
torch_args() { # WORKLOAD: pytorch_mlp.py's network options
  case $1 in
    deep) echo "--sizes 784,1024,512,512,10 --activation relu --loss ce --optimizer adam --lr 1e-4" ;;
    shallow) echo "--sizes 784,512,10 --activation tanh --loss mse --optimizer sgd --lr 0.01" ;;
  esac
}
preset() { case $1 in deep) echo deep-mlp ;; shallow) echo mlp-sgd ;; esac; }
dl4j_network() { case $1 in deep) echo deep ;; shallow) echo sgd ;; esac; }

for work in $workloads; do
  for batch in $batches; do
    tag="$work-$batch"
    echo "== $tag: load $(cut -d' ' -f1-3 /proc/loadavg)"
    # shellcheck disable=SC2086
    peak "$out/nabla-$tag.rss" java $JAVA_OPTS -cp "$cp" dev.nabla.samples.bench.FitBenchmark --backend cpu \
        --model "$(preset "$work")" --data "$data" --epochs "$epochs" --batch-size "$batch" \
        --json "$out/nabla-$tag.json" 2>&1 | grep -E '^epoch|^predict|^test'
    for side in wheel debian; do
      py=$([ $side = wheel ] && echo "$python" || echo "$debian_python")
      [ -n "$py" ] && "$py" -c 'import torch' 2>/dev/null || continue
      # shellcheck disable=SC2046
      peak "$out/torch-$side-$tag.rss" "$py" samples/bench/pytorch_mlp.py --data "$data" --epochs "$epochs" \
          --batch-size "$batch" --threads 2 $(torch_args "$work") --json "$out/torch-$side-$tag.json" 2>&1 \
          | grep -E '^epoch|Error' || true
    done
    (cd samples/dl4j-compare && peak "$out/dl4j-$tag.rss" env OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE \
        java -jar target/dl4j-compare.jar --epochs "$epochs" --networks "$(dl4j_network "$work")" --batch-size "$batch" \
        --data "$data" 2>&1 | tee "$out/dl4j-$tag.log" | grep -E 'median')
  done
done

python3 - "$out" "$workloads" "$batches" "$warmup" <<'PY'
import json, os, re, statistics, sys
out, workloads, batches, warmup = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), int(sys.argv[4])
nan = float("nan")
def rss(name):
    path = f"{out}/{name}.rss"
    return int(open(path).read().split()[-1]) / 1024 if os.path.exists(path) else nan
def result(name):
    path = f"{out}/{name}.json"
    return json.load(open(path)) if os.path.exists(path) else {}
def dl4j(tag):
    text = open(f"{out}/dl4j-{tag}.log").read() if os.path.exists(f"{out}/dl4j-{tag}.log") else ""
    m = re.search(r"^\[(\{.*\})\]", text, re.M | re.S)
    return json.loads(m.group(1)) if m else {}
def steady(r):
    times = r.get("epoch_seconds") or []
    return statistics.median(times[min(warmup, len(times) - 1):]) if times else nan
def cell(r, name):
    t = steady(r)
    p = r.get("predict_samples_per_second") or nan
    return f"{t:.2f} s, {p / 1000:.0f}k/s, {rss(name):.0f} MiB" if t == t else "—"
versions = {side: result(f"torch-{side}-{workloads[0]}-{batches[0]}").get("engine", "") for side in ("wheel", "debian")}
print(f"\nPyTorch: wheel {versions['wheel'] or 'not run'}; Debian {versions['debian'] or 'not run'}")
print(f"Steady-state epoch: the median of each engine's epochs {warmup + 1} to the last")
print("\n| workload | batch | Nabla | PyTorch (wheel) | PyTorch (Debian) | DL4J | fastest PyTorch ÷ Nabla | DL4J ÷ Nabla |")
print("|---|---|---|---|---|---|---|---|")
for work in workloads:
    for batch in batches:
        tag = f"{work}-{batch}"
        nabla, wheel, debian, dl = result(f"nabla-{tag}"), result(f"torch-wheel-{tag}"), result(f"torch-debian-{tag}"), dl4j(tag)
        n = steady(nabla)
        torch_best = min([steady(r) for r in (wheel, debian) if r.get("epoch_seconds")] or [nan])
        d = steady(dl)
        print(f"| {work} | {batch} | {cell(nabla, f'nabla-{tag}')} | {cell(wheel, f'torch-wheel-{tag}')} | "
              f"{cell(debian, f'torch-debian-{tag}')} | {cell(dl, f'dl4j-{tag}')} | {torch_best / n:.2f} | {d / n:.2f} |")
PY
echo "(outputs in $out)"

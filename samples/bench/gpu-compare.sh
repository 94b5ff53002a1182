#!/bin/bash
# The deep MLP (nabla-train's deep-mlp: 784-1024-512-512-10 ReLU, softmax cross-entropy, Adam 1e-4, eps 1e-7,
# Glorot-uniform weights, zero biases) on one GPU, in one run: Nabla through Sequential.fit (FitBenchmark, the
# public API) beside PyTorch at its best (samples/bench/pytorch_mlp.py), alternating engine by engine for each
# batch size, then a markdown table of the median epochs and ratios (docs/benchmarks.md, "Deep MLP through fit"):
#   samples/bench/gpu-compare.sh [BATCH_SIZES]            (default "32 128 1024")
#   MODEL=cnn samples/bench/gpu-compare.sh 128            (a CNN preset instead; see MODEL below)
# Nabla columns: fit as it runs by default, and fit with its graph capture (-Dnabla.graphCapture=true; opt-in until
# it has run on a GPU). Both keep the training set on the device and gather each batch there.
# PyTorch columns, all with the whole training set resident on the GPU and a GPU randperm per epoch:
#   eager   each batch an index_select on the GPU, Adam(fused=True), no host read inside the epoch;
#   graph   the whole step (gather, forward, backward, fused capturable Adam) captured once as a CUDA graph and
#           replayed per step, the last partial batch eager;
#   compile torch.compile(mode="reduce-overhead") of the step; "unavailable" where Inductor cannot run.
# Timing on both sides: the device synchronized at each epoch's end, epoch 1 left out, median of the others.
# Data: Fashion-MNIST where installed (FASHION=DIR, default /usr/share/datasets/fashion-mnist), else the 8,000
# embedded MNIST digits; either way tiled to SAMPLES (default 60,000) training samples; same files for both.
# Environment:
#   MODEL               the network, the same for both engines: deep-mlp (default; PyTorch: pytorch_mlp.py), or
#                       FitBenchmark's CNN presets cnn or lenet (Adam 1e-3, eps 1e-7; PyTorch: pytorch_cnn.py
#                       --model MODEL, the same modes). Its outputs carry the model in their names
#                       (nabla-cnn-128.json, compare-cnn.md, …) and OUT defaults to gpu-out/compare-MODEL, so that
#                       runs of different models never overwrite each other;
#   GPU_COMPARE_DEVICE  cuda (default): Nabla from the bundle (BUNDLE, default dist/nabla-gpu; bin/nabla) with
#                       --backend cuda, PyTorch with --device cuda;
#                       cpu: a test of this script on any machine: Nabla from the local build
#                       (samples/target/classes and classpath.txt) with --backend cpu, PyTorch --device cpu
#   EPOCHS (5), SAMPLES (60000), MODES ("eager graph compile"; on cpu "eager compile"), PYTHON (python3),
#   OUT (folder for logs, JSON and compare.md; default gpu-out/compare, for a CNN gpu-out/compare-MODEL),
#   TIMEOUT (seconds per run, 300), TORCH_THREADS (torch.set_num_threads; default torch's).
# Exit status: 0 when every Nabla and PyTorch eager run gave a result, else 1.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
device=${GPU_COMPARE_DEVICE:-cuda}
model=${MODEL:-deep-mlp}
case $model in # the PyTorch twin, its model option, the modes it has, the tag in the output names
  deep-mlp) torch_script=samples/bench/pytorch_mlp.py; torch_model=(); torch_modes="host eager graph compile"; tag="" ;;
  cnn|lenet) torch_script=samples/bench/pytorch_cnn.py; torch_model=(--model "$model")
             torch_modes="host eager graph compile"; tag="-$model" ;;
  *) echo "gpu-compare.sh: MODEL=$model: expected deep-mlp, cnn or lenet" >&2; exit 2 ;;
esac
batches=${1:-"32 128 1024"}
epochs=${EPOCHS:-5}
samples=${SAMPLES:-60000}
python=${PYTHON:-python3}
bundle=${BUNDLE:-dist/nabla-gpu}
out=${OUT:-gpu-out/compare$tag}
limit=${TIMEOUT:-300}
fashion=${FASHION:-/usr/share/datasets/fashion-mnist}
case $device in
  cuda) backend=cuda; modes=${MODES:-"eager graph compile"} ;;
  cpu) backend=cpu; modes=${MODES:-"eager compile"} ;;
  *) echo "gpu-compare.sh: GPU_COMPARE_DEVICE=$device: expected cuda or cpu" >&2; exit 2 ;;
esac
mkdir -p "$out"
log() { echo "== $(date +%T) $*" | tee -a "$out/compare$tag.log"; }

# Nabla: the bundle on a GPU node, the local build in the cpu test
if [ "$device" = cuda ]; then
  [ -x "$bundle/bin/nabla" ] || chmod +x "$bundle"/bin/* "$bundle"/runtime/bin/* "$bundle"/runtime/lib/jspawnhelper 2>/dev/null
  [ -x "$bundle/bin/nabla" ] || { echo "gpu-compare.sh: no bundle at $bundle (samples/bin/nabla-bundle; BUNDLE=DIR)" >&2; exit 2; }
  nabla=("$bundle/bin/nabla")
  nabla_version=$(tr '\n' ' ' < "$bundle/.nabla-bundle" 2>/dev/null || echo "bundle $bundle")
else
  [ -f samples/target/classpath.txt ] || { echo "gpu-compare.sh: build the samples first: ./mvnw -q -B -o -pl samples -am" \
      "-DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime" >&2; exit 2; }
  NABLA_CLASSPATH="$root/samples/target/classes:$(cat samples/target/classpath.txt)"
  export NABLA_CLASSPATH
  # the launchers' way (samples/bin/nabla-common.sh: JVM flags, signal chaining); $0 locates the repository
  nabla=(sh -c '. samples/bin/nabla-common.sh && nabla_run "$@"' "$0")
  nabla_version="local build, commit $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet 2>/dev/null || echo ' (uncommitted changes)')"
fi

# the same files for both engines
if [ -f "$fashion/train-images-idx3-ubyte.gz" ] || [ -f "$fashion/train-images-idx3-ubyte" ]; then
  data="Fashion-MNIST ($fashion)"
  nabla_data=(--data "$fashion")
  torch_data=(--data "$fashion")
else
  data="the embedded MNIST digits (8,000 training, 2,000 test)"
  digits=samples/src/main/resources/dev/nabla/samples/data
  nabla_data=() # FitBenchmark without --data and without Fashion-MNIST: the embedded digits
  torch_data=(--data "$digits" --train-prefix digits-train --test-prefix digits-test)
fi
torch_threads=()
[ -n "${TORCH_THREADS:-}" ] && torch_threads=(--threads "$TORCH_THREADS")

{
  if [ "$device" = cuda ]; then
    echo "gpu: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -1)"
  else
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
  fi
  echo "torch: $("$python" -c 'import torch; print(torch.__version__, "CUDA", torch.version.cuda)' 2>&1 | tail -1)"
  echo "nabla: $nabla_version"
  echo "model: $model (Nabla FitBenchmark --model $model, PyTorch $(basename "$torch_script"))"
  echo "data: $data, tiled to $samples samples; $epochs epochs; batches $batches"
} | tee "$out/versions$tag.txt"

status=0
for batch in $batches; do
  for nabla_mode in eager graph; do # graph: fit's graph capture, opt-in until it has run on a GPU (docs/cuda.md)
    name=nabla$tag-$batch; opts=""
    [ $nabla_mode = graph ] && name=nabla-graph$tag-$batch && opts="-Dnabla.graphCapture=true"
    log "Nabla fit ($nabla_mode), batch $batch"
    JAVA_OPTS="$opts ${JAVA_OPTS:-}" timeout "$limit" "${nabla[@]}" dev.nabla.samples.bench.FitBenchmark \
        --backend "$backend" --model "$model" "${nabla_data[@]}" --samples "$samples" --epochs "$epochs" \
        --batch-size "$batch" --json "$out/$name.json" > "$out/$name.log" 2>&1
    rc=$?
    grep -E '^epoch|^test|^predict|FitBenchmark:' "$out/$name.log" | tee -a "$out/compare$tag.log"
    [ $rc -eq 0 ] || { echo "Nabla ($nabla_mode) exit $rc (log: $out/$name.log)" | tee -a "$out/compare$tag.log"; status=1; }
  done
  for mode in $modes; do
    name=torch-$mode$tag-$batch
    rm -f "$out/$name.json" "$out/$name.unavailable"
    case " $torch_modes " in
      *" $mode "*) ;;
      *) log "PyTorch $mode: unavailable for $model ($(basename "$torch_script") has no such mode)"
         echo "unavailable" > "$out/$name.unavailable"; continue ;;
    esac
    log "PyTorch $mode, batch $batch"
    PYTHONUNBUFFERED=1 timeout "$limit" "$python" "$torch_script" "${torch_model[@]}" --device "$device" --mode "$mode" \
        "${torch_data[@]}" --samples "$samples" --epochs "$epochs" --batch-size "$batch" "${torch_threads[@]}" \
        --json "$out/$name.json" > "$out/$name.log" 2>&1
    rc=$?
    grep -E '^epoch|^note|^pytorch_(mlp|cnn)' "$out/$name.log" | tee -a "$out/compare$tag.log"
    if [ $rc -eq 3 ]; then
      echo "unavailable" > "$out/$name.unavailable"
    elif [ $rc -ne 0 ]; then
      echo "PyTorch $mode exit $rc (log: $out/$name.log)" | tee -a "$out/compare$tag.log"
      tail -3 "$out/$name.log" | tee -a "$out/compare$tag.log"
      [ "$mode" = eager ] && status=1
    fi
  done
done

python3 - "$out" "$batches" "$modes" "$device" "$model" "$tag" <<'PY' | tee "$out/compare$tag.md"
import json, os, sys
out, batches, modes, device, model, tag = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), sys.argv[4], sys.argv[5], sys.argv[6]
nan = float("nan")
def result(name):
    path = f"{out}/{name}.json"
    return json.load(open(path)) if os.path.exists(path) else {}
def median(r):
    return r.get("median_epoch_seconds", nan)
def cell(name):
    r = result(name)
    if median(r) == median(r):
        return f"{median(r):.3f}"
    return "unavailable" if os.path.exists(f"{out}/{name}.unavailable") else "failed"
def acc(r):
    a = r.get("test_accuracy")
    return f"{100 * a:.2f} %" if a is not None else "—"
titles = {"host": "PyTorch host", "eager": "PyTorch eager", "graph": "PyTorch graph", "compile": "PyTorch compile"}
print(open(f"{out}/versions{tag}.txt").read().strip().replace("\n", "  \n"))
print()
head = f"| {model}, batch | Nabla fit s/epoch | Nabla fit, graph s/epoch | " + \
    " | ".join(f"{titles[m]} s/epoch" for m in modes) + " | " + \
    " | ".join(f"{titles[m].split()[1]} ÷ Nabla" for m in modes) + \
    (" | graph ÷ Nabla graph" if "graph" in modes else "") + " | Nabla samples/s | test acc. Nabla / " + \
    " / ".join(m for m in modes) + " |"
print(head)
print("|" + "---:|" * (head.count("|") - 1))
for b in batches:
    n = result(f"nabla{tag}-{b}")
    t = median(n)
    torch = {m: result(f"torch-{m}{tag}-{b}") for m in modes}
    ratios = [f"**{median(torch[m]) / t:.2f}**" if median(torch[m]) == median(torch[m]) and t == t else "—"
              for m in modes]
    g = median(result(f"nabla-graph{tag}-{b}"))
    if "graph" in modes:
        tg = median(torch["graph"])
        ratios.append(f"**{tg / g:.2f}**" if tg == tg and g == g else "—")
    print(f"| {b} | {cell(f'nabla{tag}-{b}')} | {cell(f'nabla-graph{tag}-{b}')} | "
          + " | ".join(cell(f"torch-{m}{tag}-{b}") for m in modes) + " | "
          + " | ".join(ratios) + (f" | {n['samples_per_second']:,.0f} | " if 'samples_per_second' in n else " | — | ")
          + " / ".join([acc(n)] + [acc(torch[m]) for m in modes]) + " |")
engines = {r.get("adam") for m in modes for b in batches for r in [result(f"torch-{m}{tag}-{b}")] if r}
print(f"\nRatios above 1: Nabla is faster. Median epoch over epochs 2 onwards; device {device}. "
      f"PyTorch's Adam: {', '.join(sorted(e for e in engines if e)) or '—'}.")
PY
echo "(logs, JSON and compare$tag.md in $out)"
exit $status

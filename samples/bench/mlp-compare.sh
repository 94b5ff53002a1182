#!/bin/bash
# Nabla, PyTorch and Deeplearning4j train the MLP presets side by side in one run, on 2 threads each
# (docs/benchmarks.md, "MLPs through fit"):
#   samples/bench/mlp-compare.sh [EPOCHS] [BATCH_SIZES] [WORKLOADS] [WARMUP] [ROUNDS]
# Defaults: 6 epochs, batch sizes "32 128 1024", workloads "deep shallow", 3 warm-up epochs, 3 rounds:
#   deep    = nabla-train's deep-mlp: 784-1024-512-512-10 ReLU, softmax cross-entropy, Adam 1e-4;
#   shallow = nabla-train's mlp-sgd:  784-512 tanh-10 softmax, MSE, SGD 0.01.
# Fashion-MNIST (apt-get install dataset-fashion-mnist; FASHION=DIR for another copy). Each engine trains through
# its public API: Nabla's Sequential.fit (FitBenchmark, with the launchers' JVM flags); PyTorch eager (fused Adam,
# the data set in memory) and, from the same python, with the step compiled by torch.compile (pytorch_mlp.py --mode
# compile; where Inductor cannot run, it says so and is left out); PYTHON names a python with torch, default python3,
# and DEBIAN_PYTHON a second one, e.g. Debian's python3-torch, run eager when it imports torch; DL4J M2.1
# (OMP_NUM_THREADS=2, passive waits).
# Steady-state epoch: the median of the epochs after the first WARMUP, the same for every engine (on two cores
# Nabla's JIT compiles through the third epoch, the short epochs of the shallow MLP longer). Inference: the 10,000
# test images per second (Nabla and PyTorch in batches of 1024, DL4J in one call). Peak memory: the process's
# maximum resident set, from /usr/bin/time.
# Rounds: the machines these run on are shared, and their speed drifts by a third within minutes and by a fifth
# between seconds, so each cell runs ROUNDS times, and in each Nabla and PyTorch run side by side taking turns of
# TURN_SAMPLES training samples (default 6,000, a tenth of an epoch; samples/bench/turns.sh), so that both
# engines' epochs are spread over the same seconds. The first round pairs Nabla with the wheel eager and then runs
# the wheel compiled, Debian's PyTorch and DL4J on their own; the later ones only Nabla and the PyTorch that was
# fastest in the first (the others are far behind; PYTORCH=wheel, compiled or debian pairs Nabla with that one in
# every round). A ratio is taken within each round,
# and the table gives the median of those ratios and their range; each engine's cell, the median of its rounds'
# steady-state epochs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${FASHION:-/usr/share/datasets/fashion-mnist}
python=${PYTHON:-python3}
debian_python=${DEBIAN_PYTHON:-}
epochs=${1:-6} batches=${2:-"32 128 1024"} workloads=${3:-"deep shallow"} warmup=${4:-3} rounds=${5:-3}
turn_samples=${TURN_SAMPLES:-6000}
out=$(mktemp -d)
cd "$root"
. samples/bench/compare-env.sh # JAVA_OPTS, OPENBLAS_CORETYPE, the jars in $cp, peak
. samples/bench/turns.sh # in_turns
torch_args() { # WORKLOAD: pytorch_mlp.py's network options
  case $1 in
    deep) echo "--sizes 784,1024,512,512,10 --activation relu --loss ce --optimizer adam --lr 1e-4" ;;
    shallow) echo "--sizes 784,512,10 --activation tanh --loss mse --optimizer sgd --lr 0.01" ;;
  esac
}
preset() { case $1 in deep) echo deep-mlp ;; shallow) echo mlp-sgd ;; esac; }
dl4j_network() { case $1 in deep) echo deep ;; shallow) echo sgd ;; esac; }

steady() { # JSON FILE: its steady-state epoch in seconds, or nothing when it has none
  [ -f "$1" ] || return 0
  python3 -c 'import json, statistics, sys
t = json.load(open(sys.argv[1])).get("epoch_seconds") or []
print(statistics.median(t[min(int(sys.argv[2]), len(t) - 1):]) if t else "")' "$1" "$warmup"
}

importable() { # SIDE: whether that PyTorch is there
  local py; py=$(side_python "$1")
  [ -n "$py" ] && "$py" -c 'import torch' 2>/dev/null
}
side_python() { [ "$1" = debian ] && echo "$debian_python" || echo "$python"; } # wheel, compiled (the wheel) or debian
nabla() { # ROUND_TAG [MORE FitBenchmark OPTIONS]
  local rt=$1; shift
  # shellcheck disable=SC2086
  peak "$out/nabla-$rt.rss" java $JAVA_OPTS -cp "$cp" dev.nabla.samples.bench.FitBenchmark --backend cpu \
      --model "$(preset "$work")" --data "$data" --epochs "$epochs" --batch-size "$batch" \
      --json "$out/nabla-$rt.json" "$@" 2>&1 | grep --line-buffered -E '^epoch|^predict|^test|FitBenchmark:' | sed -u 's/^/  nabla: /'
}
torch() { # SIDE ROUND_TAG [MORE pytorch_mlp.py OPTIONS]
  local side=$1 rt=$2; shift 2
  [ "$side" = compiled ] && set -- --mode compile "$@"
  # shellcheck disable=SC2046
  peak "$out/torch-$side-$rt.rss" "$(side_python "$side")" samples/bench/pytorch_mlp.py --data "$data" \
      --epochs "$epochs" --batch-size "$batch" --threads 2 $(torch_args "$work") --json "$out/torch-$side-$rt.json" \
      "$@" 2>&1 | grep --line-buffered -E '^epoch|Error|pytorch_mlp.py:' | sed -u "s/^/  torch ($side): /" || true
}

for work in $workloads; do
  for batch in $batches; do
    tag="$work-$batch"
    pair=${PYTORCH:-$(importable wheel && echo wheel || { importable debian && echo debian; } || true)}
    for round in $(seq "$rounds"); do
      rt="$tag-r$round"
      echo "== $tag, round $round of $rounds: load $(cut -d' ' -f1-3 /proc/loadavg)"
      if [ -n "$pair" ]; then # Nabla and that PyTorch side by side, turns of TURN_SAMPLES, Nabla first
        in_turns "$out/turns-$rt" $(( turn_samples / batch > 0 ? turn_samples / batch : 1 )) \
            nabla "$rt" -- torch "$pair" "$rt"
      else
        nabla "$rt"
      fi
      if [ "$round" = 1 ]; then
        for side in compiled wheel debian; do # the other PyTorch runs on their own, to find the fastest
          if [ "$side" != "$pair" ] && importable "$side"; then torch "$side" "$rt"; fi
        done
        (cd samples/dl4j-compare && peak "$out/dl4j-$tag.rss" env OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE \
            java -jar target/dl4j-compare.jar --epochs "$epochs" --networks "$(dl4j_network "$work")" --batch-size "$batch" \
            --data "$data" 2>&1 | tee "$out/dl4j-$tag.log" | grep -E 'median')
        fastest=
        for side in wheel compiled debian; do
          t=$(steady "$out/torch-$side-$rt.json")
          if [ -n "$t" ] && { [ -z "$fastest" ] || python3 -c "import sys; sys.exit(not $t < $fastest)"; }; then
            fastest=$t
            [ -n "${PYTORCH:-}" ] || pair=$side
          fi
        done
      fi
    done
  done
done

python3 - "$out" "$workloads" "$batches" "$warmup" "$rounds" <<'PY'
import json, os, re, statistics, sys
out, workloads, batches, warmup, rounds = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), int(sys.argv[4]), int(sys.argv[5])
nan = float("nan")
SIDES = ("wheel", "compiled", "debian")  # PyTorch: the wheel eager, the wheel with torch.compile, Debian's
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
def median(xs):
    xs = [x for x in xs if x == x]
    return statistics.median(xs) if xs else nan
def engine(name, tag):
    """An engine's cell over the rounds it ran: median steady epoch, median inference, peak memory (the largest)."""
    runs = [(result(f"{name}-{tag}-r{r}"), f"{name}-{tag}-r{r}") for r in range(1, rounds + 1)]
    runs = [(r, n) for r, n in runs if r.get("epoch_seconds")]
    if not runs:
        return nan, "—"
    t = median([steady(r) for r, _ in runs])
    p = median([r.get("predict_samples_per_second") or nan for r, _ in runs])
    return t, f"{t:.2f} s, {p / 1000:.0f}k/s, {max(rss(n) for _, n in runs):.0f} MiB" + (f" ({len(runs)})" if rounds > 1 else "")
def ratios(tag):
    """Fastest PyTorch ÷ Nabla within each round."""
    out = []
    for r in range(1, rounds + 1):
        n = steady(result(f"nabla-{tag}-r{r}"))
        t = min([steady(x) for x in (result(f"torch-{side}-{tag}-r{r}") for side in SIDES) if x.get("epoch_seconds")] or [nan])
        if n == n and t == t:
            out.append(t / n)
    return out
versions = {side: result(f"torch-{side}-{workloads[0]}-{batches[0]}-r1").get("engine", "") for side in ("wheel", "debian")}
print(f"\nPyTorch: wheel {versions['wheel'] or 'not run'}; Debian {versions['debian'] or 'not run'}")
print(f"Steady-state epoch: the median of each engine's epochs {warmup + 1} to the last; {rounds} round(s) a cell"
      " (in brackets: the rounds an engine ran)")
print("\n| workload | batch | Nabla | PyTorch (wheel) | PyTorch (wheel, torch.compile) | PyTorch (Debian) | DL4J | fastest PyTorch ÷ Nabla, median of rounds (range) | DL4J ÷ Nabla |")
print("|---|---|---|---|---|---|---|---|---|")
for work in workloads:
    for batch in batches:
        tag = f"{work}-{batch}"
        n, nabla = engine("nabla", tag)
        _, wheel = engine("torch-wheel", tag)
        _, compiled = engine("torch-compiled", tag)
        _, debian = engine("torch-debian", tag)
        dl = dl4j(tag)
        d = steady(dl)
        dcell = f"{d:.2f} s, {(dl.get('predict_samples_per_second') or nan) / 1000:.0f}k/s, {rss(f'dl4j-{tag}'):.0f} MiB" if d == d else "—"
        rs = ratios(tag)
        rcell = f"{median(rs):.2f} ({min(rs):.2f}–{max(rs):.2f})" if len(rs) > 1 else (f"{rs[0]:.2f}" if rs else "—")
        print(f"| {work} | {batch} | {nabla} | {wheel} | {compiled} | {debian} | {dcell} | {rcell} | {d / n:.2f} |")
PY
echo "(outputs in $out)"

#!/bin/bash
# Nabla, PyTorch and Deeplearning4j train the CNN presets side by side in one run, on 2 threads each
# (docs/benchmarks.md, "CNNs through fit"):
#   samples/bench/cnn-compare.sh [EPOCHS] [DL4J_EPOCHS] [NETWORKS] [ROUNDS]
# Defaults: 3 epochs, 1 for DL4J, networks "lenet cnn", 3 rounds. Fashion-MNIST (apt-get install
# dataset-fashion-mnist; FASHION=DIR for another copy), batch 128, Adam 1e-3. PYTHON names a python with torch
# (default python3). PyTorch runs eager (the data set resident, channels_last, fused Adam) and with torch.compile
# (which needs its Python dependencies: filelock, sympy ≥ 1.13, jinja2, networkx); the faster counts.
# Each network runs ROUNDS times. In each, Nabla's fit (FitBenchmark, with the launchers' JVM flags) and PyTorch
# run side by side taking turns of TURN_SAMPLES training samples (default 6,000; samples/bench/turns.sh), so that
# both engines' epochs are spread over the same seconds of a machine whose speed drifts. The first round then
# runs PyTorch compiled and DL4J on their own, and the later rounds pair Nabla with whichever PyTorch was faster
# in the first. A ratio is taken within each round; the table gives their median and range. Steady-state epoch:
# the median of the epochs after the first (DL4J: of all its epochs, as it runs fewer). Peak memory: the
# process's maximum resident set, from /usr/bin/time.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${FASHION:-/usr/share/datasets/fashion-mnist}
python=${PYTHON:-python3}
epochs=${1:-3} dl4j_epochs=${2:-1} nets=${3:-"lenet cnn"} rounds=${4:-3}
batch=128 turn_samples=${TURN_SAMPLES:-6000}
out=$(mktemp -d)
cd "$root"
. samples/bench/compare-env.sh # JAVA_OPTS, OPENBLAS_CORETYPE, the jars in $cp, peak
. samples/bench/turns.sh # in_turns

nabla() { # ROUND_TAG [MORE FitBenchmark OPTIONS]
  local rt=$1; shift
  # shellcheck disable=SC2086
  peak "$out/nabla-$rt.rss" java $JAVA_OPTS -cp "$cp" dev.nabla.samples.bench.FitBenchmark --backend cpu \
      --model "$net" --data "$data" --epochs "$epochs" --batch-size "$batch" --json "$out/nabla-$rt.json" "$@" 2>&1 \
      | grep --line-buffered -E '^epoch|^test|FitBenchmark:' | sed -u 's/^/  nabla: /'
}
torch() { # MODE ROUND_TAG [MORE pytorch_cnn.py OPTIONS]: MODE eager or compile
  local mode=$1 rt=$2; shift 2
  local flag=(); [ "$mode" = compile ] && flag=(--compile)
  peak "$out/torch-$mode-$rt.rss" "$python" samples/bench/pytorch_cnn.py --data "$data" --model "$net" \
      --epochs "$epochs" --batch-size "$batch" --threads 2 "${flag[@]}" --json "$out/torch-$mode-$rt.json" "$@" 2>&1 \
      | grep --line-buffered -E '^epoch|Error|pytorch_cnn.py:' | sed -u "s/^/  torch ($mode): /" || true
}
steady() { # JSON FILE: its steady-state epoch in seconds, or nothing when it has none
  [ -f "$1" ] || return 0
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("median_epoch_seconds") or "")' "$1"
}

have_torch=$("$python" -c 'import torch' 2>/dev/null && echo yes || true)
for net in $nets; do
  pair=eager
  for round in $(seq "$rounds"); do
    rt="$net-r$round"
    echo "== $net, round $round of $rounds: load $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ -n "$have_torch" ]; then
      in_turns "$out/turns-$rt" $(( turn_samples / batch )) nabla "$rt" -- torch "$pair" "$rt"
    else
      nabla "$rt" # no PyTorch here: Nabla on its own
    fi
    if [ "$round" = 1 ]; then
      torch compile "$rt" # on its own: where it runs and beats eager, the later rounds pair Nabla with it
      eager=$(steady "$out/torch-eager-$rt.json") compiled=$(steady "$out/torch-compile-$rt.json")
      if [ -n "$compiled" ] && { [ -z "$eager" ] || python3 -c "import sys; sys.exit(not $compiled < $eager)"; }; then
        pair=compile
      fi
      (cd samples/dl4j-compare && peak "$out/dl4j-$net.rss" env OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE \
          java -jar target/dl4j-compare.jar --epochs "$dl4j_epochs" --networks "$net" --data "$data" 2>&1 \
          | tee "$out/dl4j-$net.log" | grep -E 'epoch|median')
    fi
  done
done

python3 - "$out" "$rounds" $nets <<'PY'
import json, os, re, statistics, sys
out, rounds, nets = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
nan = float("nan")
def result(name):
    path = f"{out}/{name}.json"
    return json.load(open(path)) if os.path.exists(path) else {}
def rss(name):
    path = f"{out}/{name}.rss"
    return int(open(path).read().split()[-1]) / 1024 if os.path.exists(path) else nan
def median(xs):
    xs = [x for x in xs if x == x]
    return statistics.median(xs) if xs else nan
def engine(name, net):
    """An engine's cell over the rounds it ran: the median of their steady epochs, the largest peak memory."""
    names = [f"{name}-{net}-r{r}" for r in range(1, rounds + 1) if result(f"{name}-{net}-r{r}").get("epoch_seconds")]
    if not names:
        return nan, "failed or not run (see its output)"
    t = median([result(n)["median_epoch_seconds"] for n in names])
    return t, f"{t:.2f} s, {max(rss(n) for n in names):.0f} MiB ({len(names)})"
def ratios(net):
    """Nabla ÷ the fastest PyTorch, within each round."""
    out = []
    for r in range(1, rounds + 1):
        n = result(f"nabla-{net}-r{r}").get("median_epoch_seconds") or nan
        t = min([x["median_epoch_seconds"] for x in (result(f"torch-eager-{net}-r{r}"), result(f"torch-compile-{net}-r{r}"))
                 if x.get("median_epoch_seconds")] or [nan])
        if n == n and t == t:
            out.append(n / t)
    return out
print(f"\nPyTorch: {result(f'torch-eager-{nets[0]}-r1').get('engine', 'not run')}; steady-state epoch: the median of"
      f" the epochs after the first; {rounds} round(s) a network (in brackets: the rounds an engine ran)")
print("\n| network | Nabla (fit) | PyTorch eager | PyTorch compiled | DL4J | Nabla ÷ fastest PyTorch, median of rounds (range) | DL4J ÷ Nabla |")
print("|---|---|---|---|---|---|---|")
for net in nets:
    n, nabla = engine("nabla", net)
    _, eager = engine("torch-eager", net)
    _, compiled = engine("torch-compile", net)
    m = re.search(r"median epoch ([0-9.]+) s", open(f"{out}/dl4j-{net}.log").read()) if os.path.exists(f"{out}/dl4j-{net}.log") else None
    d = float(m.group(1)) if m else nan
    dl4j = f"{d:.2f} s, {rss(f'dl4j-{net}'):.0f} MiB" if d == d else "failed (see its output)"
    rs = ratios(net)
    cell = f"{median(rs):.2f} ({min(rs):.2f}–{max(rs):.2f})" if len(rs) > 1 else (f"{rs[0]:.2f}" if rs else "—")
    print(f"| {net} | {nabla} | {eager} | {compiled} | {dl4j} | {cell} | {d / n:.2f} |")
PY
echo "(outputs in $out)"

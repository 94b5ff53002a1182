#!/bin/bash
# Checks a change for slowdowns: runs an old and a new checkout alternately on this machine and
# prints one line per run (the rows of docs/benchmarks.md "Regression checks").
#   samples/bench/regression-check.sh OLD_CHECKOUT NEW_CHECKOUT [mlp-rounds] [opencl-rounds]
# Each checkout must be built first:
#   ./mvnw -q -B -pl samples -am -DskipTests package dependency:build-classpath \
#       -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime
set -euo pipefail
old=$(realpath "$1") new=$(realpath "$2") mlp_rounds=${3:-3} ocl_rounds=${4:-3}
reports=$(mktemp -d)

for round in $(seq "$mlp_rounds"); do
  for gemm in blas vector; do
    for tree in "$old" "$new"; do
      cp="$tree/samples/target/nabla-samples-0.1.0-SNAPSHOT.jar:$(cat "$tree/samples/target/classpath.txt")"
      line=$(java --add-modules jdk.incubator.vector -Dnabla.cpu.gemm=$gemm -cp "$cp" \
          dev.nabla.samples.bench.FitBenchmark --backend cpu --model deep-mlp --epochs 3 --samples 12800 2>&1 |
        grep -o '"median_epoch_seconds": [0-9.]*' || echo "failed")
      echo "deep-mlp round=$round gemm=$gemm tree=$tree $line"
    done
  done
done

for round in $(seq "$ocl_rounds"); do
  for tree in "$old" "$new"; do
    (cd "$tree" && ./mvnw -B -o -q -pl backend-opencl -am test -Dtest='OpenClConformanceTest*' \
        -Dsurefire.failIfNoSpecifiedTests=false >/dev/null)
    mkdir -p "$reports/$round/$(basename "$tree")"
    cp "$tree"/backend-opencl/target/surefire-reports/TEST-*.xml "$reports/$round/$(basename "$tree")/"
  done
done

# The suite's time over the tests both checkouts ran (new checks would otherwise count as slowdown).
python3 - "$reports" "$(basename "$old")" "$(basename "$new")" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
root, old, new = sys.argv[1:]
def times(folder):
    return {(c.get('classname'), c.get('name')): float(c.get('time'))
            for f in glob.glob(folder + '/TEST-*.xml') for c in ET.parse(f).getroot().iter('testcase')
            if c.find('skipped') is None}
runs = {t: [times(d) for d in sorted(glob.glob(f'{root}/*/{t}'))] for t in (old, new)}
common = set.intersection(*(set(r) for rs in runs.values() for r in rs))
for tree, rs in runs.items():
    print(f'opencl-conformance tree={tree} common {len(common)} tests:',
          ' '.join(f'{sum(r[k] for k in common):.2f}s' for r in rs),
          '| all:', ' '.join(f'{sum(r.values()):.2f}s/{len(r)}' for r in rs))
PY

#!/bin/bash
# Nabla and Deeplearning4j side by side, network by network, in one run (docs/benchmarks.md).
# Prints the load average before each side and each side's JSON line. Run from anywhere:
#   samples/dl4j-compare/compare.sh [EPOCHS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
epochs=${1:-6}
[ -f "$root/samples/dl4j-compare/target/dl4j-compare.jar" ] || (cd "$root/samples/dl4j-compare" && ../../mvnw -B -q package)
for net in deep sgd adam; do
  echo "== load before nabla $net: $(cat /proc/loadavg)"
  "$root/samples/bin/nabla-cpu-bench" --epochs "$epochs" --networks "$net" 2>&1 | grep -E '^\[\{'
  echo "== load before dl4j $net: $(cat /proc/loadavg)"
  (cd "$root/samples/dl4j-compare" && OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE \
      java -jar target/dl4j-compare.jar --epochs "$epochs" --networks "$net" 2>&1 | grep -E '^\[\{')
done
echo "== load at end: $(cat /proc/loadavg)"

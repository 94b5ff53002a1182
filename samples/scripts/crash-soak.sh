#!/bin/sh
# Runs short trainings again and again and counts the runs that did not end normally: the check that the
# default path never crashes (automatic backend choice with PoCL installed) and that the OpenCL backend,
# with the driver loaded, keeps the JVM's signal handlers. Two runs at a time, as on a busy machine.
#
#   samples/scripts/crash-soak.sh [DEFAULT_RUNS [OPENCL_RUNS [CONTROL_RUNS]]]     (defaults 200 50 10)
#
# CONTROL_RUNS start a JVM with the OpenCL driver loaded but without signal chaining (java directly, no
# launcher) and send it SIGQUIT, a thread dump request: where the driver replaced the JVM's handlers
# there is no dump. They show what the launchers' libjsig prevents; they are not failures.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
default_runs=${1:-200}
opencl_runs=${2:-50}
control_runs=${3:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$root/samples/bin/nabla-main" --help >/dev/null 2>&1 || true   # builds once, if needed

# run_many COUNT LABEL COMMAND…: COUNT runs, two at a time; prints how many did not exit 0 and their codes
run_many() {
  count=$1; label=$2; shift 2
  : > "$work/codes"
  i=0
  while [ "$i" -lt "$count" ]; do
    for slot in 1 2; do
      [ "$i" -lt "$count" ] || break
      i=$((i + 1))
      ( "$@" > "$work/out.$slot" 2>&1; echo $? >> "$work/codes" ) &
    done
    wait
  done
  bad=$(grep -cv '^0$' "$work/codes" || true)
  echo "$label: $bad of $count runs did not exit 0$( [ "$bad" -eq 0 ] || printf ' (codes: %s)' "$(grep -v '^0$' "$work/codes" | sort | uniq -c | tr -s ' \n' ' ')")"
}

run_many "$default_runs" "default path (nabla-main, automatic backend)" \
  env -u NABLA_BACKEND "$root/samples/bin/nabla-main" --epochs 1 --verbose 0
run_many "$opencl_runs" "OpenCL backend (nabla-main, NABLA_BACKEND=opencl)" \
  env NABLA_BACKEND=opencl "$root/samples/bin/nabla-main" --epochs 1 --verbose 0

# The control: OpenCL loaded in a JVM without libjsig, then SIGQUIT. LLVM's handler, installed with
# SA_RESETHAND, takes the signal instead of the JVM (no thread dump) and puts the JVM's handlers back;
# for a SIGSEGV the same reset leaves a moment in which a second thread's fault kills the process.
cp="$root/samples/target/classes:$(cat "$root/samples/target/classpath.txt")"
lost=0
n=0
while [ "$n" -lt "$control_runs" ]; do
  n=$((n + 1))
  env -u LD_PRELOAD NABLA_BACKEND=opencl java -cp "$cp" dev.nabla.samples.Main --epochs 50 --verbose 0 \
    > "$work/control" 2>&1 &
  pid=$!
  sleep 7                       # the backend is open and training
  kill -QUIT "$pid" 2>/dev/null || true
  sleep 1
  grep -q 'Full thread dump' "$work/control" || lost=$((lost + 1))
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
done
echo "control (OpenCL loaded without libjsig, SIGQUIT): the driver took the signal from the JVM in $lost of $control_runs runs"

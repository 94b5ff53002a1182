# Shared by the launchers in samples/bin (sourced, POSIX sh): builds what is missing and runs a sample's
# main class with the JDK on the path (or $JAVA_HOME). JAVA_OPTS pass through to the JVM.
# NABLA_CLASSPATH, when set, is used as the whole class path instead of building (CI, tests, installs).
NABLA_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NABLA_CP_FILE="$NABLA_ROOT/samples/target/classpath.txt"
# nabla_openblas_coretype and nabla_default_coretype (the jlink bundle's bin/nabla sources the same file)
. "$NABLA_ROOT/samples/bin/nabla-openblas.sh"

nabla_build() {
  # Rebuild when the classpath is missing or any source is newer than it.
  if [ ! -f "$NABLA_CP_FILE" ] || [ -n "$(find "$NABLA_ROOT" -path '*/src/main/*' -newer "$NABLA_CP_FILE" -print -quit 2>/dev/null)" ] \
     || [ -n "$(find "$NABLA_ROOT" -name pom.xml -newer "$NABLA_CP_FILE" -print -quit 2>/dev/null)" ]; then
    echo "nabla: building (first run or sources changed)…" >&2
    (cd "$NABLA_ROOT" && ./mvnw -q -B -pl samples -am -DskipTests package dependency:build-classpath \
        -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime) >&2 || {
      echo "$(basename "$0"): the build failed; run './mvnw -B -pl samples -am package' to see why" >&2; exit 3; }
    # Maven leaves an unchanged classpath file as it was, old date included: mark the build as done,
    # or every later run would find the same sources newer and build again.
    touch "$NABLA_CP_FILE"
  fi
}

# nabla_chain_signals JAVA: preloads the JDK's libjsig (signal chaining) for JAVA's JVM. A native driver
# loaded into the JVM can install its own handlers for signals the JVM relies on: PoCL's LLVM does, for
# SIGSEGV (safepoint polls, null checks), SIGQUIT, SIGINT and SIGTERM, and the JVM then dies at random,
# on a thread dump or without its shutdown hooks. With libjsig the JVM keeps its handlers and passes
# other signals on to the driver's. Linux only; a JDK without libjsig runs as before.
nabla_chain_signals() {
  [ "$(uname -s 2>/dev/null)" = Linux ] || return 0
  java_path=$(command -v "$1" 2>/dev/null) || return 0
  jsig="$(dirname "$(dirname "$(readlink -f "$java_path")")")/lib/libjsig.so"
  [ -f "$jsig" ] || return 0
  case ":${LD_PRELOAD:-}:" in *":$jsig:"*) return 0 ;; esac
  LD_PRELOAD="$jsig${LD_PRELOAD:+:$LD_PRELOAD}"
  export LD_PRELOAD
}

# nabla_run MAIN_CLASS ARGS…: runs with the JDK on the path (or $JAVA_HOME), without a display.
nabla_run() {
  main=$1; shift
  java_cmd=java
  [ -n "${JAVA_HOME:-}" ] && java_cmd="$JAVA_HOME/bin/java"
  if ! command -v "$java_cmd" >/dev/null 2>&1; then
    echo "$(basename "$0"): no java at '$java_cmd'; expected a JDK 17 or newer on the PATH or in JAVA_HOME" >&2
    exit 3
  fi
  if [ -n "${NABLA_CLASSPATH:-}" ]; then
    nabla_cp=$NABLA_CLASSPATH
  else
    nabla_build
    nabla_cp="$NABLA_ROOT/samples/target/classes:$(cat "$NABLA_CP_FILE")"
  fi
  nabla_chain_signals "$java_cmd"
  nabla_cpu_env
  # shellcheck disable=SC2086
  # PerfDisableSharedMem: the JVM keeps its counters in memory, not in /tmp/hsperfdata_$USER/PID, which a
  # killed run would leave behind (jcmd PID still attaches; jps no longer lists the job)
  exec "$java_cmd" -Djava.awt.headless=true -XX:+PerfDisableSharedMem ${JAVA_OPTS:-} -cp "$nabla_cp" "$main" "$@"
}

# nabla_bench_coretype: for the scripts of samples/bench, which compare engines that share the system's OpenBLAS
# (Nabla, Deeplearning4j, Debian's PyTorch): exports the OPENBLAS_CORETYPE of nabla_openblas_coretype whatever
# the environment presets (some images preset Haswell's AVX2 kernels on any CPU), or BENCH_OPENBLAS_CORETYPE.
nabla_bench_coretype() {
  unset OPENBLAS_CORETYPE
  [ -z "${BENCH_OPENBLAS_CORETYPE:-}" ] || export OPENBLAS_CORETYPE="$BENCH_OPENBLAS_CORETYPE"
  nabla_default_coretype
}

# nabla_cpu_env: the cpu backend's fast paths for every launcher. Enables the Vector API (the vector
# kernels of ReLU, pooling, sums, and the pure-Java GEMM's fallback; the JVM says "Using incubator
# modules" once), asks OpenBLAS for its fastest kernels on this CPU (OPENBLAS_CORETYPE, unless set;
# nabla_openblas_coretype), and where Linux gives transparent huge pages only on
# request ("madvise") asks for them for the Java heap: gathering a shuffled batch from a large data
# set then misses the TLB less (docs/benchmarks-history.md has the measurements).
nabla_cpu_env() {
  nabla_default_coretype
  huge_pages=
  if grep -q '\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
    huge_pages=-XX:+UseTransparentHugePages
  fi
  JAVA_OPTS="--add-modules jdk.incubator.vector $huge_pages ${JAVA_OPTS:-}"
  export JAVA_OPTS
}

# Shared by the compare scripts of samples/bench (sourced, bash, from the repository root): the engines' common
# setup, so that every comparison runs Nabla the same way.
# - Nabla runs with the launchers' JVM flags (samples/bin/nabla-common.sh: the Vector API, huge pages), in
#   $JAVA_OPTS, from a copy of its jars in $out/lib ($cp), so that a rebuild during the run cannot change them.
# - OpenBLAS's fastest kernels on this CPU (the launchers' rule, nabla_openblas_coretype) for every engine that
#   uses OpenBLAS (Nabla, DL4J, Debian's PyTorch), whatever the environment presets; BENCH_OPENBLAS_CORETYPE
#   chooses others.
# - peak FILE COMMAND…: runs COMMAND, its maximum resident set (KiB) into FILE.
# Expects $out (a fresh folder); builds the samples and the DL4J twin when they are missing.
. samples/bin/nabla-common.sh
nabla_bench_coretype
nabla_cpu_env
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-} JAVA_OPTS=$JAVA_OPTS"
[ -f samples/target/classpath.txt ] || samples/bin/nabla-train --help >/dev/null
mkdir -p "$out/lib" && cp samples/target/nabla-samples-0.1.0-SNAPSHOT.jar $(tr ':' ' ' < samples/target/classpath.txt) "$out/lib/"
cp="$out/lib/*"
[ -f samples/dl4j-compare/target/dl4j-compare.jar ] || (cd samples/dl4j-compare && ../../mvnw -B -q package)

peak() {
  local file=$1; shift
  /usr/bin/time -f %M -o "$file" "$@"
}

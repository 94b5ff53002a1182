# OpenBLAS's kernels for this CPU (sourced, POSIX sh, defines functions only): shared by the launchers in
# samples/bin (through nabla-common.sh) and the jlink bundle's bin/nabla (samples/bin/nabla-bundle copies it).

# nabla_openblas_coretype [CPUINFO]: the OPENBLAS_CORETYPE whose kernels multiply fastest on this CPU
# (or the one CPUINFO, a copy of /proc/cpuinfo, describes), empty where OpenBLAS's own choice stands (no
# AVX-512). An OpenBLAS older than the CPU may pick slower kernels. SkylakeX's AVX-512 kernels are about
# twice the AVX2 ones where the FMA units are 512 bits wide (Intel, AMD Zen 5); AMD's family 25 (Zen 4)
# runs each AVX-512 instruction as two 256-bit halves, and there the AVX2 kernels (Haswell) are 6-13 %
# faster (docs/benchmarks.md, "OPENBLAS_CORETYPE"). The backend's GemmKernels states the same rule.
nabla_openblas_coretype() {
  cpuinfo=${1:-/proc/cpuinfo}
  grep -q '^flags.* avx512f' "$cpuinfo" 2>/dev/null || return 0
  if grep -q 'AuthenticAMD' "$cpuinfo" && grep -q '^cpu family[[:space:]]*: 25$' "$cpuinfo"; then
    echo Haswell
  else
    echo SkylakeX
  fi
}

# nabla_default_coretype: exports nabla_openblas_coretype as OPENBLAS_CORETYPE unless one is set.
nabla_default_coretype() {
  [ -z "${OPENBLAS_CORETYPE:-}" ] || return 0
  coretype=$(nabla_openblas_coretype)
  [ -z "$coretype" ] || export OPENBLAS_CORETYPE="$coretype"
}

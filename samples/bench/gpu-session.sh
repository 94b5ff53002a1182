#!/bin/sh
# Runs Nabla's GPU checks and benchmarks on a GPU node from a bundle (samples/bin/nabla-bundle --tests),
# beside the PyTorch reference on the same GPU, writing logs to $OUT (default ./gpu-out).
#   samples/bench/gpu-session.sh [tests] [main] [gemm] [bench] [batches] [torch]
# Each stage has its own time limit so one slow stage cannot starve the rest.
B=${BUNDLE:-dist/nabla-gpu}
OUT=${OUT:-gpu-out}
DATA=samples/src/main/resources/dev/nabla/samples/data
mkdir -p "$OUT"
chmod +x $B/bin/* $B/runtime/bin/* $B/runtime/lib/jspawnhelper 2>/dev/null
export NABLA_BACKEND=cuda
stages=${*:-tests main gemm bench torch}
log() { echo "== $(date +%T) $*" | tee -a "$OUT/session.log"; }
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee -a "$OUT/session.log"
bench() { # batch epochs
  timeout 240 $B/bin/nabla dev.nabla.samples.bench.MlpBenchmark --backend cuda --samples 60000 --epochs $2 --batch-size $1 \
    --json "$OUT/nabla-b$1.json" 2>&1 | tail -${3:-9} | tee -a "$OUT/session.log"
}
torch() { # batch epochs [extra]
  PYTHONUNBUFFERED=1 timeout 240 python3 samples/bench/pytorch_mlp.py --data $DATA --train-prefix digits-train \
    --test-prefix digits-test --samples 60000 --epochs $2 --batch-size $1 $3 2>&1 | tail -${4:-9} | tee -a "$OUT/session.log"
}
for stage in $stages; do
  case $stage in
    tests) log "CUDA tests"; NABLA_CUBLAS_SHIM_DEBUG=1 timeout 300 $B/bin/nabla-test --select-package dev.nabla.cuda \
             --details=tree > "$OUT/tests.log" 2>&1; echo "nabla-test exit $?" | tee -a "$OUT/session.log"
           grep -E "tests (successful|failed|aborted|skipped)|checks|cublas shim|✘" "$OUT/tests.log" | head -60 | tee -a "$OUT/session.log" ;;
    main) log "main job on cuda"; timeout 120 $B/bin/nabla dev.nabla.samples.Main --epochs 3 2>&1 | tail -6 | tee -a "$OUT/session.log" ;;
    gemm) log "GEMM"; timeout 120 $B/bin/nabla dev.nabla.samples.bench.CudaGemmBenchmark --batch 128 2>&1 | tail -16 | tee -a "$OUT/session.log" ;;
    bench) log "Nabla MLP batch 128"; bench 128 5 ;;
    torch) log "PyTorch MLP batch 128"; torch 128 5; log "PyTorch resident"; torch 128 5 --resident 2 ;;
    batches) for b in 32 1024; do log "Nabla MLP batch $b"; bench $b 4 2; log "PyTorch batch $b"; torch $b 4 "" 2; done ;;
  esac
done

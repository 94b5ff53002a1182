#!/bin/sh
# Runs Nabla's GPU checks and benchmarks on a GPU node from a bundle (samples/bin/nabla-bundle --tests),
# beside PyTorch on the same GPU, writing logs to $OUT (default ./gpu-out).
#   samples/bench/gpu-session.sh [tests] [main] [gemm] [compare] [samples] [tf32]   (default: the first five)
#   tests    the CUDA backend's tests and the conformance kit (bin/nabla-test)
#   main     the main job on cuda
#   gemm     Tensor.matmul against cuBLAS called directly (CudaGemmBenchmark)
#   compare  the deep MLP through fit beside PyTorch eager, graph and compile, batch 32, 128 and 1024
#            (samples/bench/gpu-compare.sh; $OUT/compare/compare.md holds the table), under COMPARE_TIMEOUT
#            (1500 s); then the CNN preset the same way (MODEL=cnn, PyTorch through pytorch_cnn.py) at the batch
#            sizes in COMPARE_CNN_BATCHES (default "128"; empty skips it), under its own COMPARE_CNN_TIMEOUT
#            (900 s), so that the MLP's table comes first and the CNN cannot take its time ($OUT/compare-cnn/
#            compare-cnn.md; on CUDA Nabla's convolutions and pooling run through the SPI's compositions)
#   tf32     the deep MLP through fit, 10 epochs, FP32 and TF32 (-Dnabla.cuda.tf32=true) alternating twice: epoch
#            time and test accuracy of each (issue 22: TF32 as a measured opt-in)
#   samples  every launcher of samples/bin that trains or runs a sample, on $BACKEND (default cuda) with few
#            epochs, each under its own time limit: PASS, FAIL or SKIP per sample in $OUT/samples/summary.txt
#            (on the bundle, whose runtime has no java.desktop, samples skip their charts). Runs the
#            main classes through the bundle's bin/nabla where there is a bundle, else through the launchers
#            (a local build; BACKEND=cpu tests the stage on any machine)
# Each stage has its own time limit so one slow stage cannot starve the rest.
B=${BUNDLE:-dist/nabla-gpu}
OUT=${OUT:-gpu-out}
BACKEND=${BACKEND:-cuda}
mkdir -p "$OUT"
chmod +x $B/bin/* $B/runtime/bin/* $B/runtime/lib/jspawnhelper 2>/dev/null
export NABLA_BACKEND=$BACKEND
stages=${*:-tests main gemm compare samples}
log() { echo "== $(date +%T) $*" | tee -a "$OUT/session.log"; }
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader \
  | tee -a "$OUT/session.log"

# short_args LAUNCHER: the options that make LAUNCHER's sample short (a few seconds of training); "skip: why" for
# the launchers that do not run a sample this stage can check. A launcher missing here fails the stage: add it.
short_args() {
  case $1 in
    nabla-bundle|nabla-common.sh|nabla-openblas.sh) echo "skip: not a sample" ;;
    nabla-cpu-bench|nabla-step-breakdown) echo "skip: a CPU benchmark" ;;
    nabla-recognizer) echo "skip: a web server only (it trains on start, then serves until stopped)" ;;
    nabla-deep-mlp) echo "--epochs 1 --samples 2048" ;;
    nabla-gradient-descent) echo "--epochs 30" ;;
    nabla-kfold) echo "--epochs 1 --k 2 --samples 2048" ;;
    nabla-logistic-regression) echo "--epochs 10 --samples 2048" ;;
    nabla-main) echo "--epochs 1" ;;
    nabla-minimize) echo "--epochs 100" ;;
    nabla-mlp-vs-cnn) echo "--epochs 1 --samples 2048" ;;
    nabla-mnist-mlp) echo "--epochs 1 --samples 2048" ;;
    nabla-perceptron) echo "--epochs 50" ;;
    nabla-schedules) echo "--epochs 1 --samples 2048" ;;
    nabla-softmax-regression) echo "--epochs 5" ;;
    nabla-train) echo "--model deep-mlp --epochs 1 --samples 2048 --overwrite" ;;
    nabla-spark-train) echo "--epochs 1 --limit 2048" ;; # Spark local mode, Fashion-MNIST
    *) echo "unknown" ;;
  esac
}

run_samples() {
  dir="$OUT/samples"
  mkdir -p "$dir"
  : > "$dir/summary.txt"
  if [ -x "$B/bin/nabla" ]; then via=bundle; else via=launchers; fi
  log "samples on $BACKEND through the $via"
  pass=0 fail=0 skip=0
  for launcher in samples/bin/*; do
    name=$(basename "$launcher")
    args=$(short_args "$name")
    case $args in
      skip:*) echo "SKIP $name (${args#skip: })" >> "$dir/summary.txt"; skip=$((skip + 1)); continue ;;
      unknown) echo "FAIL $name (not in gpu-session.sh's list: add its short options to short_args)" \
                 >> "$dir/summary.txt"; fail=$((fail + 1)); continue ;;
    esac
    main=$(sed -n 's/^nabla_run \([^ ]*\).*/\1/p' "$launcher")
    out_arg="--out $dir/$name"
    [ "$name" = nabla-main ] || [ "$name" = nabla-spark-train ] && out_arg="" # neither writes files
    if [ "$name" = nabla-spark-train ] && [ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
      echo "SKIP $name (Fashion-MNIST not installed here)" >> "$dir/summary.txt"; skip=$((skip + 1)); continue
    fi
    if [ $via = bundle ]; then
      if [ "$name" = nabla-spark-train ]; then
        echo "SKIP $name (Spark is not in the bundle: run samples/bin/nabla-spark-train --backend cuda on a node with a JDK)" \
          >> "$dir/summary.txt"; skip=$((skip + 1)); continue
      fi
      set -- "$B/bin/nabla" "$main"
    else
      set -- "$launcher"
    fi
    start=$(date +%s)
    # shellcheck disable=SC2086
    timeout "${SAMPLE_TIMEOUT:-180}" "$@" --backend "$BACKEND" $args $out_arg > "$dir/$name.log" 2>&1
    rc=$?
    took=$(($(date +%s) - start))
    if [ $rc -eq 0 ]; then
      # the bundle's jlink'ed runtime has no java.desktop (docs/gpu-bundle.md): samples then skip their charts
      charts=""; grep -q '^charts skipped' "$dir/$name.log" && charts=", charts skipped"
      echo "PASS $name (${took} s${charts}: $main --backend $BACKEND $args)" >> "$dir/summary.txt"; pass=$((pass + 1))
    else
      why="exit $rc"; [ $rc -eq 124 ] && why="timed out after ${SAMPLE_TIMEOUT:-180} s"
      echo "FAIL $name ($why, ${took} s: $main --backend $BACKEND $args): $(grep -v '^WARNING' "$dir/$name.log" \
        | tail -2 | tr '\n' ' ' | cut -c1-300)" >> "$dir/summary.txt"; fail=$((fail + 1))
    fi
    tail -1 "$dir/summary.txt" | cut -c1-200 | tee -a "$OUT/session.log"
  done
  echo "samples: $pass passed, $fail failed, $skip skipped" \
    "(logs in $dir)" | tee -a "$dir/summary.txt" "$OUT/session.log"
}

for stage in $stages; do
  case $stage in
    tests) log "CUDA tests"; NABLA_CUBLAS_SHIM_DEBUG=1 timeout 300 $B/bin/nabla-test --select-package dev.nabla.cuda \
             --details=tree > "$OUT/tests.log" 2>&1; echo "nabla-test exit $?" | tee -a "$OUT/session.log"
           grep -E "tests (successful|failed|aborted|skipped)|checks|cublas shim|✘" "$OUT/tests.log" | head -60 | tee -a "$OUT/session.log" ;;
    main) log "main job on cuda"; timeout 120 $B/bin/nabla dev.nabla.samples.Main --epochs 5 --verbose 2 2>&1 | tail -14 | tee -a "$OUT/session.log" ;;
    gemm) log "GEMM"; timeout 120 $B/bin/nabla dev.nabla.samples.bench.CudaGemmBenchmark --batch 128 2>&1 | tail -16 | tee -a "$OUT/session.log" ;;
    compare) log "deep MLP through fit beside PyTorch (gpu-compare.sh)"
             [ "$BACKEND" = cpu ] && GPU_COMPARE_DEVICE=${GPU_COMPARE_DEVICE:-cpu} && export GPU_COMPARE_DEVICE
             MODEL=deep-mlp OUT="$OUT/compare" BUNDLE="$B" timeout "${COMPARE_TIMEOUT:-1500}" bash samples/bench/gpu-compare.sh \
               ${COMPARE_BATCHES:+"$COMPARE_BATCHES"} > "$OUT/compare.log" 2>&1
             echo "gpu-compare.sh exit $?" | tee -a "$OUT/session.log"
             cat "$OUT/compare/compare.md" 2>/dev/null | tee -a "$OUT/session.log"
             cnn_batches=${COMPARE_CNN_BATCHES-128}
             if [ -n "$cnn_batches" ]; then
               log "CNN through fit beside PyTorch (MODEL=cnn gpu-compare.sh $cnn_batches)"
               MODEL=cnn OUT="$OUT/compare-cnn" BUNDLE="$B" timeout "${COMPARE_CNN_TIMEOUT:-900}" \
                 bash samples/bench/gpu-compare.sh "$cnn_batches" > "$OUT/compare-cnn.log" 2>&1
               echo "gpu-compare.sh (cnn) exit $?" | tee -a "$OUT/session.log"
               cat "$OUT/compare-cnn/compare-cnn.md" 2>/dev/null | tee -a "$OUT/session.log"
             fi ;;
    samples) run_samples ;;
    tf32) # issue 22: TF32 as an opt-in, measured: speed and test accuracy after 10 epochs, FP32 and TF32 alternating
          for precision in fp32 tf32 fp32 tf32; do
            opts=""; [ $precision = tf32 ] && opts="-Dnabla.cuda.tf32=true"
            log "deep MLP through fit, $precision, 10 epochs"
            JAVA_OPTS="$opts" timeout 600 $B/bin/nabla dev.nabla.samples.bench.FitBenchmark --backend "$BACKEND" \
              --model deep-mlp --epochs 10 --samples 60000 2>&1 | grep -E '^(epoch 10|test accuracy|\{)' \
              | tee -a "$OUT/session.log"
          done ;;
    *) echo "gpu-session.sh: unknown stage '$stage' (tests, main, gemm, compare, samples, tf32)" | tee -a "$OUT/session.log" ;;
  esac
done

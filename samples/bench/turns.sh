# Two engines' benchmark runs taking turns (sourced, bash ≥ 5.1, by the compare scripts of samples/bench):
#   in_turns PIPES STEPS COMMAND… -- COMMAND…
# starts both commands together, the first with --turns PIPES.a,PIPES.b --turn-steps STEPS and the second with
# --turns PIPES.b,PIPES.a --turn-steps STEPS (FitBenchmark's options, and take_turns.py's for the PyTorch
# scripts), and gives the first engine the first turn. Each turn (STEPS training steps, the rest of an epoch, or
# the evaluation after the last) starts when a line comes through the engine's first pipe, and ends with a line
# into its second; neither engine's timer runs in the other's turns. So both engines' epochs are spread over the
# same seconds of a machine whose speed drifts. Returns when both have ended: 0, or the status of one that failed.
# When one engine ends, the pipes' other writer goes too, so the other engine reads the end of its pipe (or
# writes to one that nobody reads) and stops with one line instead of waiting for ever.
in_turns() {
  local pipes=$1 steps=$2 first=() ended status=0
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do first+=("$1"); shift; done
  if [ $# -lt 2 ] || [ ${#first[@]} -eq 0 ]; then
    echo "in_turns: expected PIPES STEPS COMMAND… -- COMMAND…" >&2
    return 2
  fi
  shift
  local a="$pipes.a" b="$pipes.b"
  mkfifo "$a" "$b"
  # Held open here, so that neither engine's open of a pipe blocks; closed when the first engine ends.
  exec 3<>"$a" 4<>"$b"
  "${first[@]}" --turns "$a,$b" --turn-steps "$steps" 3>&- 4>&- &
  local p1=$!
  "$@" --turns "$b,$a" --turn-steps "$steps" 3>&- 4>&- &
  local p2=$!
  echo turn >&3
  wait -n -p ended "$p1" "$p2" || status=$?
  exec 3>&- 4>&-
  wait "$([ "$ended" = "$p1" ] && echo "$p2" || echo "$p1")" || status=$?
  rm -f "$a" "$b"
  return $status
}

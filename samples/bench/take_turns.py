"""Turns between two engines' benchmark runs, the Python side of Nabla's FitBenchmark --turns (samples/bench/turns.sh
starts both engines and makes the pipes; pytorch_mlp.py and pytorch_cnn.py take the options --turns WAIT,PASS and
--turn-steps N)."""
import os, sys, time


class Turns:
    """Takes turns with another engine's run, as Nabla's FitBenchmark --turns does (samples/bench/turns.sh):
    each turn (an epoch, or a share of one of --turn-steps steps; then the evaluation after the last epoch) starts
    when a line can be read from the first of two named pipes, after a pause for the other engine's threads to
    stop spinning, and ends by writing a line to the second. So the two engines' work alternates, each share timed
    within seconds of its neighbours of the other. Without a spec, every turn is at once this run's."""
    SETTLE_SECONDS = 0.05

    def __init__(self, spec, steps_per_turn=0):
        self.wait = self.give = None
        self.steps_per_turn = steps_per_turn
        if spec:
            paths = spec.split(",")
            if len(paths) != 2 or not all(paths):
                sys.exit(f"{os.path.basename(sys.argv[0])}: --turns {spec}: expected two named pipes, WAIT,PASS "
                         "(the turn's way in and out)")
            self.wait, self.give = open(paths[0], "rb", buffering=0), open(paths[1], "wb", buffering=0)

    def begin(self):
        if self.wait:
            line = b""
            while not line.endswith(b"\n"):
                byte = self.wait.read(1)
                if not byte:
                    sys.exit(f"{os.path.basename(sys.argv[0])}: --turns: the other engine stopped before passing "
                             "the turn back")
                line += byte
            time.sleep(self.SETTLE_SECONDS)

    def end(self, last=False):
        """Hands the turn on; after the last, an engine that has already finished is no failure."""
        if self.give:
            try:
                self.give.write(b"turn\n")
            except BrokenPipeError:
                if not last:
                    sys.exit(f"{os.path.basename(sys.argv[0])}: --turns: the other engine stopped waiting for the turn")

    def due(self, step, steps):
        """Whether the turn ends after step `step` (from 1) of an epoch of `steps`: every steps_per_turn steps,
        except after the last (the epoch's end hands the turn over then)."""
        return bool(self.wait and self.steps_per_turn and step % self.steps_per_turn == 0 and step < steps)

    def hand_over(self):
        """Hands the turn over and waits for it back; returns the seconds that took."""
        away = time.perf_counter()
        self.end()
        self.begin()
        return time.perf_counter() - away


def add_options(parser):
    """The options --turns WAIT,PASS and --turn-steps N, as FitBenchmark's."""
    parser.add_argument("--turns", metavar="WAIT,PASS",
                        help="take turns with another engine's run through two named pipes, as Nabla's FitBenchmark")
    parser.add_argument("--turn-steps", type=int, default=0, metavar="N",
                        help="with --turns, also hand the turn over every N steps of an epoch (0: only at its end)")


def from_options(args):
    """The Turns that parsed options (add_options) ask for."""
    return Turns(args.turns, args.turn_steps)

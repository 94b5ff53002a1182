#!/usr/bin/env python3
"""PyTorch reference for Nabla's MLP benchmarks (samples: dev.nabla.samples.bench.FitBenchmark).

Trains the same network on the same data with the same batch size and optimizer, and prints the
same JSON summary, so that both sides can be compared in one run on one machine:

    python3 samples/bench/pytorch_mlp.py --data DIR --epochs 5 --batch-size 128 --json out.json
    python3 samples/bench/pytorch_mlp.py --data DIR --device cuda --mode graph --batch-size 128

DIR holds MNIST-style IDX files (gzip or plain): train-images-idx3-ubyte(.gz),
train-labels-idx1-ubyte(.gz) and optionally t10k-*. With --samples N the training set is tiled
or cut to N samples (the timing of an MLP epoch does not depend on pixel values).

--mode says how each step is fed and launched:
  host     (default) batches shuffled on the host (NumPy) and copied to the device per step; on the
           CPU this is simply the data set in memory (what samples/bench/mlp-compare.sh runs);
  eager    the whole data set resident on the device, a device randperm per epoch, each batch an
           index_select on the device, Adam(fused=True), no host read inside the epoch: PyTorch's
           fastest eager setup (--resident is an alias);
  graph    as eager, and the whole step (gather, forward, backward, Adam(fused=True,
           capturable=True), the loss sum) captured once in a CUDA graph with static buffers and
           replayed per step (one launch); the last, partial batch runs eagerly. CUDA only;
  compile  as eager, with the step compiled by torch.compile(mode="reduce-overhead") (Inductor
           kernels in CUDA graphs), the default Adam that torch.compile fuses. Exits 3 with one
           line on stderr where torch.compile cannot run.
Timing: the device is synchronized at the start and end of each epoch; the median leaves epoch 1
out (warm-up, compilation), as Nabla's FitBenchmark does.
"""
import argparse, gzip, json, os, statistics, struct, sys, time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import take_turns  # noqa: E402  (FitBenchmark --turns' Python side, shared with pytorch_cnn.py)

COMPILE_UNAVAILABLE = 3


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, rank = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def find(directory, stem):
    for name in (stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
        p = os.path.join(directory, name)
        if os.path.exists(p):
            return p
    return None


def load(directory, prefix):
    images = find(directory, f"{prefix}-images-idx3-ubyte")
    labels = find(directory, f"{prefix}-labels-idx1-ubyte")
    if images is None or labels is None:
        return None
    x = read_idx(images).reshape(-1, 784).astype(np.float32) / 255.0
    y = read_idx(labels).astype(np.int64)
    return x, y


def make_adam(params, lr, mode, device):
    """Adam with eps 1e-7 (Nabla's): fused where the build has it for the device; graph mode also capturable;
    compile mode the default implementation, which torch.compile traces and fuses itself."""
    params = list(params)  # a generator would be used up by a failed fused try, leaving the fallback none
    if mode == "compile":
        return torch.optim.Adam(params, lr=lr, eps=1e-7), "default (compiled)"
    extra = {"capturable": True} if mode == "graph" else {}
    try:  # PyTorch at its best: the fused Adam (CPU too since 2.4)
        return torch.optim.Adam(params, lr=lr, eps=1e-7, fused=True, **extra), "fused"
    except (RuntimeError, TypeError, ValueError) as e:
        print(f"note: Adam(fused=True) unavailable on {device.type} in torch {torch.__version__} "
              f"({str(e).splitlines()[0] if str(e) else type(e).__name__}); using the default Adam", flush=True)
        return torch.optim.Adam(params, lr=lr, eps=1e-7, **extra), "default"


def compile_unavailable(e, device, script="pytorch_mlp.py"):
    """The one line and the exit code of a torch.compile that cannot run here."""
    first = str(e).strip().splitlines()[0] if str(e).strip() else ""
    print(f"{script}: torch.compile(mode='reduce-overhead') unavailable in torch {torch.__version__} on "
          f"{device.type}: {type(e).__name__}: {first}"[:400], file=sys.stderr, flush=True)
    sys.exit(COMPILE_UNAVAILABLE)


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def capture_step(model, opt, loss_fn, xt, yt, batch, eager_step, loss_sum, device):
    """PyTorch's whole-network capture (docs: CUDA semantics, "CUDA Graphs"): warm up on a side stream, capture
    gather + forward + backward + step + loss sum with static buffers, then put the weights and Adam's state back
    as they were, so that training starts from the same initialisation as the other modes. Returns the graph, its
    static index buffer (each replay reads the batch's rows through it) and the seconds it took."""
    start = time.perf_counter()
    params = list(model.parameters())
    initial = [p.detach().clone() for p in params]
    static_idx = torch.arange(batch, device=device)
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            eager_step(xt.index_select(0, static_idx), yt.index_select(0, static_idx))
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    opt.zero_grad(set_to_none=True)
    with torch.cuda.graph(graph):
        static_loss = loss_fn(model(xt.index_select(0, static_idx)), yt.index_select(0, static_idx))
        static_loss.backward()
        opt.step()
        loss_sum.add_(static_loss.detach())
    with torch.no_grad():
        for p, p0 in zip(params, initial):
            p.copy_(p0)
        for state in opt.state.values():
            for value in state.values():
                if torch.is_tensor(value):
                    value.zero_()
        loss_sum.zero_()
    sync(device)
    return graph, static_idx, time.perf_counter() - start


def compile_step(model, opt, loss_fn, device, script):
    """The step under torch.compile(mode="reduce-overhead"), or exit 3 with one line where Inductor cannot run."""
    def step_fn(xb, yb):
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        return loss.detach()
    try:
        return torch.compile(step_fn, mode="reduce-overhead", dynamic=False)
    except Exception as e:  # noqa: BLE001 (an Inductor without its dependencies fails in many ways)
        compile_unavailable(e, device, script)


def train_epochs(a, model, opt, loss_fn, xt, yt, device, script, host_batch, host_perm_device=None, step_model=None,
                 turns=None):
    """The timed epochs of every --mode, as Nabla's fit times them (shared by pytorch_mlp.py and pytorch_cnn.py);
    returns (epoch seconds, mean losses, graph capture seconds). host_batch(idx) makes a host-mode batch, whose
    permutation is drawn by NumPy before the timer (then moved to host_perm_device, when given); step_model is
    what an eager step calls (a torch.compile'd model for pytorch_cnn.py --compile), the model by default. Each
    epoch is one of turns."""
    n, batch = len(xt), a.batch_size
    turns = turns or take_turns.Turns(None)
    resident = a.mode != "host"
    rng = np.random.default_rng(a.seed)
    gen = torch.Generator(device=device)
    gen.manual_seed(a.seed)
    loss_sum = torch.zeros((), device=device)  # the epoch's loss summed on the device: no host read per step
    forward = step_model or model

    def eager_step(xb, yb, set_to_none=True):
        loss = loss_fn(forward(xb), yb)
        opt.zero_grad(set_to_none=set_to_none)
        loss.backward()
        opt.step()
        loss_sum.add_(loss.detach())

    setup_seconds = 0.0
    graph = static_idx = compiled = None
    if a.mode == "graph" and n >= batch:
        graph, static_idx, setup_seconds = capture_step(model, opt, loss_fn, xt, yt, batch, eager_step, loss_sum, device)
    elif a.mode == "compile":
        compiled = compile_step(model, opt, loss_fn, device, script)

    times, losses = [], []
    for epoch in range(a.epochs):
        turns.begin()
        if not resident:  # host mode: shuffled before the timer, as it always was
            perm = torch.from_numpy(rng.permutation(n))
            if host_perm_device is not None:
                perm = perm.to(host_perm_device)
        sync(device)
        start = time.perf_counter()
        if resident:  # the shuffle is part of the epoch, as in fit (on the device, asynchronous)
            perm = torch.randperm(n, device=device, generator=gen)
        loss_sum.zero_()
        steps = 0
        away = 0.0  # the other engine's turns within the epoch (--turn-steps)
        for s in range(0, n, batch):
            idx = perm[s : s + batch]
            if graph is not None and len(idx) == batch:
                static_idx.copy_(idx)
                graph.replay()
            elif compiled is not None:
                xb, yb = xt.index_select(0, idx), yt.index_select(0, idx)
                try:
                    loss_sum.add_(compiled(xb, yb))
                except Exception as e:  # noqa: BLE001 (Inductor needs a C++ compiler, Triton on CUDA, …)
                    if epoch == 0 and steps == 0:
                        compile_unavailable(e, device, script)
                    raise
            elif resident:
                eager_step(xt.index_select(0, idx), yt.index_select(0, idx), set_to_none=graph is None)
            else:
                eager_step(*host_batch(idx))
            steps += 1
            if turns.due(steps, -(-n // batch)):
                sync(device)  # the work queued so far belongs to this turn
                away += turns.hand_over()  # left out of the epoch's time
        sync(device)
        times.append(time.perf_counter() - start - away)
        turns.end()
        losses.append(loss_sum.item() / steps)
        print(f"epoch {epoch + 1}/{a.epochs}: {times[-1]:.3f} s, loss {losses[-1]:.4f}", flush=True)
    return times, losses, setup_seconds


def prepare(a, script):
    """Applies the common options (TF32, seed, threads, device, mode) and loads the data: (device, x, y, test),
    the training set repeated up to --samples when that is larger."""
    torch.backends.cuda.matmul.allow_tf32 = a.tf32
    torch.backends.cudnn.allow_tf32 = a.tf32
    torch.manual_seed(a.seed)
    if a.threads:
        torch.set_num_threads(a.threads)
    if a.device == "cuda" and not torch.cuda.is_available():
        sys.exit(f"{script}: --device cuda, but torch {torch.__version__} sees no CUDA device")
    device = torch.device("cuda" if a.device == "cuda" or (a.device == "auto" and torch.cuda.is_available()) else "cpu")
    if a.mode == "graph" and device.type != "cuda":
        sys.exit(f"{script}: --mode graph captures CUDA graphs and needs --device cuda")
    x, y = load(a.data, a.train_prefix)
    test = load(a.data, a.test_prefix)
    if a.samples:
        reps = -(-a.samples // len(x))
        x, y = np.tile(x, (reps, 1))[: a.samples], np.tile(y, reps)[: a.samples]
    return device, x, y, test


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__[__doc__.index("--mode says"):])
    ap.add_argument("--data", required=True)
    ap.add_argument("--train-prefix", default="train")
    ap.add_argument("--test-prefix", default="t10k")
    ap.add_argument("--samples", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--sizes", default="784,1024,512,512,10")
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--activation", choices=["relu", "tanh"], default="relu", help="of the hidden layers")
    ap.add_argument("--loss", choices=["ce", "mse"], default="ce",
                    help="ce: softmax cross-entropy; mse: mean squared error of the softmax against one-hot labels")
    ap.add_argument("--optimizer", choices=["adam", "sgd"], default="adam")
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: torch's default)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--device", choices=["auto", "cuda", "cpu"], default="auto",
                    help="auto: cuda when available, else cpu")
    ap.add_argument("--mode", choices=["host", "eager", "graph", "compile"], default="host")
    ap.add_argument("--resident", action="store_true", help="the same as --mode eager")
    ap.add_argument("--tf32", action="store_true", help="allow TF32 tensor cores (off by default, as in Nabla)")
    ap.add_argument("--json")
    take_turns.add_options(ap)
    a = ap.parse_args()
    if a.resident:
        a.mode = "eager"
    turns = take_turns.from_options(a)

    device, x, y, test = prepare(a, "pytorch_mlp.py")
    n = len(x)
    sizes = [int(s) for s in a.sizes.split(",")]
    layers = []
    for i in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1])
        torch.nn.init.xavier_uniform_(lin.weight)  # Glorot uniform, as Keras and Nabla
        torch.nn.init.zeros_(lin.bias)
        hidden = torch.nn.ReLU() if a.activation == "relu" else torch.nn.Tanh()
        layers += [lin] + ([hidden] if i < len(sizes) - 2 else [])
    model = torch.nn.Sequential(*layers).to(device)
    if a.optimizer == "sgd":
        opt, adam_impl = torch.optim.SGD(model.parameters(), lr=a.lr), "sgd"
    else:
        opt, adam_impl = make_adam(model.parameters(), a.lr, a.mode, device)
    fused = adam_impl == "fused"
    if a.loss == "ce":
        loss_fn = torch.nn.CrossEntropyLoss()
    else:
        mse = torch.nn.MSELoss()
        eye = torch.eye(sizes[-1], device=device)
        loss_fn = lambda logits, labels: mse(torch.softmax(logits, 1), eye[labels])

    xt = torch.from_numpy(x)
    yt = torch.from_numpy(y)
    resident = a.mode != "host"
    if resident:
        xt, yt = xt.to(device), yt.to(device)
    elif device.type == "cuda":
        xt, yt = xt.pin_memory(), yt.pin_memory()
    times, losses, setup_seconds = train_epochs(
        a, model, opt, loss_fn, xt, yt, device, "pytorch_mlp.py",
        host_batch=lambda idx: (xt[idx].to(device, non_blocking=True), yt[idx].to(device, non_blocking=True)),
        turns=turns)
    turns.begin()  # the evaluation and inference are timed too
    accuracy = predict_per_second = None
    if test is not None:
        with torch.no_grad():
            xs = torch.from_numpy(test[0]).to(device)
            pred = model(xs).argmax(1).cpu().numpy()
            accuracy = float((pred == test[1]).mean())
            predict_times = []  # inference: the test set in batches of 1024, as Nabla's FitBenchmark
            for _ in range(4):
                start = time.perf_counter()
                for s in range(0, len(xs), 1024):
                    model(xs[s : s + 1024])
                sync(device)
                predict_times.append(time.perf_counter() - start)
            predict_per_second = len(xs) / statistics.median(predict_times[1:])
    turns.end(last=True)
    median = statistics.median(times[1:] if len(times) > 1 else times)
    summary = {
        "engine": "pytorch " + torch.__version__,
        "torch_version": torch.__version__, "cuda_version": torch.version.cuda,
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
        "mode": {"host": "host-batches", "eager": "resident"}.get(a.mode, a.mode),
        "samples": n, "batch_size": a.batch_size, "epochs": a.epochs,
        "epoch_seconds": times, "median_epoch_seconds": median, "samples_per_second": n / median,
        "setup_seconds": setup_seconds,
        "final_loss": losses[-1], "test_accuracy": accuracy, "predict_samples_per_second": predict_per_second,
        "threads": torch.get_num_threads(), "fused_adam": fused, "adam": adam_impl, "tf32": a.tf32,
        "network": f"{a.sizes} {a.activation}, {a.loss}, {a.optimizer} {a.lr}",
    }
    print(json.dumps(summary))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(summary, f, indent=1)


if __name__ == "__main__":
    main()

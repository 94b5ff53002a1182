#!/usr/bin/env python3
"""PyTorch reference for Nabla's CNN presets (nabla-train --model lenet | cnn), on the CPU or a GPU.

Trains the same network as the preset, on the same data, batch size and optimizer (Adam, lr 1e-3,
eps 1e-7 as Keras), and prints one JSON summary, so both engines can be compared in one run:

    python3 samples/bench/pytorch_cnn.py --data /usr/share/datasets/fashion-mnist --model cnn \
        --epochs 3 --batch-size 128 --threads 2 --json out.json

The peer runs at its best: the whole data set resident as one tensor, channels_last memory,
fused Adam where this torch has it, and --compile for torch.compile. The networks (Keras layout
in Nabla, the same shapes here):
  lenet: conv 6@5×5 'same' relu, max-pool 2, conv 16@5×5 relu, max-pool 2, dense 120 relu, 84 relu, 10
  cnn:   conv 32@3×3 'same' relu, max-pool 2, conv 64@3×3 'same' relu, max-pool 2, dense 128 relu, dropout 0.5, 10

On a GPU, beside Nabla's fit (samples/bench/gpu-compare.sh with MODEL=cnn or lenet):

    python3 samples/bench/pytorch_cnn.py --data DIR --model cnn --device cuda --mode eager --samples 60000

--mode says how each step is fed and launched (as in samples/bench/pytorch_mlp.py):
  host     (default; what samples/bench/cnn-compare.sh runs) the data set resident as one tensor, a NumPy
           permutation per epoch copied to the device before the timer, batches by indexing, Adam fused where
           this torch has it (else foreach), --compile for torch.compile of the model;
  eager    the data set resident on the device, a device randperm per epoch inside the timer, each batch an
           index_select on the device, Adam(fused=True) (a printed note where unavailable), the loss summed
           on the device, no host read inside the epoch;
  graph    as eager, and the whole step (gather, forward, backward, Adam(fused=True, capturable=True), the
           loss sum) captured once in a CUDA graph and replayed per step; the last, partial batch eager.
           CUDA only, and not yet run on a GPU;
  compile  as eager, with the step compiled by torch.compile(mode="reduce-overhead"), the default Adam.
           Exits 3 with one line on stderr where torch.compile cannot run.
With --samples N the training set is tiled or cut to N samples. --turns and --turn-steps take turns with
another engine's run, as in pytorch_mlp.py (samples/bench/turns.sh). TF32 stays off unless --tf32 (Nabla computes
in FP32). Timing: the device synchronized at the start and end of each epoch; the median leaves epoch 1 out.
"""
import argparse, json, os, resource, statistics, sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_mlp import make_adam, prepare, sync, train_epochs  # noqa: E402  (the same set-up, Adam, timed epochs)
import take_turns  # noqa: E402  (FitBenchmark --turns' Python side)


def network(name):
    nn = torch.nn
    if name == "lenet":
        layers = [nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                  nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10)]
    elif name == "cnn":
        layers = [nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                  nn.Linear(3136, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10)]
    else:
        raise SystemExit(f"unknown model {name!r}; expected lenet or cnn")
    for m in layers:
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)  # Glorot uniform, as Keras and Nabla
            nn.init.zeros_(m.bias)
    return nn.Sequential(*layers)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__[__doc__.index("--mode says"):])
    ap.add_argument("--data", required=True)
    ap.add_argument("--train-prefix", default="train")
    ap.add_argument("--test-prefix", default="t10k")
    ap.add_argument("--samples", type=int, default=0, help="tile or cut the training set to N samples (0: as it is)")
    ap.add_argument("--model", default="cnn")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: torch's default)")
    ap.add_argument("--compile", action="store_true", help="torch.compile the model (host and eager modes)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--device", choices=["auto", "cuda", "cpu"], default="auto",
                    help="auto: cuda when available, else cpu")
    ap.add_argument("--mode", choices=["host", "eager", "graph", "compile"], default="host")
    ap.add_argument("--tf32", action="store_true", help="allow TF32 tensor cores (off by default, as in Nabla)")
    ap.add_argument("--json")
    take_turns.add_options(ap)
    a = ap.parse_args()
    turns = take_turns.from_options(a)

    device, x, y, test = prepare(a, "pytorch_cnn.py")
    xt = torch.from_numpy(x).reshape(-1, 1, 28, 28).to(device).contiguous(memory_format=torch.channels_last)
    yt = torch.from_numpy(y).to(device)
    n = len(xt)
    model = network(a.model).to(device).to(memory_format=torch.channels_last)
    if a.mode == "host":  # as this script always did
        try:
            opt = torch.optim.Adam(model.parameters(), lr=a.lr, eps=1e-7, fused=True)
            adam_impl = "fused"
        except (RuntimeError, TypeError):
            opt = torch.optim.Adam(model.parameters(), lr=a.lr, eps=1e-7, foreach=True)
            adam_impl = "foreach"
    else:  # eager: fused (with a note where unavailable); graph: fused and capturable; compile: the default
        opt, adam_impl = make_adam(model.parameters(), a.lr, a.mode, device)
    fused = adam_impl == "fused"
    step_model = torch.compile(model) if a.compile and a.mode in ("host", "eager") else model
    loss_fn = torch.nn.CrossEntropyLoss()
    model.train()
    times, losses, setup_seconds = train_epochs(
        a, model, opt, loss_fn, xt, yt, device, "pytorch_cnn.py",
        host_batch=lambda idx: (xt[idx], yt[idx]), host_perm_device=device, step_model=step_model, turns=turns)
    turns.begin()  # the evaluation is a turn too, as in FitBenchmark
    accuracy = None
    if test is not None:
        model.eval()
        with torch.no_grad():
            xs = torch.from_numpy(test[0]).reshape(-1, 1, 28, 28).to(device).contiguous(memory_format=torch.channels_last)
            pred = model(xs).argmax(1).cpu().numpy()
            accuracy = float((pred == test[1]).mean())
    turns.end(last=True)
    median = statistics.median(times[1:] if len(times) > 1 else times)
    summary = {
        "engine": "pytorch " + torch.__version__, "device": str(device), "threads": torch.get_num_threads(),
        "model": a.model, "compiled": a.compile or a.mode == "compile", "fused_adam": fused,
        "samples": n, "batch_size": a.batch_size, "epochs": a.epochs,
        "epoch_seconds": times, "median_epoch_seconds": median, "samples_per_second": n / median,
        "final_loss": losses[-1], "test_accuracy": accuracy,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "torch_version": torch.__version__, "cuda_version": torch.version.cuda,
        "device_name": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
        "mode": a.mode, "adam": adam_impl, "tf32": a.tf32, "setup_seconds": setup_seconds,
    }
    print(json.dumps(summary))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(summary, f, indent=1)


if __name__ == "__main__":
    main()

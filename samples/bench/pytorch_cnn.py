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
"""
import argparse, json, os, resource, statistics, sys, time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_mlp import load  # noqa: E402  (the same IDX reader)


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
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--model", default="cnn")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: torch's default)")
    ap.add_argument("--compile", action="store_true", help="torch.compile the model")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--json")
    a = ap.parse_args()

    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    x, y = load(a.data, "train")
    test = load(a.data, "t10k")
    xt = torch.from_numpy(x).reshape(-1, 1, 28, 28).to(device).contiguous(memory_format=torch.channels_last)
    yt = torch.from_numpy(y).to(device)
    n = len(xt)
    model = network(a.model).to(device).to(memory_format=torch.channels_last)
    try:
        opt = torch.optim.Adam(model.parameters(), lr=a.lr, eps=1e-7, fused=True)
        fused = True
    except (RuntimeError, TypeError):
        opt = torch.optim.Adam(model.parameters(), lr=a.lr, eps=1e-7, foreach=True)
        fused = False
    step_model = torch.compile(model) if a.compile else model
    loss_fn = torch.nn.CrossEntropyLoss()
    rng = np.random.default_rng(a.seed)
    times, losses = [], []
    for epoch in range(a.epochs):
        model.train()
        perm = torch.from_numpy(rng.permutation(n)).to(device)
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        total = torch.zeros((), device=device)
        steps = 0
        for s in range(0, n, a.batch_size):
            idx = perm[s : s + a.batch_size]
            loss = loss_fn(step_model(xt[idx]), yt[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.detach()
            steps += 1
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
        losses.append(total.item() / steps)
        print(f"epoch {epoch + 1}/{a.epochs}: {times[-1]:.3f} s, loss {losses[-1]:.4f}", flush=True)
    accuracy = None
    if test is not None:
        model.eval()
        with torch.no_grad():
            xs = torch.from_numpy(test[0]).reshape(-1, 1, 28, 28).to(device).contiguous(memory_format=torch.channels_last)
            pred = model(xs).argmax(1).cpu().numpy()
            accuracy = float((pred == test[1]).mean())
    median = statistics.median(times[1:] if len(times) > 1 else times)
    summary = {
        "engine": "pytorch " + torch.__version__, "device": str(device), "threads": torch.get_num_threads(),
        "model": a.model, "compiled": a.compile, "fused_adam": fused,
        "samples": n, "batch_size": a.batch_size, "epochs": a.epochs,
        "epoch_seconds": times, "median_epoch_seconds": median, "samples_per_second": n / median,
        "final_loss": losses[-1], "test_accuracy": accuracy,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(summary))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(summary, f, indent=1)


if __name__ == "__main__":
    main()

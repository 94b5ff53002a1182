#!/usr/bin/env python3
"""PyTorch eager reference for Nabla's MLP benchmark (samples: dev.nabla.samples.bench.MlpBenchmark).

Trains the same network on the same data with the same batch size and optimizer, and prints the
same JSON summary, so that both sides can be compared in one run on one GPU:

    python3 samples/bench/pytorch_mlp.py --data DIR --epochs 5 --batch-size 128 --json out.json

DIR holds MNIST-style IDX files (gzip or plain): train-images-idx3-ubyte(.gz),
train-labels-idx1-ubyte(.gz) and optionally t10k-*. With --samples N the training set is tiled
or cut to N samples (the timing of an MLP epoch does not depend on pixel values).
Batches are shuffled on the host each epoch and copied to the GPU per step, as Nabla does
(--resident keeps the whole set on the GPU instead, the fastest eager-mode PyTorch setup).
"""
import argparse, gzip, json, os, statistics, struct, sys, time

import numpy as np
import torch


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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
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
    ap.add_argument("--resident", action="store_true")
    ap.add_argument("--tf32", action="store_true", help="allow TF32 tensor cores (off by default, as in Nabla)")
    ap.add_argument("--json")
    a = ap.parse_args()

    torch.backends.cuda.matmul.allow_tf32 = a.tf32
    torch.backends.cudnn.allow_tf32 = a.tf32
    torch.manual_seed(a.seed)
    if a.threads:
        torch.set_num_threads(a.threads)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    x, y = load(a.data, a.train_prefix)
    test = load(a.data, a.test_prefix)
    if a.samples:
        reps = -(-a.samples // len(x))
        x, y = np.tile(x, (reps, 1))[: a.samples], np.tile(y, reps)[: a.samples]
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
        opt, fused = torch.optim.SGD(model.parameters(), lr=a.lr), False
    else:
        try:  # PyTorch at its best: the fused Adam (CPU too since 2.4)
            opt, fused = torch.optim.Adam(model.parameters(), lr=a.lr, eps=1e-7, fused=True), True
        except (RuntimeError, TypeError):
            opt, fused = torch.optim.Adam(model.parameters(), lr=a.lr, eps=1e-7), False
    if a.loss == "ce":
        loss_fn = torch.nn.CrossEntropyLoss()
    else:
        mse = torch.nn.MSELoss()
        eye = torch.eye(sizes[-1], device=device)
        loss_fn = lambda logits, labels: mse(torch.softmax(logits, 1), eye[labels])

    xt = torch.from_numpy(x)
    yt = torch.from_numpy(y)
    if a.resident:
        xt, yt = xt.to(device), yt.to(device)
    elif device.type == "cuda":
        xt, yt = xt.pin_memory(), yt.pin_memory()
    rng = np.random.default_rng(a.seed)
    times, losses = [], []
    for epoch in range(a.epochs):
        perm = torch.from_numpy(rng.permutation(n))
        if a.resident:
            perm = perm.to(device)
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        total = torch.zeros((), device=device)
        steps = 0
        for s in range(0, n, a.batch_size):
            idx = perm[s : s + a.batch_size]
            xb = xt[idx].to(device, non_blocking=True)
            yb = yt[idx].to(device, non_blocking=True)
            loss = loss_fn(model(xb), yb)
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
                if device.type == "cuda":
                    torch.cuda.synchronize()
                predict_times.append(time.perf_counter() - start)
            predict_per_second = len(xs) / statistics.median(predict_times[1:])
    summary = {
        "engine": "pytorch " + torch.__version__,
        "device": torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu",
        "mode": "resident" if a.resident else "host-batches",
        "samples": n, "batch_size": a.batch_size, "epochs": a.epochs,
        "epoch_seconds": times, "median_epoch_seconds": statistics.median(times[1:] if len(times) > 1 else times),
        "samples_per_second": n / statistics.median(times[1:] if len(times) > 1 else times),
        "final_loss": losses[-1], "test_accuracy": accuracy, "predict_samples_per_second": predict_per_second,
        "threads": torch.get_num_threads(), "fused_adam": fused,
        "network": f"{a.sizes} {a.activation}, {a.loss}, {a.optimizer} {a.lr}",
    }
    print(json.dumps(summary))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(summary, f, indent=1)


if __name__ == "__main__":
    main()

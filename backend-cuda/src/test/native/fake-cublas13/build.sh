#!/bin/sh
# Builds the test stand-in for CUDA 13's cuBLAS (fake_cublas13.c) into OUTPUT_DIR/libcublas.so.13.
# Skips, as the shim's build does, without a C compiler or off Linux x86-64.
#   usage: build.sh OUTPUT_DIR
set -eu
out="${1:?usage: build.sh OUTPUT_DIR}"
here=$(cd "$(dirname "$0")" && pwd)
cc="${CC:-gcc}"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ] || ! command -v "$cc" >/dev/null 2>&1; then
    echo "[nabla] not building the fake libcublas.so.13 for tests (needs $cc on Linux-x86_64)"
    rm -f "$out/libcublas.so.13"
    exit 0
fi
mkdir -p "$out"
"$cc" -shared -fPIC -O2 -Wall -Wextra -s -Wl,-soname,libcublas.so.13 \
    -Wl,--version-script="$here/libcublas.so.13.map" -Wl,-z,noexecstack \
    -o "$out/libcublas.so.13.tmp" "$here/fake_cublas13.c"
mv -f "$out/libcublas.so.13.tmp" "$out/libcublas.so.13"

#!/bin/sh
# Builds the libcublas.so.12 compatibility shim (see shim.c) into OUTPUT_DIR/libcublas.so.12.
# Without a C compiler, or off Linux x86-64, it prints why and builds nothing: Nabla then reports at run
# time that the shim was not built. CC overrides the compiler (default gcc).
#   usage: build.sh OUTPUT_DIR
set -eu
out="${1:?usage: build.sh OUTPUT_DIR}"
here=$(cd "$(dirname "$0")" && pwd)
cc="${CC:-gcc}"
platform="$(uname -s)-$(uname -m)"
if [ "$platform" != "Linux-x86_64" ]; then
    echo "[nabla] not building the libcublas.so.12 compatibility shim: it is for Linux-x86_64, this is $platform"
    exit 0
fi
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "[nabla] not building the libcublas.so.12 compatibility shim: $cc not found (install gcc to build it)"
    rm -f "$out/libcublas.so.12"
    exit 0
fi
mkdir -p "$out"
"$cc" -shared -fPIC -O2 -Wall -Wextra -s \
    -Wl,-soname,libcublas.so.12 \
    -Wl,--version-script="$here/libcublas.so.12.map" \
    -Wl,-z,noexecstack -Wl,--no-undefined \
    -I"$here" -o "$out/libcublas.so.12.tmp" "$here/shim.c" "$here/trampolines.S" -ldl
mv -f "$out/libcublas.so.12.tmp" "$out/libcublas.so.12"
echo "[nabla] built the libcublas.so.12 compatibility shim: $out/libcublas.so.12"

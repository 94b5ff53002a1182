#!/usr/bin/env bash
# Builds the CUDA kernels (src/main/cuda/*.cu) into PTX and keeps the committed PTX
# (src/main/resources/dev/nabla/kernels/cuda/*.ptx) honest. The Maven build runs it in check mode.
#
#   kernels/build-ptx.sh            check: fail if a committed PTX is stale
#   kernels/build-ptx.sh --update   rebuild with nvcc and rewrite the committed PTX
#   mvn -pl kernels generate-resources -Dnabla.ptx.update=true    (the same, through Maven)
#
# Each committed PTX starts with the SHA-256 of its sources (the .cu, then every .cuh in name
# order), so staleness is caught even where nvcc is missing. Where nvcc is on the PATH the PTX is
# also rebuilt into target/ptx and, when it is the nvcc version that built the committed file,
# compared byte for byte. nvcc's own header names its version, never a date or a path.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src="$here/src/main/cuda"
committed="$here/src/main/resources/dev/nabla/kernels/cuda"
out="$here/target/ptx"
# compute_75 PTX: JIT-compiled by the driver on Turing (sm_75) and every later GPU.
flags=(-ptx -arch=compute_75 -std=c++17 -O3 -Werror all-warnings)
mode=check
case "${1:-}" in
    ""|--check) ;;
    --update) mode=update ;;
    *) echo "usage: $0 [--check|--update]" >&2; exit 2 ;;
esac

source_hash() { # the SHA-256 of name.cu followed by every .cuh, in C-locale name order
    local name=$1
    { cat "$src/$name.cu"; for h in $(cd "$src" && ls -1 *.cuh 2>/dev/null | LC_ALL=C sort); do cat "$src/$h"; done; } \
        | sha256sum | cut -d' ' -f1
}

header() {
    echo "// nabla-ptx: built by kernels/build-ptx.sh from src/main/cuda/$1.cu; do not edit, run kernels/build-ptx.sh --update"
    echo "// nabla-source-sha256: $2"
    echo "// nabla-nvcc-flags: ${flags[*]}"
}

nvcc_line() { grep -m1 '^// Cuda compilation tools' "$1" 2>/dev/null || true; }

have_nvcc=false
if command -v nvcc >/dev/null 2>&1; then
    have_nvcc=true
    mkdir -p "$out"
elif [ "$mode" = update ]; then
    echo "build-ptx: --update needs nvcc on the PATH (CUDA 13 toolkit)" >&2
    exit 1
fi

stale=()
names=()
for cu in "$src"/*.cu; do
    [ -e "$cu" ] || continue
    name=$(basename "$cu" .cu)
    names+=("$name")
    hash=$(source_hash "$name")
    target="$committed/$name.ptx"
    if $have_nvcc; then
        built="$out/$name.ptx"
        nvcc "${flags[@]}" "$cu" -o "$built.nvcc"
        { header "$name" "$hash"; cat "$built.nvcc"; } > "$built"
        rm -f "$built.nvcc"
        if [ "$mode" = update ]; then
            mkdir -p "$committed"
            cp "$built" "$target"
            echo "build-ptx: wrote $name.ptx"
            continue
        fi
    fi
    if [ ! -f "$target" ]; then
        stale+=("$name.ptx is missing")
        continue
    fi
    if ! grep -q "^// nabla-source-sha256: $hash\$" "$target"; then
        stale+=("$name.ptx was built from other sources than src/main/cuda/$name.cu and the .cuh headers")
        continue
    fi
    if $have_nvcc; then
        if [ "$(nvcc_line "$built")" = "$(nvcc_line "$target")" ]; then
            cmp -s "$built" "$target" || stale+=("$name.ptx differs from what this nvcc builds (target/ptx/$name.ptx)")
        else
            echo "build-ptx: note: $name.ptx was built by '$(nvcc_line "$target" | sed 's|^// ||')'," \
                "this is '$(nvcc_line "$built" | sed 's|^// ||')': checked the source hash only"
        fi
    fi
done

if [ "$mode" = check ]; then
    for ptx in "$committed"/*.ptx; do
        [ -e "$ptx" ] || continue
        name=$(basename "$ptx" .ptx)
        [ -f "$src/$name.cu" ] || stale+=("$name.ptx has no source src/main/cuda/$name.cu")
    done
fi

if [ ${#stale[@]} -gt 0 ]; then
    echo "build-ptx: the committed PTX under kernels/src/main/resources/dev/nabla/kernels/cuda is stale:" >&2
    for s in "${stale[@]}"; do echo "  - $s" >&2; done
    echo "Refresh it on a machine with nvcc (CUDA 13): kernels/build-ptx.sh --update" >&2
    echo "  (or: mvn -pl kernels generate-resources -Dnabla.ptx.update=true), then commit the .ptx files." >&2
    exit 1
fi
[ "$mode" = check ] && echo "build-ptx: ${#names[@]} PTX files are current$($have_nvcc && echo " (rebuilt with nvcc into target/ptx)" || echo " (source hashes; nvcc not on the PATH)")"
exit 0

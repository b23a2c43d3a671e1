#!/usr/bin/env bash
# Runs barong's cargo-fuzz targets (fuzz/fuzz_targets/) for a fixed time each.
#
#   scripts/fuzz.sh [seconds-per-target] [target...]     # default: 600 s, all targets
#
# Why this script: cargo-fuzz passes nightly-only rustc flags (-Zsanitizer=address,
# sanitizer-coverage passes) and this project's machines have only stable Rust, where
# no nightly can be installed. RUSTC_BOOTSTRAP=1 makes stable rustc accept them; stable
# ships the ASan runtime, so targets are built with AddressSanitizer (FUZZ_SANITIZER=none
# to skip it). The machine has 2 shared cores: builds and runs are niced and every
# target runs as one libFuzzer process, one after the other.
#
# Seeds in fuzz/seeds/<target>/ are copied into the working corpus fuzz/corpus/<target>/
# (kept between runs, git-ignored); fuzz/dicts/<target>.dict, when present, is passed
# as a libFuzzer dictionary. A crash leaves its input in fuzz/artifacts/<target>/
# and the full output in fuzz/logs/<target>.log; the script goes on with the other
# targets and exits 1 if any target crashed (or failed to build).
#
# Environment: FUZZ_SANITIZER (address | none; default address), FUZZ_TIMEOUT (seconds
# for one input before libFuzzer calls it a hang; default 30), FUZZ_ARGS (extra libFuzzer
# arguments, e.g. "-fork=1 -ignore_crashes=1" to keep going after a crash).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fuzz_dir="$root/fuzz"
seconds="${1:-600}"
shift || true
sanitizer="${FUZZ_SANITIZER:-address}"
timeout="${FUZZ_TIMEOUT:-30}"
read -r -a extra_args <<<"${FUZZ_ARGS:-}"

if [[ ! "$seconds" =~ ^[0-9]+$ ]]; then
    echo "usage: scripts/fuzz.sh [seconds-per-target] [target...]" >&2
    exit 2
fi

export RUSTC_BOOTSTRAP=1
export RUST_BACKTRACE="${RUST_BACKTRACE:-1}"
cd "$fuzz_dir" # anything libFuzzer writes to its working directory stays in fuzz/
export CARGO_TARGET_DIR="$fuzz_dir/target"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz from crates.io"
    nice -n 10 cargo install cargo-fuzz --locked --version '^0.13'
fi

if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list --fuzz-dir "$fuzz_dir")
fi

build_flags=(--fuzz-dir "$fuzz_dir" --sanitizer "$sanitizer")
echo "== building ${targets[*]} (sanitizer: $sanitizer)"
start=$(date +%s)
if [[ $# -gt 0 ]]; then
    for target in "${targets[@]}"; do
        nice -n 10 cargo fuzz build "${build_flags[@]}" "$target"
    done
else
    nice -n 10 cargo fuzz build "${build_flags[@]}"
fi
echo "== build took $(($(date +%s) - start)) s"
bin_dir="$CARGO_TARGET_DIR/$(rustc -vV | sed -n 's/^host: //p')/release"
if [[ "$sanitizer" == address ]]; then
    # As `cargo fuzz run` does: Rust's ASan builds trip the ODR check falsely.
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_odr_violation=0"
fi

mkdir -p "$fuzz_dir/logs"
failed=()
for target in "${targets[@]}"; do
    corpus="$fuzz_dir/corpus/$target"
    mkdir -p "$corpus"
    if [[ -d "$fuzz_dir/seeds/$target" ]]; then
        cp -n "$fuzz_dir/seeds/$target"/* "$corpus"/ 2>/dev/null || true
    fi
    log="$fuzz_dir/logs/$target.log"
    echo "== fuzzing $target for $seconds s (log: $log)"
    # The binaries built above are run directly (what `cargo fuzz run` runs), so that the
    # other engineers' edits to src/ during a long run do not trigger rebuilds and every
    # target fuzzes the same snapshot. One libFuzzer process: no -jobs/-workers/-fork
    # unless FUZZ_ARGS asks (-jobs=1 would fork a child and send its output to fuzz-0.log).
    mkdir -p "$fuzz_dir/artifacts/$target"
    dict_args=()
    if [[ -f "$fuzz_dir/dicts/$target.dict" ]]; then
        dict_args=(-dict="$fuzz_dir/dicts/$target.dict")
    fi
    if nice -n 10 "$bin_dir/$target" -artifact_prefix="$fuzz_dir/artifacts/$target/" \
        -max_total_time="$seconds" -timeout="$timeout" -print_final_stats=1 \
        "${dict_args[@]}" "${extra_args[@]}" "$corpus" >"$log" 2>&1; then
        echo "   ok: $(grep -E '^Done [0-9]+ runs' "$log" | tail -1 || true)"
    else
        echo "   FAILED: $target (see $log and $fuzz_dir/artifacts/$target/)"
        grep -E -m3 "panicked at|ERROR: libFuzzer|ERROR: AddressSanitizer|SUMMARY" "$log" || true
        failed+=("$target")
    fi
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' "$log" | sed 's/^/   /' || true
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "== crashes or failures in: ${failed[*]}"
    exit 1
fi
echo "== all targets ran $seconds s without a crash"

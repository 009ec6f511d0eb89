#!/usr/bin/env bash
# The fuzz targets of fuzz/ (cargo fuzz, libFuzzer), each for a bounded time, seeded with
# the repository's own playbooks, configs and hostile provider answers.
#
#   FUZZ_SECONDS   how long each target runs (default 30)
#   FUZZ_TARGETS   which targets (default: all of them, as listed below)
#   FUZZ_TIMEOUT   seconds one input may take before it counts as a hang (default 10)
#
# A crash, a failed assertion or a hang fails the script (so CI), after every target has
# had its turn; the input is kept in fuzz/artifacts/TARGET/ and replays with
#   cargo fuzz run --sanitizer none TARGET fuzz/artifacts/TARGET/crash-…
#
# Only the stable toolchain is here: AddressSanitizer needs -Zsanitizer (nightly), so the
# targets are built with --sanitizer none: libFuzzer and its coverage instrumentation
# work on stable, and pagerdeck forbids unsafe code, so a sanitizer has little to add.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2
seconds=${FUZZ_SECONDS:-30}
per_input=${FUZZ_TIMEOUT:-10}
targets=${FUZZ_TARGETS:-markdown pagerduty opsgenie alertmanager config}

say() { printf '\n== %s\n' "$*"; }

if ! command -v cargo-fuzz >/dev/null; then
    say "installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install --locked "cargo-fuzz@$CARGO_FUZZ_VERSION"
fi

# Read-only seed folders per target (libFuzzer reads them recursively); new inputs go to
# fuzz/corpus/TARGET, which is kept between local runs and ignored by git.
seeds() {
    case "$1" in
        markdown) echo "assets/demo/playbooks tests/fixtures/playbooks tests/fixtures/lint" ;;
        pagerduty | opsgenie | alertmanager) echo "tests/fixtures/hostile" ;;
        config) echo "assets tests/fixtures/hostile" ;;
        *) echo "scripts/fuzz.sh: no seeds for target $1" >&2; exit 2 ;;
    esac
}

for target in $targets; do
    seeds "$target" >/dev/null # an unknown target stops here, before the build
done

say "cargo fuzz build (all targets, --sanitizer none)"
started=$SECONDS
(cd fuzz && cargo fuzz build --sanitizer none)
echo "built in $((SECONDS - started))s"

failed=()
for target in $targets; do
    say "fuzz $target for ${seconds}s"
    mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
    # Not in artifacts/: cargo fuzz takes the newest file there for the failing input.
    mkdir -p fuzz/target/logs
    log="fuzz/target/logs/$target.log"
    # shellcheck disable=SC2046 # the seed folders are words
    if (cd fuzz && cargo fuzz run --sanitizer none "$target" "corpus/$target" \
        $(for dir in $(seeds "$target"); do echo "../$dir"; done) \
        -- -max_total_time="$seconds" -timeout="$per_input" -print_final_stats=1) >"$log" 2>&1; then
        # "Done 62821 runs in 31 second(s)": the figure worth keeping from the log.
        done_line=$(grep -E '^Done [0-9]+ runs in' "$log" | tail -1)
        runs=$(echo "$done_line" | awk '{print $2}')
        took=$(echo "$done_line" | awk '{print $5}')
        echo "$target: ${done_line:-done} ($((runs / (took > 0 ? took : 1))) execs/s)"
    else
        failed+=("$target")
        echo "$target FAILED (all of it in $log):" >&2
        # What failed, and how to replay it; not the input's bytes cargo fuzz also prints.
        grep -a -m1 -A14 -E 'panicked at|ERROR: libFuzzer|==ERROR' "$log" >&2 || tail -20 "$log" >&2
        grep -a -A2 -E '^Reproduce with' "$log" >&2 || true
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found a problem in: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
    exit 1
fi

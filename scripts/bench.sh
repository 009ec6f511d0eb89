#!/usr/bin/env bash
# Speed figures for the README and notes: frame times and playbook layout (criterion), time to first frame
# and idle CPU of the release binary in a real terminal (tmux).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "tmux is missing: apt-get install tmux" >&2; exit 1; }

echo "== frame times and playbook layout (criterion)"
for bench in render markdown; do
    cargo bench --locked --bench "$bench" -- --noplot --output-format bencher 2>/dev/null \
        | awk '/^test / {sub(/^test /, ""); sub(/ \.\.\. bench: +/, ": "); print}'
done

cargo build --locked --release -q
binary=$(realpath target/release/pagerdeck)
work=$(mktemp -d)
socket="pagerdeck-bench-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null; rm -rf "$work"' EXIT
clk=$(getconf CLK_TCK)

echo "== time to first frame (logged by the binary: process start to first frame flushed)"
for run in 1 2 3 4 5; do
    data="$work/first-$run"
    # The trailing sleep keeps the tmux server up between runs.
    tmux -L "$socket" -f /dev/null new-session -d -s "first$run" -x 160 -y 48 \
        "env TERM=xterm-256color XDG_CONFIG_HOME=$work/none PAGERDECK_DATA_DIR=$data '$binary'; sleep 60"
    for _ in $(seq 100); do grep -q "first frame" "$data/pagerdeck.log" 2>/dev/null && break; sleep 0.05; done
    grep 'first frame elapsed' "$data/pagerdeck.log" | grep -o 'elapsed_ms=[0-9.]*' | head -1
    tmux -L "$socket" send-keys -t "first$run" q
    sleep 0.3
    sleep 0.5
    grep 'first frame with incidents' "$data/pagerdeck.log" | grep -o 'elapsed_ms=[0-9.]*' | sed 's/^/data /' | head -1
done > "$work/first.txt"
for kind in "" "data "; do
    grep "^${kind}elapsed" "$work/first.txt" | cut -d= -f2 | sort -n \
        | awk -v what="${kind:-any }" '{v[NR]=$1} END {printf "first frame (%s): median %.1f ms (min %.1f, max %.1f) over %d runs\n", what == "data " ? "with incidents" : "any", v[int((NR+1)/2)], v[1], v[NR], NR}'
done

echo "== idle CPU over 10 s (demo at 160x48, nothing pressed)"
tmux -L "$socket" -f /dev/null new-session -d -s idle -x 160 -y 48 \
    "env TERM=xterm-256color XDG_CONFIG_HOME=$work/none PAGERDECK_DATA_DIR=$work/idle '$binary'; sleep 60"
sleep 3
pid=$(pgrep -f -n "^$binary\$" || pgrep -n -x pagerdeck)
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(ticks); sleep 10; after=$(ticks)
awk -v d=$((after - before)) -v hz="$clk" -v pid="$pid" -v total="$after" \
    'BEGIN {printf "idle CPU: %.2f%% of one core (%d ticks of 1/%d s in 10 s; pid %s, %d ticks since start)\n", d / hz / 10 * 100, d, hz, pid, total}'
rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
echo "peak memory (VmHWM): $((rss / 1024)) MiB"

echo "== input latency under faults (benches/input): key press to frame shown, ${INPUT_PRESSES:-120} presses per case"
# A copy of the release binary: building the bench puts its own build (with the
# dev-dependencies' features) at target/release/pagerdeck.
cp "$binary" "$work/pagerdeck"
PAGERDECK_BIN="$work/pagerdeck" cargo bench --locked --bench input 2>/dev/null

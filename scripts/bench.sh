#!/usr/bin/env bash
# Speed figures for the README and notes: frame times (criterion), time to first frame
# and idle CPU of the release binary in a real terminal (tmux).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "tmux is missing: apt-get install tmux" >&2; exit 1; }

echo "== frame times (criterion)"
cargo bench --locked --bench render -- --noplot 2>&1 | grep -E '^(frame|refresh)|time:' | paste - - | sed -E 's/ +/ /g'

cargo build --locked --release -q
binary=$(realpath target/release/pagerdeck)
work=$(mktemp -d)
socket="pagerdeck-bench-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null; rm -rf "$work"' EXIT
clk=$(getconf CLK_TCK)

echo "== time to first frame (logged by the binary: process start to first frame flushed)"
for run in 1 2 3 4 5; do
    data="$work/first-$run"
    tmux -L "$socket" -f /dev/null new-session -d -s "first$run" -x 160 -y 48 \
        "env TERM=xterm-256color XDG_CONFIG_HOME=$work/none PAGERDECK_DATA_DIR=$data '$binary'"
    for _ in $(seq 100); do grep -q "first frame" "$data/pagerdeck.log" 2>/dev/null && break; sleep 0.05; done
    grep -o 'elapsed_ms=[0-9.]*' "$data/pagerdeck.log" | head -1
    tmux -L "$socket" send-keys -t "first$run" q
done | sort -t= -k2 -n | awk -F= '{v[NR]=$2} END {printf "first frame: median %s ms (min %s, max %s) over %d runs\n", v[int((NR+1)/2)], v[1], v[NR], NR}'

echo "== idle CPU over 10 s (demo at 160x48, nothing pressed)"
tmux -L "$socket" -f /dev/null new-session -d -s idle -x 160 -y 48 \
    "env TERM=xterm-256color XDG_CONFIG_HOME=$work/none PAGERDECK_DATA_DIR=$work/idle '$binary'"
sleep 3
pid=$(pgrep -f -n "^$binary\$" || pgrep -n -x pagerdeck)
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(ticks); sleep 10; after=$(ticks)
awk -v d=$((after - before)) -v hz="$clk" 'BEGIN {printf "idle CPU: %.2f%% of one core (%d ticks of 1/%d s in 10 s)\n", d / hz / 10 * 100, d, hz}'
rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
echo "peak memory (VmHWM): $((rss / 1024)) MiB"

#!/usr/bin/env bash
# End to end: `!` on the demo at 80x24. A reason is asked for and required; the mark shows
# in the list and the summary, is in the journal, comes back after a restart (read-only
# too, where `!` still works: nothing is sent), and is in `pagerdeck handoff`.
set -uo pipefail
binary=$(realpath "${1:-target/release/pagerdeck}")
[ -x "$binary" ] || { echo "no binary at $binary: cargo build --release first" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tmux is missing: apt-get install tmux" >&2; exit 1; }

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

home="$work/not-actionable" && mkdir -p "$home/config" "$home/data"
start() {
    tmux -L "$socket" kill-server 2>/dev/null
    rm -f "$home/exit"
    tmux -L "$socket" -f /dev/null new-session -d -s e2e -x 80 -y 24 \
        "env -u NO_COLOR -u PAGERDECK_CONFIG TERM=xterm-256color XDG_CONFIG_HOME=$home/config PAGERDECK_DATA_DIR=$home/data USER=e2e '$binary' $*; echo \"exit=\$?\" > $home/exit; sleep 30"
}
quit() {
    keys q
    local deadline=$((SECONDS + 5))
    while [ ! -s "$home/exit" ] && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    check "$1" grep -q '^exit=0$' "$home/exit"
}

echo "not actionable on the demo at 80x24:"
start
check "opens on the demo" wait_for "DEMO DATA"
keys '!'
check "! asks why" wait_for "Why is this page not actionable"
keys Enter
check "a reason is required" wait_for "say why it is not actionable"
keys -l "flaps every night"
keys Enter
check "the row says noise" wait_for "⊘noise checkout-api"
check "the summary says who and why" wait_for "marked not actionable by e2e"
check "kept in the journal only" wait_for_file "$home/data/journal.jsonl" '"state":"not_actionable"'
check "with the reason and what the incident was" grep -qF '"reason":"flaps every night","by":"e2e","incident":{"title":"checkout-api 5xx' "$home/data/journal.jsonl"
quit "q quits with status 0"

start --read-only
check "after a restart the mark is back" wait_for "⊘noise checkout-api" 10
keys j
keys '!'
check "read-only mode keeps !" wait_for "Why is this page not actionable"
keys -l "expected during the reindex"
keys Enter
check "and marks without sending" wait_for "marked not actionable (kept in your journal only)"
quit "q quits again with status 0"

handoff=$(env -u NO_COLOR -u PAGERDECK_CONFIG XDG_CONFIG_HOME="$home/config" PAGERDECK_DATA_DIR="$home/data" USER=e2e "$binary" handoff)
check "the hand-off lists both marks" grep -qF "## Marked not actionable (2)" <<<"$handoff"
check "with the reason" grep -qF "flaps every night (by e2e)" <<<"$handoff"
echo "not-actionable e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]

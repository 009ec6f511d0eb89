#!/usr/bin/env bash
# End to end: escalating to level two on the demo at 120x40. `e` opens the hand-over in
# an editor with who is on call at level two; typing and a bracketed paste edit it;
# Ctrl-S sends it; the demo's Eng Cap takes the incident; the journal has the hand-over.
set -uo pipefail
binary=$(realpath "${1:-target/release/pagerdeck}")
[ -x "$binary" ] || { echo "no binary at $binary: cargo build --release first" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tmux is missing: apt-get install tmux" >&2; exit 1; }

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

home="$work/escalate" && mkdir -p "$home/config" "$home/data"
echo "escalation on the demo at 120x40:"
tmux -L "$socket" -f /dev/null new-session -d -s e2e -x 120 -y 40 \
    "env -u NO_COLOR -u PAGERDECK_CONFIG TERM=xterm-256color XDG_CONFIG_HOME=$home/config PAGERDECK_DATA_DIR=$home/data USER=e2e '$binary'; echo \"exit=\$?\" > $home/exit; sleep 30"
check "opens on the demo" wait_for "DEMO DATA"
keys e
check "e opens the escalation panel" wait_for "Escalate demo:INC-1042 to Eng Cap"
check "it says who is on call at level two" wait_for "level two: Kai Lindqvist (Eng Cap"
check "the hand-over is pre-filled with the playbook's progress" wait_for "§ HighErrorRate (0 of 6 steps done)"
check "and how to send it" wait_for "Ctrl-S send"
keys -l "Kai: DB failover needed"
keys Enter
check "typing goes into the hand-over" wait_for "Kai: DB failover needed"
tmux -L "$socket" set-buffer "pasted from the runbook"
tmux -L "$socket" paste-buffer -p -t e2e
check "a bracketed paste lands in it" wait_for "pasted from the runbook"
keys C-s
check "Ctrl-S sends it" wait_for "escalate demo:INC-1042 to Eng Cap: done" 10
check "the incident shows the escalation sent, not taken yet" wait_for "not taken yet" 5
check "level two takes it, and it says so" wait_for "taken by Kai Lindqvist" 40
check "the journal holds the hand-over as sent, both edits in it" grep -qE '"verb":"escalate","to":"Eng Cap","message":"Kai: DB failover needed\\npasted from the runbook' "$home/data/journal.jsonl"
check "and the route it went by" grep -qF '"route":"the demo: recorded, nobody is paged"' "$home/data/journal.jsonl"
keys q
deadline=$((SECONDS + 5))
while [ ! -s "$home/exit" ] && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
check "q quits with status 0" grep -q '^exit=0$' "$home/exit"

# Started again: the escalation is still shown, read back from the journal.
tmux -L "$socket" kill-server 2>/dev/null
rm -f "$home/exit"
tmux -L "$socket" -f /dev/null new-session -d -s e2e -x 120 -y 40 \
    "env -u NO_COLOR -u PAGERDECK_CONFIG TERM=xterm-256color XDG_CONFIG_HOME=$home/config PAGERDECK_DATA_DIR=$home/data USER=e2e '$binary'; echo \"exit=\$?\" > $home/exit; sleep 30"
check "after a restart the escalation is still shown" wait_for "not taken yet" 10
keys q
deadline=$((SECONDS + 5))
while [ ! -s "$home/exit" ] && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
check "q quits again with status 0" grep -q '^exit=0$' "$home/exit"
echo "escalate e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]

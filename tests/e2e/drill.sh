#!/usr/bin/env bash
# End to end: drills, the release binary in a real terminal (tmux) with no config. Lists
# the drills; plays the first at 80x24 and at 120x40 on a fast simulated clock (banner,
# incidents arriving, acknowledge, a step, q then y or a `!` mark, the debrief, and that
# every action and mark went to the drill's own journal); lets one end by itself
# when its time is up; prints the debrief as JSON; refuses an unknown drill. Works on
# whatever the first scenario is. With stdout redirected it still draws on the terminal and
# the file gets only the JSON. Polls for text instead of sleeping.
set -uo pipefail
binary=$(realpath "${1:-target/release/pagerdeck}")
[ -x "$binary" ] || { echo "no binary at $binary: cargo build --release first" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tmux is missing: apt-get install tmux" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is missing (it checks the JSON)" >&2; exit 1; }

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

# open_at WIDTH HEIGHT HOME ARGS...: `pagerdeck ARGS` in a fresh tmux session, its exit
# status to HOME/exit. (Its stdout is the terminal it draws on: what it prints after the
# drill is read back from the pane, see `printed`.)
open_at() {
    local width=$1 height=$2 home=$3
    shift 3
    mkdir -p "$home/config" "$home/data"
    tmux -L "$socket" kill-server 2>/dev/null
    for _ in $(seq 50); do tmux -L "$socket" has-session 2>/dev/null || break; sleep 0.1; done
    tmux -L "$socket" -f /dev/null new-session -d -s e2e -x "$width" -y "$height" \
        "env -u NO_COLOR -u PAGERDECK_CONFIG TERM=xterm-256color XDG_CONFIG_HOME=$home/config PAGERDECK_DATA_DIR=$home/data USER=e2e '$binary' $*; echo \"exit=\$?\" > $home/exit; sleep 30"
}

# printed HOME: what the pane holds once the cockpit is gone (its scrollback too, wrapped
# lines joined), to HOME/out.
printed() { tmux -L "$socket" capture-pane -p -J -S - -t e2e > "$1/out"; }

wait_exit() {
    local deadline=$((SECONDS + 10))
    while [ ! -s "$1/exit" ] && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
}

echo "drill --list:"
list=$(env -u PAGERDECK_CONFIG XDG_CONFIG_HOME="$work/none" PAGERDECK_DATA_DIR="$work/list" "$binary" drill --list)
first=$(printf '%s\n' "$list" | head -1 | awk '{print $1}')
check "prints at least one drill" test -n "$first"
check "each line is a name, then what it is about" \
    bash -c '! printf "%s\n" "$1" | grep -vqE "^[A-Za-z0-9_.-]+ +[^ ].+"' _ "$list"

play_at() {
    local width=$1 height=$2
    local home="$work/play-$width"
    echo "a drill at ${width}x${height}:"
    open_at "$width" "$height" "$home" drill --speed 60
    check "the banner says DRILL, the scenario and the speed" wait_for "DRILL $first"
    check "… and ×60" wait_for "×60"
    check "it never says DEMO DATA" wait_gone "DEMO DATA" 1
    check "incidents appear" wait_for_re "Incidents \(?[1-9]"
    check "the drill source is live" wait_for "drill ● live"
    keys a
    check "a asks before acknowledging" wait_for "Acknowledge?"
    keys y
    check "the drill's source takes it" wait_for_re "acknowledge drill:[^ ]+: done"
    keys x
    check "x checks a playbook step (its row shows 1/N)" wait_for_re " 1/[0-9]+ "
    keys q
    check "q asks before ending the drill" wait_for "End the drill now and see the debrief?"
    keys n
    check "n goes on with the drill" wait_gone "End the drill now"
    if [ "${3:-}" = mark ]; then
        keys '!'
        check "! asks why it is not actionable" wait_for "Why is this page not actionable"
        tmux -L "$socket" send-keys -t e2e -l "drill practice"
        keys Enter
        # Marking the last incident not handled ends the drill by itself; else q, y.
        if ! wait_for "Debrief · $first" 3 2>/dev/null; then
            check "… and marks it" wait_for "marked not actionable"
            keys q
            keys y
        fi
    else
        keys q
        keys y
    fi
    check "the debrief screen" wait_for "Debrief · $first"
    check "… says why it ended" wait_for "The drill is over: "
    check "… and how to leave" wait_for "q/Enter"
    keys j
    keys q
    wait_exit "$home"
    printed "$home"
    check "q leaves the debrief with status 0" grep -q '^exit=0$' "$home/exit"
    check "the score is printed after the screen is gone" grep -qF "$first" "$home/out"
    check "the drill's actions went to its own journal" grep -q '"verb":"acknowledge"' "$home/data/drills/last-run/journal.jsonl"
    check "… and its step to its own steps file" test -s "$home/data/drills/last-run/steps.jsonl"
    if [ "${3:-}" = mark ]; then
        check "… and its not-actionable mark too" grep -q '"state":"not_actionable"' "$home/data/drills/last-run/journal.jsonl"
    fi
    check "never to the real journal" test ! -e "$home/data/journal.jsonl"
}

play_at 80 24 mark
play_at 120 40

echo "a drill that runs out of time:"
home="$work/time-up"
open_at 100 30 "$home" drill --speed 1000 --json
check "ends by itself when its time is up" wait_for "The drill is over: time is up." 20
keys Enter
wait_exit "$home"
printed "$home"
check "--json: exit status 0" grep -q '^exit=0$' "$home/exit"
# The JSON is the text from the first line that is only "{" to the next that is only "}".
check "--json prints the debrief as JSON" python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
start = lines.index("{")
end = lines.index("}", start)
d = json.loads("\n".join(lines[start:end + 1]))
assert d["scenario"] == sys.argv[2], d' "$home/out" "$first"

echo "a drill with its JSON redirected to a file:"
home="$work/redirected"
open_at 100 30 "$home" drill --speed 1000 --json ">" "$home/debrief.json"
check "draws on the terminal though stdout is a file" wait_for "The drill is over: time is up." 20
keys Enter
wait_exit "$home"
check "exit status 0" grep -q '^exit=0$' "$home/exit"
check "the file holds the debrief as JSON, and nothing else" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["scenario"] == sys.argv[2], d' "$home/debrief.json" "$first"

echo "an unknown drill:"
out=$(env -u PAGERDECK_CONFIG XDG_CONFIG_HOME="$work/none" PAGERDECK_DATA_DIR="$work/unknown" "$binary" drill no-such-drill 2>&1)
code=$?
check "exit status 2" test "$code" = 2
check "says there is no such drill, and which there are" grep -qE "no drill named .?no-such-drill.?; the drills are: " <<<"$out"
out=$(env -u PAGERDECK_CONFIG XDG_CONFIG_HOME="$work/none" "$binary" drill --speed 0 2>&1)
check "a speed of 0 is refused with the reason" grep -q "above 0" <<<"$out"

echo "drill e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]

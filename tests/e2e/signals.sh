#!/usr/bin/env bash
# End to end: however pagerdeck is ended or stopped (SIGTERM, SIGHUP, SIGINT, the Ctrl-C
# key, Ctrl-Z then fg), the shell it was started from gets a usable terminal back: raw
# mode off, the main screen, the cursor shown; after fg the cockpit is whole again.
# The pane runs dash, which repairs nothing itself (bash puts its own tty modes back after
# a job a signal killed), so what the checks see is what pagerdeck left. Checks marked
# (setup) only show that a case started as it should.
set -uo pipefail
binary=$(realpath "${1:-target/release/pagerdeck}")
[ -x "$binary" ] || { echo "no binary at $binary: cargo build --release first" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tmux is missing: apt-get install tmux" >&2; exit 1; }
command -v dash >/dev/null || { echo "dash is missing: apt-get install dash" >&2; exit 1; }

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

# One tmux server for every case: a session that outlives them keeps it up.
tmux -L "$socket" -f /dev/null new-session -d -s keep 'sleep 600'

pane() { tmux -L "$socket" display-message -p -t e2e "$1"; }
type_line() { tmux -L "$socket" send-keys -t e2e -l -- "$1"; tmux -L "$socket" send-keys -t e2e Enter; }
modes() { stty -a -F "$(pane '#{pane_tty}')" | tr -s ' ;' '\n\n' | grep -xE -- '-?(icanon|echo)' | paste -sd ' '; }

# stopped PID: until ps says the process is stopped.
stopped() {
    local deadline=$((SECONDS + 5))
    while [ $SECONDS -lt $deadline ]; do
        ps -o stat= -p "$1" | grep -q '^T' && return 0
        sleep 0.1
    done
    return 1
}

# gone PID: until the process has ended.
gone() {
    local deadline=$((SECONDS + 10))
    while kill -0 "$1" 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.1
    done
}

# start NAME [THEN]: a fresh shell in a fresh pane, and pagerdeck (the demo) started from
# it, followed by THEN (by default, printing its exit status).
start() {
    name=$1 home="$work/$1"
    local then=${2-; echo exit=\$?}
    mkdir -p "$home/config" "$home/data"
    echo "$name:"
    # exec keeps the pid, so $home/pid is pagerdeck's own.
    cat > "$home/run" <<RUN
#!/bin/sh
echo \$\$ > '$home/pid'
exec env -u NO_COLOR -u PAGERDECK_CONFIG TERM=xterm-256color XDG_CONFIG_HOME='$home/config' PAGERDECK_DATA_DIR='$home/data' USER=e2e '$binary' 2>'$home/stderr'
RUN
    chmod +x "$home/run"
    tmux -L "$socket" new-session -d -s e2e -x 80 -y 24 \
        "env -i PATH='$PATH' HOME='$home' TERM=xterm-256color PS1='e2e\$ ' dash -i"
    check "(setup) the shell prompts" wait_for 'e2e$' || return 1
    type_line "'$home/run'$then"
    check "(setup) it draws the cockpit" wait_for "DEMO DATA"
    check "(setup) in raw mode, on the alternate screen, the cursor hidden" \
        test "$(modes) $(pane '#{alternate_on}#{cursor_flag}')" = "-icanon -echo 10"
    pid=$(cat "$home/pid")
}

# given_back WHAT: the checks that the shell has a usable terminal again.
given_back() {
    local what=$1
    check "$what: the main screen is back" test "$(pane '#{alternate_on}')" = 0
    check "$what: the cursor is shown" test "$(pane '#{cursor_flag}')" = 1
    type_line "stty -a | tr -s ' ;' '\n\n' | grep -xE -- '-?(icanon|echo)' | paste -sd ' ' | sed 's/^/modes: /'"
    check "$what: raw mode is off (stty -a shows icanon and echo)" wait_for_re '^modes: icanon echo$' 5
    type_line 'echo ok-$((1+1))'
    check "$what: a typed command runs (echo ok-\$((1+1)) prints ok-2)" wait_for_re '^ok-2$' 5
}

# ends_on SIGNAL STATUS: kill pagerdeck with SIGNAL; it leaves cleanly with STATUS.
ends_on() {
    local signal=$1 status=$2
    start "$signal" || return
    kill "-$signal" "$pid"
    wait_for_re '^exit=[0-9]+$' 10
    check "SIG$signal: it says so in the log (its handler ran)" \
        grep -q "left on SIG$signal: terminal given back, journal writes finished" "$home/data/pagerdeck.log"
    check "SIG$signal: exit status $status (128 + its number)" wait_for "exit=$status" 1
    given_back "SIG$signal"
    tmux -L "$socket" kill-session -t e2e
}

ends_on TERM 143
ends_on HUP 129
ends_on INT 130

start ctrl-c && {
    keys C-c
    check "the Ctrl-C key (raw mode: a key, not SIGINT) quits with status 0" wait_for_re '^exit=0$'
    given_back "Ctrl-C"
    tmux -L "$socket" kill-session -t e2e
}

# Alone on its line: dash goes on with the rest of a list when its job stops.
start ctrl-z "" && {
    keys C-z
    check "Ctrl-Z: the process is stopped (ps: T)" stopped "$pid"
    wait_for "Stopped" 5
    given_back "Ctrl-Z"
    type_line fg
    check "fg: the whole cockpit is painted again" wait_for "DEMO DATA"
    check "fg: its hints bar too (a full repaint, not what changed)" wait_for "q quit"
    check "fg: raw mode, the alternate screen and the hidden cursor again" \
        test "$(modes) $(pane '#{alternate_on}#{cursor_flag}')" = "-icanon -echo 10"
    keys '?'
    check "fg: a key acts at once again (? opens the help)" wait_for "Keys · Esc closes"
    escape
    keys q
    gone "$pid"
    type_line 'echo exit=$?'
    check "q after fg quits with status 0" wait_for_re '^exit=0$'
    given_back "q after fg"
    tmux -L "$socket" kill-session -t e2e
}

echo "signals e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]

#!/usr/bin/env bash
# End to end: an acknowledgement is never lost and never doubled across a SIGKILL. On a
# real Alertmanager, `a` `y` acknowledges the alert; pagerdeck is killed with SIGKILL a
# varying time after the action reached its journal (before it went out, while it was on
# its way, after it was done: whatever the kill caught), then started again. Once it has
# settled, Alertmanager holds exactly one silence for the alert and the journal ends with
# the action confirmed, for every delay.
#
# A local Alertmanager answers within a millisecond, before any kill could land; so in
# most rounds it is frozen (SIGSTOP) while the ack is sent: the request waits in its
# socket, unanswered, when pagerdeck is killed; thawed (SIGCONT), Alertmanager may or may
# not still carry it out, which is the case a resume must check rather than guess.
set -uo pipefail
binary=$(realpath "${1:-target/release/pagerdeck}")
[ -x "$binary" ] || { echo "no binary at $binary: cargo build --release first" >&2; exit 1; }
for tool in tmux prometheus-alertmanager curl; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: scripts/test.sh installs it" >&2; exit 1; }
done

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

am_pid=""
stop_am() { [ -n "$am_pid" ] && kill "$am_pid" 2>/dev/null; wait 2>/dev/null; am_pid=""; }
trap 'stop_am; tmux -L "$socket" kill-server 2>/dev/null; rm -rf "$work"' EXIT
tmux -L "$socket" -f /dev/null new-session -d -s keep 'sleep 600'

# A fresh Alertmanager in $home, holding one firing alert.
start_am() {
    am_port=$(free_port)
    alertmanager_up "$home" "$am_port" || exit 1
    curl -s -X POST -H 'Content-Type: application/json' "http://127.0.0.1:$am_port/api/v2/alerts" -d '[
      {"labels": {"alertname": "CheckoutErrors", "service": "checkout-api", "severity": "critical"},
       "annotations": {"summary": "checkout-api 5xx above 5%"}}]' >/dev/null
    printf '[me]\nname = "Ana Ops"\n\n[[sources]]\nname = "prod"\nkind = "alertmanager"\nurls = ["http://127.0.0.1:%s"]\npoll_interval = "1s"\n' \
        "$am_port" > "$home/config.toml"
}

# run: pagerdeck in a fresh tmux session; its pid in $home/pid (exec keeps it).
run() {
    tmux -L "$socket" kill-session -t e2e 2>/dev/null
    cat > "$home/run" <<RUN
#!/bin/sh
echo \$\$ > '$home/pid'
exec env -u NO_COLOR TERM=xterm-256color PAGERDECK_CONFIG='$home/config.toml' PAGERDECK_DATA_DIR='$home/data' '$binary' 2>>'$home/stderr'
RUN
    chmod +x "$home/run"
    rm -f "$home/pid"
    tmux -L "$socket" new-session -d -s e2e -x 120 -y 40 "'$home/run'; sleep 30"
    local deadline=$((SECONDS + 10))
    until [ -s "$home/pid" ]; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.05; done
    pid=$(cat "$home/pid")
}

# until_journal TEXT: poll the journal closely (the kill must land near the write).
until_journal() {
    local deadline=$((SECONDS + 10))
    until grep -qF -- "$1" "$home/data/journal.jsonl" 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.01
    done
}

# Silences on Alertmanager that pagerdeck made (each carries its op id).
our_silences() {
    curl -s "http://127.0.0.1:$am_port/api/v2/silences" | grep -o '\[pagerdeck op [0-9]*\]' | wc -l
}

# The journal's last line is the action confirmed, under the id it was asked with.
ends_confirmed() {
    local op
    op=$(grep -o '"state":"pending","at":"[^"]*","op":[0-9]*' "$home/data/journal.jsonl" | head -1 | grep -o '[0-9]*$')
    [ -n "$op" ] && tail -1 "$home/data/journal.jsonl" | grep -q "\"state\":\"confirmed\".*\"op\":$op[,}]"
}

# DELAY FROZEN: the rounds, each on a fresh Alertmanager and data dir.
rounds=(0 frozen 0.02 frozen 0.1 frozen 0.5 frozen 0 running 0.02 running 0.5 running)
for ((i = 0; i < ${#rounds[@]}; i += 2)); do
    delay=${rounds[i]} am_state=${rounds[i + 1]}
    home="$work/kill-after-$delay-$am_state" && mkdir -p "$home/data"
    echo "SIGKILL ${delay}s after the ack is journaled, Alertmanager $am_state:"
    start_am
    run || { check "(setup) pagerdeck starts" false; stop_am; continue; }
    check "(setup) the alert is listed" wait_for "checkout-api 5xx above 5%" 30
    keys a
    check "(setup) a asks before acknowledging" wait_for "Acknowledge?"
    [ "$am_state" = frozen ] && kill -STOP "$am_pid"
    tmux -L "$socket" send-keys -t e2e y
    check "(setup) the ack is journaled before anything else" until_journal '"state":"pending"'
    sleep "$delay"
    kill -9 "$pid"
    caught=$(tail -1 "$home/data/journal.jsonl" | grep -o '"state":"[a-z]*"')
    if [ "$am_state" = frozen ]; then
        kill -CONT "$am_pid"
        # What it still does with the dead client's request, it does at once.
        sleep 0.5
    fi
    echo "    the kill caught it at $caught; $(our_silences) silence(s) so far"
    run || { check "(setup) pagerdeck starts again" false; stop_am; continue; }
    check "after the restart the journal ends with the ack confirmed" \
        wait_for_file "$home/data/journal.jsonl" '"state":"confirmed"' 30
    check "the journal's last record is that ack confirmed, under its own id" ends_confirmed
    check "Alertmanager holds exactly one silence for the alert" test "$(our_silences)" = 1
    check "the cockpit shows it acknowledged" wait_for_re "✓ ACK .*checkout-api" 15
    keys q
    tmux -L "$socket" kill-session -t e2e 2>/dev/null
    stop_am
done

echo "resume: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# End to end: the release binary in a real terminal (tmux), on the demo at 80x24 and
# 160x48, and on a real Prometheus and Alertmanager at 120x40. Moves, filters, acknowledges, follows the playbook and its links, quits; asserts on what the screen shows and on
# the journal. Polls for text instead of sleeping.
set -uo pipefail
binary=$(realpath "${1:-target/release/pagerdeck}")
[ -x "$binary" ] || { echo "no binary at $binary: cargo build --release first" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tmux is missing: apt-get install tmux" >&2; exit 1; }

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

run_at() {
    local width=$1 height=$2
    local home="$work/$width" && mkdir -p "$home/config" "$home/data" "$home/bin"
    echo "at ${width}x${height}:"
    # A stand-in browser: records what it was asked to open.
    printf '#!/bin/sh\necho "$1" >> %s/opened\n' "$home" > "$home/bin/xdg-open"
    chmod +x "$home/bin/xdg-open"
    tmux -L "$socket" -f /dev/null new-session -d -s e2e -x "$width" -y "$height" \
        "env -u NO_COLOR -u PAGERDECK_CONFIG PATH=$home/bin:\$PATH TERM=xterm-256color XDG_CONFIG_HOME=$home/config PAGERDECK_DATA_DIR=$home/data USER=e2e '$binary'; echo \"exit=\$?\" > $home/exit; sleep 30"
    check "opens on the demo, says so" wait_for "DEMO DATA"
    check "lists the demo's incidents" wait_for "CRIT"
    check "the source is live" wait_for "demo ● live"

    keys j
    keys Enter
    check "j moves to the second incident (details show it)" wait_for "demo:INC-1036"
    escape
    check "Esc closes the details" wait_gone "Details · Esc closes"

    keys / l e d g e r
    check "the filter narrows the list live" wait_for "1 of 7"
    keys Enter
    check "Enter keeps the filter" wait_for "filter: ledger"

    keys a
    check "a asks before acknowledging" wait_for "Acknowledge?"
    keys y
    check "the demo confirms the acknowledgement" wait_for "acknowledge demo:INC-1041: done"
    check "the row shows it acknowledged" wait_for "✓ ACK"
    check "the journal recorded it before and after" grep -q '"state":"confirmed"' "$home/data/journal.jsonl"
    check "the journal names the incident" grep -q '"key":"demo:INC-1041"' "$home/data/journal.jsonl"

    keys '?'
    check "? shows the help from the key table" wait_for "escalate to level two"
    escape

    keys x
    check "x checks the first playbook step (the list shows 1/N)" wait_for_re ' 1/[0-9]+ ledger-worker co'

    keys o
    check "o lists the playbook's links, numbered" wait_for "[1] https://grafana.example.com/d/ledger/ledger-worker"
    keys 1
    check "a number opens that link in the browser (xdg-open)" wait_for_file "$home/opened" "https://grafana.example.com/d/ledger/ledger-worker"
    keys O
    check "O shows the playbook's outline" wait_for "Outline ·"
    keys G Enter
    check "Enter jumps to the heading (the last one: its text shows)" wait_for "say which mount"

    keys q
    local deadline=$((SECONDS + 5))
    while [ ! -s "$home/exit" ] && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    check "q quits with status 0" grep -q '^exit=0$' "$home/exit"
    check "the terminal is left clean (no alternate screen)" wait_gone "DEMO DATA" 3
    tmux -L "$socket" kill-server 2>/dev/null

    # Start again on the same data dir: the checked step is still checked.
    for _ in $(seq 50); do tmux -L "$socket" has-session 2>/dev/null || break; sleep 0.1; done
    sleep 0.3 # the old server releases its socket
    tmux -L "$socket" -f /dev/null new-session -d -s e2e -x "$width" -y "$height" \
        "env -u NO_COLOR -u PAGERDECK_CONFIG TERM=xterm-256color XDG_CONFIG_HOME=$home/config PAGERDECK_DATA_DIR=$home/data USER=e2e '$binary'; sleep 30"
    check "after a restart the step is still checked" wait_for_re ' 1/[0-9]+ ledger-worker co'
    check "the steps journal holds the check" grep -q '"playbook":"payments/ledger-worker.md"' "$home/data/steps.jsonl"
    keys q
    tmux -L "$socket" kill-server 2>/dev/null
}

# The real stack: a Prometheus rule fires, Prometheus sends it to Alertmanager, the
# cockpit lists it; a, u and s are silences that amtool then reports (or not).
real_stack() {
    local home="$work/real" && mkdir -p "$home/config" "$home/data"
    echo "real Prometheus and Alertmanager at 120x40:"
    local am_port prom_port
    am_port=$(free_port)
    printf 'route:\n  receiver: nowhere\nreceivers:\n  - name: nowhere\n' > "$home/am.yml"
    prometheus-alertmanager --config.file="$home/am.yml" --storage.path="$home/am-data" \
        --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address= >"$home/am.log" 2>&1 &
    local am_pid=$!
    prom_port=$(free_port)
    [ "$prom_port" = "$am_port" ] && prom_port=$((am_port + 1))
    cat > "$home/rules.yml" <<RULES
groups:
  - name: checkout
    rules:
      - alert: CheckoutErrors
        expr: vector(1)
        labels: {severity: critical, service: checkout-api}
        annotations: {summary: "checkout-api 5xx above 5%"}
RULES
    printf 'global:\n  evaluation_interval: 1s\nrule_files: [%s]\nalerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ["127.0.0.1:%s"]\n' \
        "$home/rules.yml" "$am_port" > "$home/prometheus.yml"
    prometheus --config.file="$home/prometheus.yml" --storage.tsdb.path="$home/prom-data" \
        --web.listen-address="127.0.0.1:$prom_port" --rules.alert.resend-delay=1s >"$home/prom.log" 2>&1 &
    local prom_pid=$!
    printf '[me]\nname = "Ana Ops"\n\n[[sources]]\nname = "prod"\nkind = "alertmanager"\nurls = ["http://127.0.0.1:%s"]\npoll_interval = "1s"\n\n[metrics]\nurl = "http://127.0.0.1:%s"\n' \
        "$am_port" "$prom_port" > "$home/config.toml"
    local am="--alertmanager.url=http://127.0.0.1:$am_port"
    tmux -L "$socket" -f /dev/null new-session -d -s e2e -x 120 -y 40 \
        "env -u NO_COLOR TERM=xterm-256color PAGERDECK_CONFIG=$home/config.toml PAGERDECK_DATA_DIR=$home/data '$binary'; echo \"exit=\$?\" > $home/exit; sleep 30"
    check "the firing rule reaches the cockpit through Alertmanager" wait_for "checkout-api 5xx above 5%" 60
    check "the source is live, named as configured" wait_for "prod ● live"
    check "the metrics pane charts the alert's own expression from Prometheus" wait_for "alert CheckoutErrors" 15
    keys a
    check "a asks before acknowledging" wait_for "Acknowledge?"
    keys y
    check "Alertmanager takes the acknowledgement" wait_for "acknowledge prod:CheckoutErrors/checkout-api: done" 15
    check "the row shows it acknowledged" wait_for_re "✓ ACK .*checkout-api"
    check "by whom and until when" wait_for_re "acknowledged by Ana Ops at [0-9:]+, until [0-9:]+ UTC"
    check "amtool reports the silence (ACK!, by Ana Ops)" grep -q '"createdBy":"Ana Ops"' <(amtool silence query -o json "$am")
    keys R
    check "R says why Alertmanager cannot resolve" wait_for "cannot resolve: Alertmanager cannot resolve"
    keys u
    check "u asks before taking the acknowledgement back" wait_for "Take the acknowledgement back?"
    keys y
    check "unack is done" wait_for "unacknowledge prod:CheckoutErrors/checkout-api: done" 15
    check "the row pages again" wait_for_re "! TRIG .*checkout-api"
    check "amtool lists no silence" test "$(amtool silence query -o json "$am")" = "[]"
    keys s Right
    check "s asks how long; → makes it 2h" wait_for "Snooze for 2h?"
    keys y
    check "the snooze is done" wait_for "snooze prod:CheckoutErrors/checkout-api for 2h: done" 15
    check "amtool reports the snooze" grep -q 'snoozed from pagerdeck for 2h' <(amtool silence query -o json "$am")
    kill "$prom_pid"
    keys q
    local deadline=$((SECONDS + 5))
    while [ ! -s "$home/exit" ] && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    check "q quits with status 0" grep -q '^exit=0$' "$home/exit"
    kill "$am_pid"
    wait "$prom_pid" "$am_pid" 2>/dev/null
    tmux -L "$socket" kill-server 2>/dev/null
}

run_at 80 24
run_at 160 48
for server in prometheus prometheus-alertmanager amtool; do
    command -v "$server" >/dev/null || { echo "$server is missing: apt-get install prometheus prometheus-alertmanager" >&2; exit 1; }
done
# The previous tmux server releases its socket first.
for _ in $(seq 50); do tmux -L "$socket" has-session 2>/dev/null || break; sleep 0.1; done
sleep 0.3
real_stack
echo "tmux e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]

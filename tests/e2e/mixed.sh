#!/usr/bin/env bash
# End to end on three kinds of source at once, at 120x40: PagerDuty and Opsgenie (each the
# validating mock of its official spec, Prism) and a real Alertmanager. One merged list;
# a note on the PagerDuty incident and its timeline in the details; an Opsgenie action
# confirmed through its asynchronous request; `oncall` from both APIs.
set -uo pipefail
binary=$(realpath "${1:-target/release/pagerdeck}")
[ -x "$binary" ] || { echo "no binary at $binary: cargo build --release first" >&2; exit 1; }
for tool in tmux prism prometheus-alertmanager curl; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: scripts/test.sh installs it" >&2; exit 1; }
done
specs=$(realpath "$(dirname "$0")/../../../shared/specs")
[ -d "$specs" ] || { echo "no API specs at $specs (../shared/specs beside the project)" >&2; exit 1; }

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

pids=()
stop_servers() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done; wait 2>/dev/null; }
trap 'stop_servers; tmux -L "$socket" kill-server 2>/dev/null; rm -rf "$work"' EXIT

home="$work/mixed" && mkdir -p "$home/data"
pd_port=$(free_port)
# Requests are validated either way; without --errors, because the spec's own example of
# log entries breaks its schema and the strict mock answers the timeline with a 500
# (tests/pagerduty_contract.rs keeps an eye on that).
prism mock -h 127.0.0.1 -p "$pd_port" "$specs/pagerduty-rest-openapiv3.prism-patched.json" >"$home/pd.log" 2>&1 &
pids+=($!)
og_port=$(free_port)
[ "$og_port" = "$pd_port" ] && og_port=$((pd_port + 1))
prism mock -h 127.0.0.1 -p "$og_port" --errors "$specs/opsgenie-swagger.prism-patched.json" >"$home/og.log" 2>&1 &
pids+=($!)
am_port=$(free_port)
printf 'route:\n  receiver: nowhere\nreceivers:\n  - name: nowhere\n' > "$home/am.yml"
prometheus-alertmanager --config.file="$home/am.yml" --storage.path="$home/am-data" \
    --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address= >"$home/am.log" 2>&1 &
pids+=($!)

up() { curl -s -o /dev/null "http://127.0.0.1:$1/$2"; }
deadline=$((SECONDS + 90))
until up "$pd_port" incidents && up "$og_port" v2/alerts && up "$am_port" -/ready; do
    [ $SECONDS -lt $deadline ] || { echo "the mocks or Alertmanager did not start:"; tail "$home"/*.log; exit 1; }
    sleep 0.3
done
curl -s -X POST -H 'Content-Type: application/json' "http://127.0.0.1:$am_port/api/v2/alerts" -d '[
  {"labels": {"alertname": "CheckoutErrors", "service": "checkout-api", "severity": "critical"},
   "annotations": {"summary": "checkout-api 5xx above 5%"}}]' >/dev/null

cat > "$home/config.toml" <<CONFIG
[me]
name = "Ana Ops"
email = "ana@example.com"

[escalation]
pagerduty = { escalation_level = 2 }
opsgenie = { escalation = "Eng Cap escalation" }

[[sources]]
name = "pd"
kind = "pagerduty"
token_cmd = "echo pd-e2e-token"
base_url = "http://127.0.0.1:$pd_port"
poll_interval = "2s"

[[sources]]
name = "og"
kind = "opsgenie"
token_env = "E2E_OPSGENIE_KEY"
base_url = "http://127.0.0.1:$og_port"
schedules = ["ops"]
poll_interval = "2s"

[[sources]]
name = "prod"
kind = "alertmanager"
urls = ["http://127.0.0.1:$am_port"]
poll_interval = "2s"
CONFIG

echo "PagerDuty, Opsgenie and Alertmanager at 120x40:"
tmux -L "$socket" -f /dev/null new-session -d -s e2e -x 120 -y 40 \
    "env -u NO_COLOR TERM=xterm-256color E2E_OPSGENIE_KEY=og-e2e-key PAGERDECK_CONFIG=$home/config.toml PAGERDECK_DATA_DIR=$home/data '$binary'; echo \"exit=\$?\" > $home/exit; sleep 30"
check "the PagerDuty incident is listed" wait_for "The server is on fire." 30
check "the Alertmanager incident is in the same list" wait_for "checkout-api 5xx above 5%" 30
check "the Opsgenie alert is in the same list (SOURCE column)" wait_for_re "^┃.* og +" 30
check "every source is live" wait_for_re "pd ● live.*og ● live.*prod ● live|3 sources" 15

keys / f i r e Enter
check "the filter finds the PagerDuty incident" wait_for "filter: fire (1/3)"
keys N
check "N opens the note dialog" wait_for "Enter sends it to pd"
keys "rolled back 4.2.1" Enter
check "PagerDuty takes the note (the mock validated it)" wait_for "add a note to pd:PT4KHLK: done" 15
keys Enter
check "the details show PagerDuty's notes" wait_for_re "┃notes" 10
check "and its log entries as the timeline" wait_for_re "[0-9:]+ .*(Triggered|Acknowledged|Resolved|Escalated|Assigned)" 10
escape
keys e
check "e on the PagerDuty incident says its route" wait_for "PagerDuty: level 2 of the incident's escalation policy"
check "and who is on call at level 2 of its policy (PagerDuty's on-call)" wait_for_re "on call +level two: [A-Z]" 15
keys C-s
check "PagerDuty takes the escalation (the mock validated it)" wait_for "escalate pd:PT4KHLK to Eng Cap: done" 20
check "the PagerDuty incident shows it sent" wait_for_re "sent at [0-9]{2}:[0-9]{2}, not taken yet|taken by" 10
keys Escape
sleep 0.6

keys / C-u s t r i n g Enter
check "the filter finds the Opsgenie alert" wait_for "filter: string (1/3)"
keys e
check "e on the Opsgenie alert says its route" wait_for 'Opsgenie: escalation "Eng Cap escalation"'
keys C-s
check "Opsgenie confirms the escalation's request" wait_for_re "escalate og:[^ ]+ to Eng Cap: done" 20
keys u
check "u asks before taking the acknowledgement back" wait_for "Take the acknowledgement back?"
keys y
check "Opsgenie confirms the asynchronous request" wait_for "unacknowledge og:" 15
check "and it is done, not only accepted" wait_for_re "unacknowledge og:[^ ]+: done" 15

keys q
deadline=$((SECONDS + 5))
while [ ! -s "$home/exit" ] && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
check "q quits with status 0" grep -q '^exit=0$' "$home/exit"

roster=$(E2E_OPSGENIE_KEY=og-e2e-key PAGERDECK_CONFIG="$home/config.toml" PAGERDECK_DATA_DIR="$home/data" "$binary" oncall 2>&1)
echo "$roster" | sed 's/^/    | /'
check "oncall lists PagerDuty's people by level" grep -qE '^[0-9]+ +.* pd *$' <<<"$roster"
# The mock's schedule has only placeholder participants: Opsgenie must answer, not fail.
check "Opsgenie answers the roster" bash -c "! grep -q 'source og' <<<'$roster'"
check "no token in the journal or log" bash -c "! grep -rq -e pd-e2e-token -e og-e2e-key '$home/data'"

echo "mixed e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]

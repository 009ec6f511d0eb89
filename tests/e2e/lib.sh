# Shared by the tmux end-to-end scripts: a private tmux server, a temp folder removed on
# exit, and helpers that poll the screen instead of sleeping. Source it after setting
# `binary`.

socket="pagerdeck-e2e-$$"
work=$(mktemp -d)
trap 'tmux -L "$socket" kill-server 2>/dev/null; rm -rf "$work"' EXIT
passed=0
failed=0

screen() { tmux -L "$socket" capture-pane -p -t e2e 2>/dev/null; }

# wait_for TEXT [SECONDS]: until the screen shows TEXT.
wait_for() {
    local deadline=$((SECONDS + ${2:-10}))
    while [ $SECONDS -lt $deadline ]; do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    echo "    timed out waiting for: $1" >&2
    screen | sed 's/^/    | /' >&2
    return 1
}

# wait_for_re REGEX [SECONDS]: until a line of the screen matches REGEX.
wait_for_re() {
    local deadline=$((SECONDS + ${2:-10}))
    while [ $SECONDS -lt $deadline ]; do
        screen | grep -qE -- "$1" && return 0
        sleep 0.1
    done
    echo "    timed out waiting for /$1/" >&2
    screen | sed 's/^/    | /' >&2
    return 1
}

# wait_gone TEXT [SECONDS]: until the screen no longer shows TEXT.
wait_gone() {
    local deadline=$((SECONDS + ${2:-10}))
    while [ $SECONDS -lt $deadline ]; do
        screen | grep -qF -- "$1" || return 0
        sleep 0.1
    done
    echo "    still showing: $1" >&2
    screen | sed 's/^/    | /' >&2
    return 1
}

keys() { tmux -L "$socket" send-keys -t e2e "$@"; sleep 0.15; }

# Escape waits out tmux's escape-time, so the next key is not read as Alt+key.
escape() { keys Escape; sleep 0.6; }

# wait_for_file FILE TEXT [SECONDS]: until FILE holds TEXT.
wait_for_file() {
    local deadline=$((SECONDS + ${3:-10}))
    while [ $SECONDS -lt $deadline ]; do
        grep -qF -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "    $1 never held: $2" >&2
    return 1
}

check() { # check NAME COMMAND...
    local name=$1; shift
    if "$@"; then echo "  ok   $name"; passed=$((passed + 1)); else echo "  FAIL $name"; failed=$((failed + 1)); fi
}

# free_port: the first loopback port from a random start that nothing answers on.
free_port() {
    local port=$((20000 + RANDOM % 20000))
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "$port"
}

# alertmanager_up DIR PORT: a real Alertmanager on loopback PORT, out of any cluster, with
# DIR/am.yml (one receiver that sends nowhere, written if missing) and DIR/am-data as its
# storage, logging to DIR/am.log; its pid in $am_pid. Returns once it answers /-/ready.
alertmanager_up() {
    [ -f "$1/am.yml" ] || printf 'route:\n  receiver: nowhere\nreceivers:\n  - name: nowhere\n' > "$1/am.yml"
    prometheus-alertmanager --config.file="$1/am.yml" --storage.path="$1/am-data" \
        --web.listen-address="127.0.0.1:$2" --cluster.listen-address= >>"$1/am.log" 2>&1 &
    am_pid=$!
    local deadline=$((SECONDS + 30))
    until curl -sf -o /dev/null "http://127.0.0.1:$2/-/ready"; do
        [ $SECONDS -lt $deadline ] || { echo "Alertmanager did not start:" >&2; tail "$1/am.log" >&2; return 1; }
        sleep 0.1
    done
}

# Shared by the scripts: run as root, and install a missing Debian package.

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else echo "need root to run: $* (install it by hand, then run this again)" >&2; return 1
    fi
}

apt_updated=""
need_deb() { # need_deb COMMAND PACKAGE
    command -v "$1" >/dev/null && return 0
    printf '\n== installing %s (for %s)\n' "$2" "$1"
    if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null
    command -v "$1" >/dev/null || { echo "could not install $2: install it by hand (apt-get install $2)" >&2; exit 1; }
}

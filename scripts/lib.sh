# Shared helpers for scripts/run and scripts/test. Source it; do not run it.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

say() { printf '\n==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

# apt_install PKG...: install the Debian packages that are not installed yet.
_APT_UPDATED=""
apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
    say "Installing Debian packages: ${missing[*]}"
    if [ -z "$_APT_UPDATED" ]; then
        as_root apt-get update -qq
        _APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# A Python 3.11 interpreter to build the virtualenv with.
find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    die "Python 3.11 is required (set PYTHON=/path/to/python3.11)"
}

# Create .venv when missing and install the pinned requirements. The install is skipped when
# requirements.txt has not changed since the last successful one, so re-runs are quick.
ensure_venv() {
    command -v msgfmt >/dev/null 2>&1 || apt_install gettext
    if [ ! -x "$PY" ]; then
        local python
        python="$(find_python)"
        if ! "$python" -c 'import ensurepip' >/dev/null 2>&1; then
            apt_install python3-venv
        fi
        say "Creating the virtualenv in .venv with $python"
        "$python" -m venv "$VENV"
    fi
    local stamp="$VENV/.requirements.sha256" wanted
    wanted="$(sha256sum "$ROOT/requirements.txt" | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        say "Installing requirements.txt into .venv"
        # (The filter drops pip's notes about configured local indexes that do not exist.)
        "$PY" -m pip install --quiet -r "$ROOT/requirements.txt" 2>&1 |
            { grep -v "^WARNING: Location '.*' is ignored: it is neither a file nor a directory.$" || true; }
        echo "$wanted" >"$stamp"
    fi
}

# Compile the gettext catalogues (locale/*/LC_MESSAGES/*.po) into .mo files.
compile_messages() {
    if find "$ROOT" -path "$ROOT/.venv" -prune -o -path "$ROOT/node_modules" -prune -o \
        -name '*.po' -path '*/locale/*' -print -quit | grep -q .; then
        say "Compiling translations"
        (cd "$ROOT" && "$PY" manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0)
    else
        say "No translation catalogues found: nothing to compile"
    fi
}

# Shared set-up steps for scripts/demo and scripts/test. Source it; do not run it.
# Everything the project needs is installed here, so a fresh machine needs only Python 3.11
# and the system's package manager.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON="$VENV/bin/python"
DATA_DIR="${DATA_DIR:-$ROOT/.data}"
mkdir -p "$DATA_DIR"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        log "Need root to run: $*"; return 1
    fi
}

apt_install() {
    # Installs Debian packages that are missing; updates the package lists once per run.
    local missing=()
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || { log "Install these packages: ${missing[*]}"; return 1; }
    log "Installing ${missing[*]}"
    if [ -z "${APT_UPDATED:-}" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

find_python() {
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
            echo "$candidate"; return 0
        fi
    done
    log "Python 3.11 is required."; return 1
}

bootstrap_python() {
    # Creates .venv and installs the project with its development tools; re-installs only when
    # pyproject.toml changes.
    local python stamp
    python="$(find_python)" || return 1
    if [ ! -x "$PYTHON" ]; then
        log "Creating the virtual environment"
        "$python" -m venv "$VENV" 2>/dev/null || {
            apt_install python3-venv python3.11-venv && rm -rf "$VENV" && "$python" -m venv "$VENV"
        }
    fi
    stamp="$VENV/.installed-$(sha1sum "$ROOT/pyproject.toml" | cut -c1-12)"
    if [ ! -f "$stamp" ]; then
        log "Installing Python packages"
        "$PYTHON" -m pip install -q --upgrade pip
        "$PYTHON" -m pip install -q -e "$ROOT[dev]"
        rm -f "$VENV"/.installed-* && touch "$stamp"
    fi
}

pg_bin() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$dir" ] && echo "$dir"
}

PG_PID_DIR=""
start_postgres() {
    # Starts a throw-away PostgreSQL on 127.0.0.1 for the test run and exports DATABASE_URL.
    local bin port run_as=()
    bin="$(pg_bin)" || true
    if [ -z "$bin" ]; then
        apt_install postgresql postgresql-contrib
        bin="$(pg_bin)"
    fi
    PG_PID_DIR="$(mktemp -d -t heritage-pg.XXXXXX)"
    chmod 755 "$PG_PID_DIR"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$PG_PID_DIR"
        run_as=(runuser -u postgres --)
    fi
    port="${PG_TEST_PORT:-$(free_port)}"
    "${run_as[@]}" "$bin/initdb" -D "$PG_PID_DIR/data" -U heritage --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    "${run_as[@]}" "$bin/pg_ctl" -D "$PG_PID_DIR/data" -l "$PG_PID_DIR/postgres.log" -w -t 60 \
        -o "-p $port -k $PG_PID_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || { cat "$PG_PID_DIR/postgres.log" >&2; return 1; }
    "${run_as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U heritage heritage
    export DATABASE_URL="postgres://heritage@127.0.0.1:$port/heritage"
    PG_BIN="$bin"
    PG_RUN_AS=("${run_as[@]}")
    log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

stop_postgres() {
    [ -n "$PG_PID_DIR" ] || return 0
    "${PG_RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_PID_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_PID_DIR"
    PG_PID_DIR=""
}

free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

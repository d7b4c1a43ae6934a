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

ES_RUN_DIR=""
ES_LAUNCHER=""
ES_RUN_AS=()
start_elasticsearch() {
    # Starts a throw-away single-node Elasticsearch on 127.0.0.1 without waiting for it (see
    # wait_for_elasticsearch) and exports ELASTICSEARCH_TEST_URL. The node is the integration-test
    # build on Maven Central, at the version of the Python client, fetched once into a cache. It
    # has no analysis plugins, which is why the Vietnamese analysis happens in Python
    # (docs/search.md). Elasticsearch refuses to run as root, so root runs it as nobody.
    local version cache home port java_home download
    version="$("$PYTHON" -c 'import elasticsearch; print(elasticsearch.__versionstr__)')"
    if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
        apt_install maven openjdk-17-jre-headless || return 1
    fi
    java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    if [ "$(id -u)" -eq 0 ]; then
        cache=/var/cache/heritage-archive
        ES_RUN_AS=(runuser -u nobody --)
    else
        cache="${XDG_CACHE_HOME:-$HOME/.cache}/heritage-archive"
        ES_RUN_AS=()
    fi
    home="$cache/elasticsearch-$version"
    if [ ! -x "$home/bin/elasticsearch" ]; then
        log "Fetching Elasticsearch $version (integration-test build, about 100 MB, once)"
        mkdir -p "$cache"
        download="$(mktemp -d -p "$cache" download.XXXXXX)"
        mvn -q -B dependency:copy \
            "-Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:$version:zip" \
            "-DoutputDirectory=$download" || { rm -rf "$download"; return 1; }
        # Python rather than unzip, which a fresh machine may lack; keeps the executable bits.
        "$PYTHON" - "$download/elasticsearch-$version.zip" "$download" <<'PY' || { rm -rf "$download"; return 1; }
import sys
import zipfile
from pathlib import Path

with zipfile.ZipFile(sys.argv[1]) as archive:
    for info in archive.infolist():
        path = Path(archive.extract(info, sys.argv[2]))
        if info.external_attr >> 16 and not info.is_dir():
            path.chmod((info.external_attr >> 16) & 0o777)
PY
        chmod -R a+rX "$download"
        # Moved into place whole; a run that fetched it at the same time keeps the one already there.
        [ -e "$home" ] || mv "$download/elasticsearch-$version" "$home"
        rm -rf "$download"
    fi
    ES_RUN_DIR="$(mktemp -d -t heritage-es.XXXXXX)"
    # The node's own copy of the configuration: it writes a keystore there on start.
    cp -r "$home/config" "$ES_RUN_DIR/config"
    mkdir -p "$ES_RUN_DIR/data" "$ES_RUN_DIR/logs"
    chmod 755 "$ES_RUN_DIR"
    [ ${#ES_RUN_AS[@]} -eq 0 ] || chown -R nobody "$ES_RUN_DIR"
    port="${ES_TEST_PORT:-$(free_port)}"
    # -d returns once the node answers, or fails; wait_for_elasticsearch collects the outcome.
    "${ES_RUN_AS[@]}" env ES_JAVA_HOME="$java_home" ES_PATH_CONF="$ES_RUN_DIR/config" \
        ES_JAVA_OPTS="-Xms${ES_HEAP:-512m} -Xmx${ES_HEAP:-512m}" "$home/bin/elasticsearch" -d -p "$ES_RUN_DIR/pid" \
        -Ediscovery.type=single-node -Expack.security.enabled=false \
        -Ehttp.host=127.0.0.1 "-Ehttp.port=$port" -Etransport.host=127.0.0.1 \
        -Ecluster.routing.allocation.disk.threshold_enabled=false \
        "-Epath.data=$ES_RUN_DIR/data" "-Epath.logs=$ES_RUN_DIR/logs" \
        >"$ES_RUN_DIR/start.log" 2>&1 &
    ES_LAUNCHER=$!
    export ELASTICSEARCH_TEST_URL="http://127.0.0.1:$port"
    ES_VERSION="$version"
}

wait_for_elasticsearch() {
    # Returns once the node started by start_elasticsearch answers; fails, with its log, if it
    # could not start.
    [ -n "$ES_LAUNCHER" ] || return 0
    if wait "$ES_LAUNCHER"; then
        ES_LAUNCHER=""
        log "Elasticsearch $ES_VERSION on $ELASTICSEARCH_TEST_URL"
        return 0
    fi
    ES_LAUNCHER=""
    cat "$ES_RUN_DIR/start.log" >&2 || true
    tail -n 40 "$ES_RUN_DIR/logs/elasticsearch.log" >&2 2>/dev/null || true
    unset ELASTICSEARCH_TEST_URL
    log "Elasticsearch did not start (log above); set ELASTICSEARCH_URL to use a node of your own."
    return 1
}

stop_elasticsearch() {
    [ -n "$ES_RUN_DIR" ] || return 0
    local pid
    [ -z "$ES_LAUNCHER" ] || wait "$ES_LAUNCHER" || true
    pid="$(cat "$ES_RUN_DIR/pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
        for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$ES_RUN_DIR"
    ES_RUN_DIR=""
}

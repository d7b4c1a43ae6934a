"""Throw-away services for the fault tests: Elasticsearch nodes and clusters, a PostgreSQL server.

Each helper starts what a test needs on free loopback ports and stops it afterwards. Elasticsearch
is the integration-test build that ``scripts/lib.sh`` (start_elasticsearch) fetches into its cache;
PostgreSQL is the system's, run with pg_ctl as in ``start_postgres``. Both refuse to run as root,
so root runs them as ``nobody`` and ``postgres``. When a service cannot start, ``ServiceError``
says why, and the tests fail with that message: they are never skipped.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import elasticsearch

ROOT = Path(__file__).resolve().parents[2]


class ServiceError(Exception):
    """A service the test needs could not start; the message says why."""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_root():
    return os.getuid() == 0


def run_as(user):
    """The command prefix that runs a program as ``user`` when we are root (nothing otherwise)."""
    return ["runuser", "-u", user, "--"] if is_root() else []


def wait_until(check, *, timeout, interval=0.5, what="the service"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            result = check()
        except Exception as error:  # noqa: BLE001 - whatever it is, try again until the deadline
            last = error
        else:
            if result:
                return result
        time.sleep(interval)
    raise ServiceError(f"{what} did not come up within {timeout:.0f} s (last error: {last!r})")


def http_json(url, *, method="GET", body=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


# Elasticsearch


def elasticsearch_home():
    """The unpacked distribution scripts/lib.sh fetched, at the Python client's version."""
    version = elasticsearch.__versionstr__
    caches = [Path("/var/cache/heritage-archive")] if is_root() else []
    caches.append(Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "heritage-archive")
    for cache in caches:
        home = cache / f"elasticsearch-{version}"
        if (home / "bin" / "elasticsearch").exists():
            return home
    raise ServiceError(
        f"No Elasticsearch {version} in {' or '.join(map(str, caches))}: run ./scripts/test once "
        "(start_elasticsearch in scripts/lib.sh fetches it from Maven Central)."
    )


def java_home():
    java = shutil.which("java")
    if not java:
        raise ServiceError("No java on PATH: Elasticsearch needs Java 17 (apt-get install openjdk-17-jre-headless).")
    return str(Path(java).resolve().parent.parent)


class ElasticsearchNode:
    def __init__(self, name, cluster, *, http_port, transport_port, heap_mb, seed_ports, masters):
        self.name = name
        self.cluster = cluster
        self.http_port = http_port
        self.transport_port = transport_port
        self.heap_mb = heap_mb
        self.seed_ports = seed_ports
        self.masters = masters
        self.url = f"http://127.0.0.1:{http_port}"
        self.dir = Path(tempfile.mkdtemp(prefix=f"heritage-es-{name}-"))
        self.process = None

    @property
    def pid(self):
        with contextlib.suppress(OSError, ValueError):
            return int((self.dir / "pid").read_text().strip())
        return None

    def launch(self):
        home = elasticsearch_home()
        shutil.copytree(home / "config", self.dir / "config")
        # The node's own copy of jvm.options: the serial collector suits a small heap on two cores, and
        # there is no GC log to write.
        options_file = self.dir / "config" / "jvm.options"
        lines = options_file.read_text().splitlines()
        lines = ["-XX:+UseSerialGC" if line == "-XX:+UseG1GC" else line for line in lines]
        options_file.write_text("\n".join(line for line in lines if not line.startswith("-Xlog:gc")) + "\n")
        (self.dir / "data").mkdir()
        (self.dir / "logs").mkdir()
        self.dir.chmod(0o755)
        if is_root():
            subprocess.run(["chown", "-R", "nobody", str(self.dir)], check=True)
        options = {
            "cluster.name": self.cluster,
            "node.name": self.name,
            "xpack.security.enabled": "false",
            "http.host": "127.0.0.1",
            "http.port": self.http_port,
            "transport.host": "127.0.0.1",
            "transport.port": self.transport_port,
            # A test machine's disk may be nearly full; the nodes must still take the shards.
            "cluster.routing.allocation.disk.threshold_enabled": "false",
            "path.data": self.dir / "data",
            "path.logs": self.dir / "logs",
        }
        if len(self.masters) == 1:
            options["discovery.type"] = "single-node"
        else:
            options["discovery.seed_hosts"] = ",".join(f"127.0.0.1:{port}" for port in self.seed_ports)
            options["cluster.initial_master_nodes"] = ",".join(self.masters)
        env = {
            **os.environ,
            "ES_JAVA_HOME": java_home(),
            "ES_PATH_CONF": str(self.dir / "config"),
            # Small heaps, and only the quick compiler: three nodes start on two cores in well under a minute.
            "ES_JAVA_OPTS": f"-Xms{self.heap_mb}m -Xmx{self.heap_mb}m -XX:TieredStopAtLevel=1",
            "CLI_JAVA_OPTS": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
        }
        command = [*run_as("nobody"), str(home / "bin" / "elasticsearch"), "-d", "-p", str(self.dir / "pid")]
        command += [f"-E{key}={value}" for key, value in options.items()]
        # -d returns once the node is up (or failed); the caller waits on all the nodes at once.
        self.log = open(self.dir / "start.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_started(self, timeout):
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as error:
            raise ServiceError(f"Elasticsearch node {self.name} did not start within {timeout} s") from error
        if code != 0:
            raise ServiceError(f"Elasticsearch node {self.name} did not start:\n{self.tail()}")

    def tail(self, lines=30):
        text = ""
        for path in (self.dir / "start.log", self.dir / "logs" / f"{self.cluster}.log"):
            with contextlib.suppress(OSError):
                text += "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) + "\n"
        return text

    def kill(self, sig=signal.SIGKILL):
        pid = self.pid
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)

    def is_running(self):
        pid = self.pid
        if not pid:
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        # A killed child of a process that is gone stays a zombie until reaped; it no longer serves.
        with contextlib.suppress(OSError):
            return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
        return True

    def stop(self, timeout=60):
        """Stops the node (SIGTERM, then SIGKILL) and waits until its process is gone."""
        if self.is_running():
            self.kill(signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while self.is_running() and time.monotonic() < deadline:
                time.sleep(0.3)
            if self.is_running():
                self.kill(signal.SIGKILL)
                while self.is_running():
                    time.sleep(0.2)

    def cleanup(self):
        self.stop()
        if self.process and self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(AttributeError, OSError):
            self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class ElasticsearchCluster:
    """``size`` nodes on loopback forming one cluster (a single node when ``size`` is 1)."""

    def __init__(self, size=3, *, heap_mb=256):
        self.cluster_name = f"heritage-faults-{os.getpid()}-{free_port()}"
        transport_ports = [free_port() for _ in range(size)]
        names = [f"node{index}" for index in range(size)]
        self.nodes = [
            ElasticsearchNode(
                name,
                self.cluster_name,
                http_port=free_port(),
                transport_port=transport,
                heap_mb=heap_mb,
                seed_ports=transport_ports,
                masters=names,
            )
            for name, transport in zip(names, transport_ports, strict=True)
        ]

    @property
    def urls(self):
        return [node.url for node in self.nodes]

    def start(self, timeout=240):
        """Launches every node at once and returns when all of them have joined one cluster."""
        try:
            for node in self.nodes:
                node.launch()
            for node in self.nodes:
                node.wait_started(timeout)
            wanted = len(self.nodes)
            wait_until(
                lambda: (
                    http_json(f"{self.nodes[0].url}/_cluster/health?wait_for_nodes={wanted}&timeout=5s", timeout=10)[
                        "number_of_nodes"
                    ]
                    == wanted
                ),
                timeout=timeout,
                what=f"A {wanted}-node cluster",
            )
        except ServiceError as error:
            logs = "\n".join(f"--- {node.name}\n{node.tail()}" for node in self.nodes)
            self.stop()
            raise ServiceError(f"{error}\n{logs}") from error
        except Exception:
            self.stop()
            raise
        return self

    def stop(self):
        for node in self.nodes:
            node.cleanup()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# PostgreSQL


def pg_bin():
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda path: int(path.parts[-3]))
    if versions:
        return versions[-1].parent
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    raise ServiceError("No PostgreSQL server programs (pg_ctl): apt-get install postgresql.")


class PostgresServer:
    """A throw-away PostgreSQL on 127.0.0.1 with trust authentication and one database, ``heritage``."""

    def __init__(self):
        self.bin = pg_bin()
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="heritage-faults-pg-"))
        self.dir.chmod(0o755)
        if is_root():
            shutil.chown(self.dir, "postgres", "postgres")
        self.prefix = run_as("postgres")
        self.url = f"postgres://heritage@127.0.0.1:{self.port}/heritage"

    def _run(self, *args, timeout=120):
        result = subprocess.run(
            [*self.prefix, *args], capture_output=True, text=True, timeout=timeout, check=False, cwd=self.dir
        )
        if result.returncode != 0:
            log = ""
            with contextlib.suppress(OSError):
                log = (self.dir / "postgres.log").read_text(errors="replace")[-3000:]
            raise ServiceError(f"{' '.join(map(str, args))} failed: {result.stdout}{result.stderr}\n{log}")
        return result

    def pg_ctl(self, action, *extra):
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off"
        )
        return self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.dir / "postgres.log"),
            "-w", "-t", "60", "-o", options, *extra, action,
        )  # fmt: skip

    def start(self):
        self._run(
            str(self.bin / "initdb"), "-D", str(self.dir / "data"), "-U", "heritage", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8",
        )  # fmt: skip
        self.pg_ctl("start")
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "heritage", "heritage")
        return self

    def restart(self):
        """Stops the server at once (open connections are cut) and starts it again."""
        self.pg_ctl("restart", "-m", "fast")

    def halt(self):
        """Stops the server (open connections are cut) until ``resume``."""
        self.pg_ctl("stop", "-m", "fast")

    def resume(self):
        self.pg_ctl("start")

    def psql(self, sql):
        return self._run(
            str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "heritage", "-d", "heritage",
            "-v", "ON_ERROR_STOP=1", "-Atqc", sql,
        ).stdout.strip()  # fmt: skip

    def copy_database(self, settings_dict):
        """Copies a PostgreSQL database (Django's ``settings_dict`` of it) into ``heritage`` here."""
        source = [
            str(self.bin / "pg_dump"), "--no-owner", "--no-privileges", "-h", settings_dict["HOST"] or "127.0.0.1",
            "-p", str(settings_dict["PORT"] or 5432), "-U", settings_dict["USER"], "-d", settings_dict["NAME"],
        ]  # fmt: skip
        target = [str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "heritage", "-d", "heritage"]
        env = {**os.environ, "PGPASSWORD": settings_dict.get("PASSWORD") or ""}
        with subprocess.Popen(source, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as dump:
            restore = subprocess.run(
                [*target, "-q", "-v", "ON_ERROR_STOP=1"], stdin=dump.stdout, capture_output=True, text=True, check=False
            )
            dump.stdout.close()
            dump_errors = dump.stderr.read().decode(errors="replace")
        if dump.returncode or restore.returncode:
            raise ServiceError(f"Could not copy the test database: {dump_errors}{restore.stderr}")

    def stop(self):
        with contextlib.suppress(ServiceError, subprocess.TimeoutExpired):
            self.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# The site itself


class SiteServer:
    """The site in gunicorn (deploy/gunicorn.conf.py) with the production settings, on a loopback port."""

    def __init__(self, database_url, *, settings_module="tests.faults.server_settings", workers=1, threads=4):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.dir = Path(tempfile.mkdtemp(prefix="heritage-faults-site-"))
        for folder in ("static", "media"):
            (self.dir / folder).mkdir()
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "fault-test-" + os.urandom(32).hex(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,.localhost",
            "SECURE_SSL_REDIRECT": "false",
            "FULL_PAGE_CACHE": "false",  # every page is read from the database
            "STATIC_ROOT": str(self.dir / "static"),
            "MEDIA_ROOT": str(self.dir / "media"),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": str(threads),
            "LOG_LEVEL": "WARNING",
        }
        self.env.pop("ELASTICSEARCH_URL", None)
        self.process = None

    def start(self, timeout=180):
        self.log = open(self.dir / "gunicorn.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "settings.wsgi:application", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

        def answers():
            if self.process.poll() is not None:
                raise ServiceError(f"gunicorn exited:\n{self.tail()}")
            with urllib.request.urlopen(f"{self.url}/healthz/", timeout=5) as response:
                return response.status == 200

        try:
            wait_until(answers, timeout=timeout, what="The site in gunicorn")
        except ServiceError as error:
            log = self.tail()
            self.stop()
            raise ServiceError(f"{error}\n{log}") from error
        return self

    def tail(self, lines=40):
        with contextlib.suppress(OSError):
            return "\n".join((self.dir / "gunicorn.log").read_text(errors="replace").splitlines()[-lines:])
        return ""

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        with contextlib.suppress(AttributeError, OSError):
            self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

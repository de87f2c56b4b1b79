"""Helpers shared by the benchmarks that drive a real `canhgiac serve` over HTTP.

- `canhgiac(env, *args)` runs the console script of the Python running the benchmark, with this
  checkout first on PYTHONPATH (so a worktree measures its own code).
- `database_url(kind, pg_url)` makes a database: a fresh SQLite file under var/bench/, or the
  PostgreSQL database of `pg_url` (created when missing, dropped first with `fresh=True`).
- `Server` starts and stops `canhgiac serve` on a port; `Load` runs keep-alive HTTP clients for a
  while and counts the answers; `loadavg()` is the machine's load (report it next to figures).
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"


def script(name: str = "canhgiac") -> str:
    here = Path(sys.executable).parent / name
    return str(here if here.exists() else ROOT / ".venv" / "bin" / name)


def base_env(url: str, **extra) -> dict:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {
        **os.environ,
        "PYTHONPATH": path,
        "DATABASE_URL": url,
        "CANHGIAC_VAR_DIR": str(BENCH_DIR),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def canhgiac(env: dict, *args, capture: bool = True) -> str:
    done = subprocess.run([script(), *args], env=env, capture_output=capture, text=True, check=False)
    if done.returncode:
        sys.exit(f"canhgiac {args[0]} failed: {(done.stderr or '')[-2000:]}")
    return done.stdout or ""


def database_url(kind: str, pg_url: str, *, name: str = "bench", fresh: bool = False) -> str:
    if kind == "sqlite":
        db = BENCH_DIR / f"{name}.sqlite3"
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{db}"
    import psycopg

    parts = urlsplit(pg_url)
    dbname = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(admin, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone():
            conn.execute(f'CREATE DATABASE "{dbname}"')
    return pg_url


def prepare(env: dict) -> None:
    """Migrate and load the reference data (idempotent)."""
    canhgiac(env, "migrate", "--verbosity", "0")
    canhgiac(env, "createcachetable", "--verbosity", "0")
    canhgiac(env, "setup", "--no-migrate")


def shell(env: dict, code: str) -> str:
    """The last line a `canhgiac shell -c` prints (the shell may print a banner first)."""
    out = canhgiac(env, "shell", "-c", code).strip().splitlines()
    return out[-1] if out else ""


def loadavg() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


class Server:
    """`canhgiac serve` (gunicorn) on 127.0.0.1:port with a log under var/bench/."""

    def __init__(self, env: dict, port: int, workers: int = 4, threads: int = 4, name: str = "server"):
        self.env, self.port, self.workers, self.threads = env, port, workers, threads
        self.log_path = BENCH_DIR / f"{name}-{port}.log"
        self.process = None

    def __enter__(self):
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [
                script(),
                "serve",
                "--no-migrate",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
            ],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"server exited; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/accounts/login/")
                if conn.getresponse().status == 200:
                    # every worker imports lazily: warm them all up before measuring
                    for _ in range(self.workers * self.threads * 2):
                        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                        conn.request("GET", "/accounts/login/")
                        conn.getresponse().read()
                    return
            except OSError:
                pass
            time.sleep(0.5)
        sys.exit(f"server did not start; see {self.log_path}")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class Load:
    """`clients` threads, each with one keep-alive connection, sending `make_request()` (a tuple
    method, path, body, headers) until `seconds` have passed or `count` requests were sent.
    Records (time sent, status, seconds, answer body, request body) per request."""

    def __init__(self, port: int, make_request, *, clients: int, seconds: float | None = None, count=None):
        self.port, self.make_request, self.clients = port, make_request, clients
        self.seconds, self.count = seconds, count
        self.results: list[tuple[float, object, float, bytes, bytes | None]] = []
        self.lock = threading.Lock()
        self.sent = 0

    def _take(self) -> bool:
        with self.lock:
            if self.count is not None and self.sent >= self.count:
                return False
            if self.seconds is not None and time.perf_counter() >= self.deadline:
                return False
            self.sent += 1
            return True

    def _client(self, n: int) -> None:
        conn = None
        while self._take():
            method, path, body, headers = self.make_request(n)
            sent = time.time()
            start = time.perf_counter()
            raw = b""
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                raw = response.read()
                status = response.status
                if (response.getheader("Connection") or "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as exc:
                status = f"conn:{type(exc).__name__}"
                if conn is not None:
                    conn.close()
                conn = None
            elapsed = time.perf_counter() - start
            with self.lock:
                self.results.append((sent, status, elapsed, raw, body))
        if conn is not None:
            conn.close()

    def run(self) -> Load:
        self.started, cpu = time.perf_counter(), time.process_time()
        self.deadline = self.started + (self.seconds or 1e9)
        threads = [threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(self.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.wall = time.perf_counter() - self.started
        # this process's CPU while the clients ran (the load generator's share of the machine)
        self.cpu = time.process_time() - cpu
        return self

    def statuses(self) -> Counter:
        return Counter(str(r[1]) for r in self.results)

    def ok(self, status: int) -> list:
        return [r for r in self.results if r[1] == status]


def pct(values, p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields:
                tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def tree_cpu_seconds(pid: int | None) -> float:
    """CPU seconds used by a process and all its descendants, living or exited (exited children
    are counted by their parent's cutime/cstime). Lets a benchmark report CPU per request, a figure
    that the other work on a shared machine does not change much."""
    if not pid:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")
    tree, total, todo = _children(), 0.0, [pid]
    while todo:
        p = todo.pop()
        fields = _stat(p)
        if not fields:
            continue
        # utime, stime, cutime, cstime are fields 14-17 (indices 11-14 here)
        total += sum(int(x) for x in fields[11:15]) / tick
        todo.extend(tree.get(p, []))
    return total


def postmaster_pid(pg_url: str) -> int | None:
    """The postmaster of the local cluster listening on pg_url's port (Debian layout), if any."""
    port = urlsplit(pg_url).port or 5432
    for pidfile in Path("/var/lib/postgresql").glob("*/*/postmaster.pid"):
        lines = pidfile.read_text().splitlines()
        if len(lines) > 3 and lines[3].strip() == str(port):
            return int(lines[0])
    return None

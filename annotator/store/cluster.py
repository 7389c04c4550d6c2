"""A local PostgreSQL cluster for trying team mode and for the tests: `annotator server
start DIR` / `stop DIR`, with Debian's `postgresql` package (initdb, pg_ctl).

The cluster lives in DIR/data, listens on 127.0.0.1 only (and a socket in DIR/run), and
asks every connection for a SCRAM password. Its superuser is `admin`; the password is
made up at initdb and written to DIR/pgpass (mode 0600), libpq's password file: point
PGPASSFILE at it and every libpq client (this app, psql) finds it. The app itself never
stores a password.

PostgreSQL refuses to run as root. When this runs as root (a container, CI), initdb and
the server run as the `postgres` system user if there is one, else as nobody (65534),
through `setpriv` (util-linux); DIR/data and DIR/run are then owned by that user, which
must be able to reach DIR (every folder above it searchable by others).
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import AnnotatorError

SUPERUSER = "admin"
DEFAULT_PORT = 5433  # beside a system server on 5432
DEFAULT_DATABASE = "annotator"
_BIN_DIRS = (Path("/usr/lib/postgresql/15/bin"),)


class ClusterError(AnnotatorError):
    pass


@dataclass(frozen=True)
class Cluster:
    folder: Path
    port: int

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def passfile(self) -> Path:
        return self.folder / "pgpass"

    def url(self, database: str = DEFAULT_DATABASE) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"


def binaries() -> Path:
    """The folder of initdb, pg_ctl and postgres: Debian's PostgreSQL 15, else the PATH."""
    for folder in _BIN_DIRS:
        if all((folder / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb") and shutil.which("postgres"):
        return Path(found).resolve().parent
    raise ClusterError("PostgreSQL's server programs (initdb, pg_ctl, postgres) are not installed: "
                       "install Debian's package with `apt-get install postgresql` (as root) and try again")


def service_user() -> pwd.struct_passwd | None:
    """Whom the server runs as: None for the current user, unless that is root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        return pwd.getpwuid(65534)


def _as_service(argv: list[str]) -> list[str]:
    user = service_user()
    if user is None:
        return argv
    return ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups", *argv]


def _run(argv: list[str], what: str, log: Path | None = None) -> str:
    try:
        done = subprocess.run(_as_service(argv), capture_output=True, text=True, check=False)
    except OSError as exc:
        raise ClusterError(f"{argv[0]}: cannot run it ({exc.strerror})") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        tail = ""
        if log is not None and log.exists():
            tail = " | ".join(log.read_text(errors="replace").strip().splitlines()[-3:])
        raise ClusterError(f"{what} failed: {' '.join(detail[-3:]) or 'no message'}"
                           + (f" (server log {log}: {tail})" if tail else ""))
    return done.stdout


def _give_to_service(path: Path) -> None:
    user = service_user()
    if user is not None:
        os.chown(path, user.pw_uid, user.pw_gid)


def _check_reachable(folder: Path) -> None:
    user = service_user()
    if user is None:
        return
    done = subprocess.run(_as_service(["test", "-w", str(folder)]), check=False)
    if done.returncode != 0:
        raise ClusterError(f"{folder}: the server runs as user {user.pw_name} (PostgreSQL refuses to run as root), "
                           "who cannot reach this folder; choose one every user can reach (e.g. under /tmp or /srv)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _read_port(cluster_folder: Path) -> int:
    port = DEFAULT_PORT
    for line in (cluster_folder / "data" / "postgresql.conf").read_text().splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "port":  # the last one counts, as for the server
            port = int(value.split("#")[0].strip())
    return port


def initialise(folder: Path, port: int) -> Cluster:
    """initdb in folder/data with SCRAM authentication on loopback; the password file beside it."""
    bindir = binaries()
    folder = Path(os.path.abspath(folder))
    folder.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(folder, port)
    if cluster.data.exists() and any(cluster.data.iterdir()):
        raise ClusterError(f"{cluster.data}: already holds files; `annotator server start {folder}` starts it")
    for sub in (folder, folder / "run"):
        sub.mkdir(exist_ok=True)
        _give_to_service(sub)
    _check_reachable(folder)
    password = secrets.token_urlsafe(24)
    pwfile = folder / ".initdb-password"
    pwfile.write_text(password + "\n")
    _give_to_service(pwfile)
    try:
        _run([str(bindir / "initdb"), "-D", str(cluster.data), "-U", SUPERUSER, "--pwfile", str(pwfile),
              "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8"], "initdb")
    finally:
        pwfile.unlink(missing_ok=True)
    with open(cluster.data / "postgresql.conf", "a", encoding="utf-8") as conf:  # later lines win
        conf.write(f"\n# annotator server start\nport = {port}\nlisten_addresses = '127.0.0.1'\n"
                   f"unix_socket_directories = '{folder / 'run'}'\n")
    fd = os.open(cluster.passfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(f"127.0.0.1:{port}:*:{SUPERUSER}:{password}\n")
    return cluster


def start(folder: Path, port: int | None = None, settings: dict[str, str] | None = None) -> Cluster:
    """Initialise DIR if it is new, then start its server and wait until it accepts connections.
    `settings` are server settings for this run only (the tests turn fsync off)."""
    folder = Path(os.path.abspath(folder))
    if not (folder / "data" / "PG_VERSION").exists():
        cluster = initialise(folder, port or DEFAULT_PORT)
    else:
        cluster = Cluster(folder, _read_port(folder))
        if port is not None and port != cluster.port:
            raise ClusterError(f"{folder}: the cluster listens on port {cluster.port}; start it without --port "
                               "(or make a new one in another folder)")
    log = folder / "server.log"
    if not log.exists():
        log.touch()
        _give_to_service(log)
    options = " ".join(f"-c {key}={value}" for key, value in (settings or {}).items())
    _run([str(binaries() / "pg_ctl"), "-D", str(cluster.data), "-l", str(log), "-o", options, "-w", "-t", "60", "start"],
         f"starting the server in {cluster.data}", log)
    return cluster


def stop(folder: Path, mode: str = "fast") -> None:
    """pg_ctl stop: `fast` (the default) ends sessions and checkpoints; `immediate` (a
    throw-away test cluster) skips the checkpoint, as after a crash."""
    folder = Path(os.path.abspath(folder))
    if not (folder / "data" / "PG_VERSION").exists():
        raise ClusterError(f"{folder}: no cluster here (no data/PG_VERSION)")
    _run([str(binaries() / "pg_ctl"), "-D", str(folder / "data"), "-m", mode, "-w", "stop"],
         f"stopping the server in {folder / 'data'}", folder / "server.log")

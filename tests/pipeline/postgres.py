"""A real, throw-away PostgreSQL server for the gradebook tests.

``server()`` runs initdb in a fresh temporary folder, starts ``postgres`` on
127.0.0.1 on a free port (its Unix socket in the same folder), creates a database and
yields its SQLAlchemy URL; on exit it stops the server and removes the folder. The
binaries are Debian's ``postgresql`` package (found with ``pg_config --bindir``, under
``/usr/lib/postgresql/*/bin`` or on PATH). PostgreSQL refuses to run as root, so when
the tests run as root the server runs as the ``postgres`` system user that the Debian
package creates (``nobody`` if there is none): the folder is handed to that user and
every server command runs with ``subprocess``'s ``user=``/``group=``.
Authentication is ``trust``, for connections from this machine only.
"""
import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

INSTALL = "install Debian's PostgreSQL server: apt-get install postgresql"


class PostgresMissing(RuntimeError):
    """The server binaries are not on this machine; the message says what to install."""


def bindir(candidates=None):
    """The folder holding initdb, pg_ctl and postgres; PostgresMissing if there is none."""
    candidates = list(candidates) if candidates is not None else _candidates()
    for folder in candidates:
        if all(os.access(Path(folder) / b, os.X_OK) for b in ("initdb", "pg_ctl", "postgres")):
            return Path(folder)
    raise PostgresMissing(f"PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in "
                          f"{', '.join(map(str, candidates)) or 'pg_config --bindir, PATH'}: "
                          f"{INSTALL}")


def _candidates():
    """pg_config's bindir, Debian's folders (newest first), the folder of pg_ctl on PATH."""
    found = []
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        found.append(subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                                    check=True).stdout.strip())
    version = lambda p: [int(x) for x in Path(p).parent.name.split(".") if x.isdigit()]  # noqa: E731
    found += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    if shutil.which("pg_ctl"):
        found.append(str(Path(shutil.which("pg_ctl")).resolve().parent))
    return found


def _server_user():
    """(uid, gid) to run the server as: ourselves, or an unprivileged user when root."""
    if os.geteuid() != 0:
        return os.geteuid(), os.getegid()
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            user = pwd.getpwnam(name)
            return user.pw_uid, user.pw_gid
    raise PostgresMissing(f"running as root and no 'postgres' or 'nobody' user: {INSTALL}")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(database="gradebook"):
    """Start a private PostgreSQL server; yield the URL of a fresh database in it."""
    bins, (uid, gid) = bindir(), _server_user()
    root = Path(tempfile.mkdtemp(prefix="pg-gradebook-"))
    os.chown(root, uid, gid)
    data, log, port = root / "data", root / "server.log", _free_port()

    def run(*command):
        as_user = {} if uid == os.geteuid() else {"user": uid, "group": gid, "extra_groups": []}
        result = subprocess.run([str(c) for c in command], capture_output=True, text=True,
                                cwd=root, timeout=120, **as_user)
        if result.returncode:
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{Path(command[0]).name} failed ({result.returncode}):\n"
                               f"{result.stdout}{result.stderr}{tail}")
        return result

    try:
        run(bins / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--no-instructions")
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(bins / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o", options, "start")
        try:
            import psycopg
            with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres",
                                 autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{database}"')
            yield f"postgresql://postgres@127.0.0.1:{port}/{database}"
        finally:
            run(bins / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)

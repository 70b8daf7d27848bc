"""A throwaway PostgreSQL server with PostGIS for the tests: Debian's binaries, a temp folder, a loopback port.

``CMDMAP_TEST_POSTGRES_URL`` (a database where PostGIS may be created) is used
instead when it is set. initdb refuses to run as root, so as root the server runs
as the ``postgres`` user that Debian's package creates.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

DATABASE = "cmdmap_test"


def binaries() -> Path | None:
    """The newest Debian PostgreSQL bin folder that has PostGIS beside it, or None."""
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True):
        version = folder.split("/")[-2]
        if glob.glob(f"/usr/share/postgresql/{version}/extension/postgis.control"):
            return Path(folder)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str  # SQLAlchemy URL of the test database (PostGIS created)
    folder: Path | None = None
    bin: Path | None = None

    def stop(self) -> None:
        if self.folder is None:
            return
        _run([str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop"], check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(_as_owner(command), check=check, capture_output=True, text=True)


def start() -> Server:
    """Start a server (or take ``CMDMAP_TEST_POSTGRES_URL``); raises RuntimeError when there is none."""
    given = os.environ.get("CMDMAP_TEST_POSTGRES_URL")
    if given:
        return Server(given)
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL with PostGIS (Debian: postgresql postgresql-15-postgis-3)")
    folder = Path(tempfile.mkdtemp(prefix="cmdmap-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = free_port()
    # trust on loopback and the socket: a throwaway server for one test session
    _run([str(bin_dir / "initdb"), "-D", str(folder / "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8",
          "--no-locale", "--no-sync"])
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
    _run([str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-l", str(folder / "log"), "-o", options, "-w",
          "start"])
    _run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", DATABASE])
    _run([str(bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", DATABASE, "-q",
          "-c", "CREATE EXTENSION postgis"])
    return Server(f"postgresql+psycopg://postgres@127.0.0.1:{port}/{DATABASE}", folder, bin_dir)


def fresh_schema(server_url: str, name: str) -> str:
    """A new empty schema in the test database and a URL whose connections work in it (PostGIS from public)."""
    import psycopg

    plain = server_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{name}"')
    joiner = "&" if "?" in server_url else "?"
    return f"{server_url}{joiner}options=-csearch_path%3D{name},public"

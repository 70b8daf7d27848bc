"""Files and folders only the service's own user may read: the store, its backups and their folders.

The store holds password hashes (argon2, but a hash read is a hash attacked offline), so a
store file, its ``-wal``/``-shm`` side files and every backup are created ``0600`` and
the folders it makes ``0700``, whatever the umask of whoever started the app or the command.
SQLite gives a database's side files the mode of the database itself, so making the file first
is enough for them. A store file or backup made before this rule is tightened when next used,
and so is the backup folder (the app's own); a folder that already held the store is left as
it is (it may be anything, even ``/tmp``): see docs/deploy.md for running the service as its own user.

Examples
--------
>>> import tempfile
>>> folder = private_folder(Path(tempfile.mkdtemp()) / "store" / "backups", tighten=True)
>>> oct(folder.stat().st_mode & 0o777), oct(folder.parent.stat().st_mode & 0o777)
('0o700', '0o700')
>>> oct(private_file(folder / "copy.sqlite").stat().st_mode & 0o777)
'0o600'
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(folder: Path, tighten: bool = False) -> Path:
    """``folder``, made with its missing parents as ``0700``; ``tighten``: made ``0700`` also if it was there, wider."""
    folder = Path(folder)
    missing = []
    for parent in (folder, *folder.parents):
        if parent.exists():
            break
        missing.append(parent)
    for parent in reversed(missing):
        parent.mkdir(mode=FOLDER_MODE, exist_ok=True)
        os.chmod(parent, FOLDER_MODE)  # mkdir's mode is cut by the umask
    if tighten and folder.stat().st_mode & 0o077:
        os.chmod(folder, FOLDER_MODE)
    return folder


def private_file(path: Path) -> Path:
    """``path``, made empty as ``0600`` if missing (an empty file is an empty SQLite database), else tightened.

    Its folder is made as by :func:`private_folder`. A file that cannot be changed (read-only, another
    owner's) is left as it is: it is still read.
    """
    path = Path(path)
    if not path.exists():
        private_folder(path.parent)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    _tighten(path)
    return path


def _tighten(path: Path) -> None:
    try:
        if path.stat().st_mode & 0o077:
            os.chmod(path, FILE_MODE)
    except OSError:  # a read-only file system, another owner: reading it is still allowed
        pass


def tighten_store(path: Path) -> None:
    """Make the SQLite store ``path`` and the side files it has ``0600``, and its folder ``0700``."""
    private_file(path)
    for suffix in ("-wal", "-shm", "-journal"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            _tighten(side)

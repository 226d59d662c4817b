"""Keep Medic's home private: the folder 0700, the files Medic writes there 0600."""

import contextlib
import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

FOLDER, FILE = 0o700, 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_folder(path: Path) -> Path:
    """Create the folder 0700; take group and others' access off it and the files in it.

    Only what this user owns is changed: a folder or file someone else provided is left
    as it is (and reported).
    """
    path.mkdir(mode=FOLDER, parents=True, exist_ok=True)
    _tighten(path)
    for child in path.iterdir():
        if child.is_file() and not child.is_symlink():
            _tighten(child)
    return path


def private_file(path: Path) -> Path:
    """Create the file empty and 0600 if missing, or tighten it (and its SQLite companions).

    SQLite gives a database's -wal and -shm files the mode of the database itself, so a
    database file created here keeps its journal private too.
    """
    path.parent.mkdir(mode=FOLDER, parents=True, exist_ok=True)
    # Never open (and close) a descriptor on an existing file: closing any descriptor of a
    # file drops every POSIX lock this process holds on it, including SQLite's on a
    # database it has open — another writer then corrupts it ("disk image is malformed").
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE))
    for each in (path, *(path.with_name(path.name + end) for end in SQLITE_COMPANIONS)):
        if each.exists():
            _tighten(each)
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Write a file Medic produces (a report) readable and writable by its owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE)
    with os.fdopen(descriptor, "wb") as out:
        with contextlib.suppress(OSError):  # one there before keeps no wider mode
            os.fchmod(out.fileno(), FILE)
        out.write(data)
    return path


def _tighten(path: Path) -> None:
    try:
        status = path.stat()
        mode = stat.S_IMODE(status.st_mode)
        if mode & 0o077 and status.st_uid == os.getuid():
            os.chmod(path, mode & ~0o077)
        elif mode & 0o077:
            log.warning("%s can be read by other users and is not ours to change (mode %o)",
                        path, mode)
    except OSError as error:
        log.warning("could not make %s private: %s", path, error)

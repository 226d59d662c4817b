"""Name the data and code a model was trained from: the DVC hash and the git commit."""

import hashlib
import json
import subprocess
from pathlib import Path


def file_md5(path: Path) -> str:
    """Return a file's md5, as DVC records it."""
    return hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()


def dvc_dir_hash(folder: Path) -> str:
    """Return the hash DVC gives a folder (`<md5 of its listing>.dir`), as in dvc.lock."""
    folder = Path(folder)
    entries = [
        {"md5": file_md5(p), "relpath": p.relative_to(folder).as_posix()}
        for p in sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).as_posix())
        if p.is_file()
    ]
    listing = json.dumps(entries, sort_keys=True).encode()
    return hashlib.md5(listing, usedforsecurity=False).hexdigest() + ".dir"


def git_commit(cwd: Path) -> str:
    """Return the current commit (with `-dirty` for uncommitted changes), or `unknown`."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=cwd, capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("-dirty" if dirty else "")

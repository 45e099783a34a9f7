"""The few file operations shard and manifest writers need, local by default.

corpus/ stays free of Beam: the pipeline layer passes a :class:`FileOps` backed by Beam's
``FileSystems`` for remote output (``gs://``, ``s3://``); tests and local tools use
:data:`LOCAL_FILES`. Everything is written to a temporary name beside the final one and
renamed when complete, so a crash never leaves a file that looks finished.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

TEMP_PREFIX = "."
TEMP_SUFFIX = ".tmp"


@dataclass(frozen=True)
class FileOps:
    """``opener(path, mode)`` with mode ``"wb"``/``"rb"``; ``rename`` replaces an existing target."""

    opener: Callable[[str, str], IO[bytes]]
    rename: Callable[[str, str], None]
    delete: Callable[[str], None]
    exists: Callable[[str], bool]


def _local_open(path: str, mode: str) -> IO[bytes]:
    if "w" in mode:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    return open(path, mode)


LOCAL_FILES = FileOps(opener=_local_open, rename=os.replace, delete=os.remove, exists=os.path.exists)


def join(root: str, relpath: str) -> str:
    """``root`` + a posix relative path; works for local paths and URLs alike."""
    return root.rstrip("/") + "/" + relpath if root else relpath


def temp_path(path: str) -> str:
    """A hidden name in the same directory, so the final rename stays within one directory."""
    head, tail = posixpath.split(path)
    return posixpath.join(head, f"{TEMP_PREFIX}{tail}{TEMP_SUFFIX}") if head else f"{TEMP_PREFIX}{tail}{TEMP_SUFFIX}"

"""Atomic file output: a file either has its old content or its complete new content.

Every writer in the project (tables, figures, CSVs, downloaded data) goes through
:func:`atomic_path`, so an interrupted run never leaves a truncated output behind. The
file gets the mode a plain ``open(path, "w")`` would give it (``0o666`` less the umask,
so ``0o644`` under the usual umask 022), not :func:`tempfile.mkstemp`'s private
``0o600``; rewriting an existing file keeps its mode.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _umask() -> int:
    """The process's umask (read by setting and restoring it; there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _final_mode(target: Path) -> int:
    """The mode ``target`` should end with: its current mode, else ``0o666 & ~umask``."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it onto ``target`` on success.

    The temporary file lives in the target's directory so the final
    :func:`os.replace` is atomic on POSIX and Windows. On any exception the
    temporary file is removed and ``target`` is left untouched. Before the move the
    file gets the mode of the file it replaces, or the umask's default for a new file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "t.csv") as tmp:
    ...     _ = tmp.write_text("a,b\\n1,2\\n")
    >>> (d / "t.csv").read_text()
    'a,b\\n1,2\\n'
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if tmp.exists():
            os.chmod(tmp, _final_mode(target))
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def atomic_write_text(target: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line endings) to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(target)


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def replace_marked_block(text: str, start: str, end: str, body: str) -> str:
    """``text`` with what lies between the marker lines ``start`` and ``end`` replaced by
    ``body``; unchanged when either marker is missing.

    Generated sections of hand-written documents (a README's dataset list, the measured
    numbers of a performance page) live between such markers, so regenerating them
    never touches the prose around them.

    >>> replace_marked_block("a [s] old [e] b", "[s]", "[e]", "new").split()
    ['a', '[s]', 'new', '[e]', 'b']
    """
    if start not in text or end not in text:
        return text
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body}\n{end}{tail}"


#: Name of the lock file a command holds in its output folder while it runs.
LOCK_NAME = ".enforcement-lab.lock"


@contextlib.contextmanager
def locked_folder(folder: str | os.PathLike[str], command: str = "a run") -> Iterator[Path]:
    """Hold an exclusive lock on an output folder for the duration of a run.

    Two runs writing into one folder destroy each other's outputs and progress logs, so
    every command with ``--out`` holds this lock. It is an advisory ``flock`` on
    ``folder/.enforcement-lab.lock``, which also records the holder's PID: the kernel
    releases it when the holder exits, however it exits (``SIGKILL`` included), so a
    stale lock file left by a killed run is simply taken over, with no race between two
    runs that find it at once. The folder is created if needed; if this call created it
    and the run leaves it empty, it is removed again, so a failed run leaves nothing.

    Parameters
    ----------
    folder : path
        The output folder.
    command : str
        How to name the run in the lock file (for a user looking at it).

    Raises
    ------
    EnforcementLabError
        Another live process holds the lock; the message gives its PID.
    """
    from enforcement_lab.errors import EnforcementLabError

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise EnforcementLabError(f"--out {folder} is a file, not a folder")
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks; run unlocked
        yield folder
        return
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 200).decode("utf-8", "replace").split()
            os.close(fd)
            pid = holder[0] if holder else "unknown"
            if created:
                _remove_if_empty(folder)
            raise EnforcementLabError(
                f"--out {folder} is in use by another run (PID {pid}); wait for it to finish "
                "or choose another folder"
            ) from None
        # the holder may have removed the file between our open and our lock: retry on
        # the file that is there now
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {command}\n".encode())
        yield folder
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        os.close(fd)
        if created:
            _remove_if_empty(folder)


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()

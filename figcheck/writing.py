"""Writing output to stdout or to a file, as a shell redirect would, never half a file."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from figcheck.errors import FigcheckError


def emit(text: str | bytes | Iterable[str | bytes], output: Path | None) -> None:
    """Write text, bytes (a workbook), or chunks of text as they come, to stdout or to a file as a
    shell redirect would; a failed write is an error (exit 2).

    A new or regular file is written whole or not at all (a temporary file beside it, then a
    rename). Anything else (a symlink, FIFO, device, a file with other hard links) is opened
    and written in place, so `-o /dev/null` stays a device and a link stays a link.
    """
    # Bytes, so CSV's CRLF and UTF-8 reach the reader whatever the platform does.
    chunks = (chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")
              for chunk in ([text] if isinstance(text, (str, bytes)) else text))
    if output is None:
        try:
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise FigcheckError(f"cannot write output: {exc.strerror or exc}", "<stdout>") from None
        return
    try:
        info = os.lstat(output)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise FigcheckError(f"cannot write output: {exc.strerror or exc}", output) from None
    try:
        if info is None or (stat.S_ISREG(info.st_mode) and info.st_nlink == 1):
            _replace_whole(output, chunks, None if info is None else stat.S_IMODE(info.st_mode))
        else:
            with open(output, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
    except OSError as exc:
        raise FigcheckError(f"cannot write output: {exc.strerror or exc}", output) from None


def _replace_whole(output: Path, chunks: Iterable[bytes], mode: int | None) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

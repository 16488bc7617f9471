"""Opening the DuckDB file: briefly, with bounded waits, migrated when it is older.

DuckDB lets one process write a database file and, while it is open for writing, no other process
read it. So nothing in jobsift keeps the file open: the loader opens it to write one batch and
closes it, readers (`jobsift sql`, `export`, `sources`) open it read-only for one command. Whoever
finds it held by another process retries until its wait is over, then gives up with
`DatabaseBusy`, one line that names the process holding the file.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from jobsift.pipelines.storage.migrate import is_current, migrate

# DuckDB's buffer pool for writers: enough for a batch of JOBSIFT_BATCH_BYTES (16 MB) of text; what
# still does not fit is split (store.py). The pool is freed when the file is closed after each
# batch, so the limit only bounds one batch's merge and checkpoint.
MEMORY_LIMIT = "128MB"
WRITER_CONFIG: dict[str, str | bool] = {
    "memory_limit": MEMORY_LIMIT,
    "preserve_insertion_order": False,
}
# Readers cannot write or create files, reach the network, load extensions or change settings
# (DuckDB's own controls, checked by DuckDB for every statement; see README "DuckDB").
READER_CONFIG: dict[str, str | bool] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "temp_directory": "",
    "lock_configuration": True,
}
# Seconds a reader waits for a crawl to finish writing a batch.
READ_WAIT = 15.0
_RETRY_PAUSE = 0.05


class DatabaseBusy(Exception):
    """Another process holds the database file for longer than the wait allows."""


class DatabaseMissing(Exception):
    """A reader was pointed at a file that does not exist."""


class DatabaseUnusable(Exception):
    """The path cannot hold a database: a file that is not DuckDB's, a folder that cannot be made."""


def path_problem(exc: OSError, path: Path) -> str:
    """Why `path` (or its folder) could not be made or opened, in a few words."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return f"{parent} is a file, not a folder"
    return (exc.strerror or str(exc)).lower()


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def _open_problem(exc: duckdb.Error) -> str:
    """DuckDB's reason for not opening a file, in one line."""
    text = str(exc).strip()
    if "not a valid DuckDB database file" in text:
        return "it is not a DuckDB database file"
    return text.splitlines()[0] if text else type(exc).__name__


def _holder(exc: duckdb.Error) -> str:
    text = str(exc)
    marker = "Conflicting lock is held in "
    if marker in text:
        return text.split(marker, 1)[1].split(". See also", 1)[0].strip().rstrip(".")
    return "another process"


class Database:
    """One DuckDB file. `writer()` and `reader()` open it for one unit of work and close it."""

    # Writers of one process take turns (one batch, one run update at a time); per file.
    _locks: dict[str, threading.Lock] = {}
    _guard = threading.Lock()

    def __init__(self, path: str | Path, wait: float = 60.0) -> None:
        self.path = Path(path)
        self.wait = wait
        self.key = str(self.path.resolve())
        with self._guard:
            self.lock = self._locks.setdefault(self.key, threading.Lock())

    def _connect(self, wait: float, read_only: bool) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + wait
        while True:
            try:
                if read_only:
                    return duckdb.connect(str(self.path), read_only=True, config=READER_CONFIG)
                return duckdb.connect(str(self.path), config=WRITER_CONFIG)
            except duckdb.Error as exc:
                if not _is_lock_conflict(exc):
                    raise DatabaseUnusable(
                        f"cannot open the database {self.path}: {_open_problem(exc)}"
                    ) from exc
                if time.monotonic() >= deadline:
                    raise DatabaseBusy(
                        f"the database {self.path} is held by {_holder(exc)}; "
                        f"gave up after waiting {wait:g} s (close that reader or writer and retry)"
                    ) from None
            time.sleep(_RETRY_PAUSE)

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection to the migrated database, closed (and the file released) after."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnusable(
                f"cannot create the database {self.path}: {path_problem(exc, self.path)}"
            ) from None
        with self.lock:
            con = self._connect(self.wait, read_only=False)
            try:
                migrate(con)  # one query when the database is current
                yield con
            finally:
                con.close()

    @contextmanager
    def reader(self, wait: float = READ_WAIT) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection that cannot write or create files or change settings.

        A database of an older release is migrated first (briefly read-write, when the file can be
        written), so readers see the current views.
        """
        if not self.path.is_file():
            raise DatabaseMissing(f"no database at {self.path}")
        con = self._connect(wait, read_only=True)
        if not is_current(con):
            con.close()
            try:
                with self.lock:
                    writer = self._connect(wait, read_only=False)
                    try:
                        migrate(writer)
                    finally:
                        writer.close()
            except (duckdb.Error, DatabaseUnusable):
                pass  # e.g. a file the user may only read: read it with the schema it has
            con = self._connect(wait, read_only=True)
        try:
            yield con
        finally:
            con.close()

"""The spool: normalized batches as Parquet files, written by crawl workers, merged by one writer.

DuckDB allows one writing process, so the workers of a distributed crawl do not write the database:
each writes its batches here and the coordinator (or `jobsift merge`) loads them (`spool_merge.py`).

Layout under the spool folder (JOBSIFT_SPOOL; default `spool/` beside the database):

- `<run_id>/<batch_id>.postings.parquet`: staged rows (`staging.STAGE_SCHEMA`, as `stage_row` makes
  them, run and configured source set); `<batch_id>.rejects.parquet`: the batch's rejects;
  `<batch_id>.seen.parquet`: raw postings served as stored before (only when a worker skipped
  unchanged ones, which workers without a database do not);
- `<run_id>/<batch_id>.json`: the batch's manifest, written LAST (temporary name, fsync, rename),
  after every Parquet file is on disk. It names each file with its size and digest. A batch without
  its manifest (a worker died while writing it) or whose files do not match it is never merged;
- `<run_id>/end/<source>/<worker>.json`: a worker's end record for one source, written when its
  crawler of that source closes (close reason, failures, partial, complete listing, its batches).

A batch id is `<worker>-<source>-<seq>-<8 hex>`, unique across workers and restarts.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from jobsift.pipelines.storage.staging import STAGE_SCHEMA, SeenUnchanged, to_json
from jobsift.schemas import Reject

MANIFEST = ".json"
KINDS = ("postings", "rejects", "seen")
REJECT_SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("url", pa.string()),
        ("reason", pa.string()),
        ("raw", pa.string()),  # the raw payload as JSON
    ]
)
SEEN_SCHEMA = pa.schema(
    [
        ("raw_hash", pa.string()),
        ("fetched_at", pa.timestamp("us", tz="UTC")),
        ("payload", pa.string()),  # JSON
    ]
)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """A worker or source name as it may appear in a file name."""
    return _UNSAFE.sub("_", name).strip("._") or "_"


def default_spool(db_path: str | Path) -> Path:
    """The spool folder when JOBSIFT_SPOOL is not set: `spool/` beside the database."""
    return Path(db_path).expanduser().resolve().parent / "spool"


def new_batch_id(worker: str, source: str, seq: int) -> str:
    return f"{safe_name(worker)}-{safe_name(source)}-{seq:06d}-{secrets.token_hex(4)}"


def _digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # a system without directory handles (Windows): the rename is what we have
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Writes `path` so that it is either absent or whole: temporary name, fsync, rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with temp.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    _fsync_dir(path.parent)


def _write_parquet(path: Path, table: pa.Table) -> dict[str, Any]:
    pq.write_table(table, path, compression="zstd")
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
    return {
        "file": path.name,
        "rows": table.num_rows,
        "bytes": path.stat().st_size,
        "blake2b": _digest(path),
    }


@dataclass(slots=True)
class Batch:
    """One batch as a worker hands it to the spool."""

    batch_id: str
    run_id: str
    source: str
    worker: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    seen: list[SeenUnchanged] = field(default_factory=list)


def write_batch(spool: Path, batch: Batch) -> Path:
    """Writes a batch's Parquet files, then its manifest (last, atomically); returns the manifest.

    Until the manifest is in place the batch does not exist for the merge.
    """
    folder = spool / batch.run_id
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Any] = {}
    if batch.rows:
        table = pa.Table.from_pylist(batch.rows, schema=STAGE_SCHEMA)
        files["postings"] = _write_parquet(folder / f"{batch.batch_id}.postings.parquet", table)
    if batch.rejects:
        rows = [
            {"source": r.source, "url": r.url, "reason": r.reason, "raw": to_json(r.raw)}
            for r in batch.rejects
        ]
        table = pa.Table.from_pylist(rows, schema=REJECT_SCHEMA)
        files["rejects"] = _write_parquet(folder / f"{batch.batch_id}.rejects.parquet", table)
    if batch.seen:
        rows = [
            {"raw_hash": s.raw_hash, "fetched_at": s.fetched_at, "payload": to_json(s.payload)}
            for s in batch.seen
        ]
        table = pa.Table.from_pylist(rows, schema=SEEN_SCHEMA)
        files["seen"] = _write_parquet(folder / f"{batch.batch_id}.seen.parquet", table)
    _fsync_dir(folder)
    manifest = folder / f"{batch.batch_id}{MANIFEST}"
    write_json_atomic(
        manifest,
        {
            "batch_id": batch.batch_id,
            "run_id": batch.run_id,
            "source": batch.source,
            "worker": batch.worker,
            "postings": len(batch.rows),
            "rejects": len(batch.rejects),
            "seen": len(batch.seen),
            "written_at": datetime.now(UTC).isoformat(),
            "files": files,
        },
    )
    return manifest


@dataclass(frozen=True, slots=True)
class EndRecord:
    """What one worker says about its crawl of one source of a run."""

    run_id: str
    source: str
    worker: str
    reason: str
    failures: tuple[str, ...] = ()
    partial: tuple[str, ...] = ()
    complete_listing: bool = False
    rejected: int = 0
    batches: tuple[str, ...] = ()


def end_path(spool: Path, run_id: str, source: str, worker: str) -> Path:
    return spool / run_id / "end" / safe_name(source) / f"{safe_name(worker)}.json"


def write_end(spool: Path, record: EndRecord) -> Path:
    path = end_path(spool, record.run_id, record.source, record.worker)
    write_json_atomic(
        path,
        {
            "run_id": record.run_id,
            "source": record.source,
            "worker": record.worker,
            "reason": record.reason,
            "failures": list(record.failures),
            "partial": list(record.partial),
            "complete_listing": record.complete_listing,
            "rejected": record.rejected,
            "batches": list(record.batches),
            "written_at": datetime.now(UTC).isoformat(),
        },
    )
    return path


def read_ends(spool: Path, run_id: str, source: str) -> list[EndRecord]:
    """The end records of one source of a run (those that can be read), by worker."""
    records = []
    for path in sorted((spool / run_id / "end" / safe_name(source)).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # only whole files are renamed into place: this is not one of ours
        if data.get("source") != source or data.get("run_id") != run_id:
            continue
        records.append(
            EndRecord(
                run_id=run_id,
                source=source,
                worker=str(data.get("worker", path.stem)),
                reason=str(data.get("reason", "")),
                failures=tuple(data.get("failures") or ()),
                partial=tuple(data.get("partial") or ()),
                complete_listing=bool(data.get("complete_listing")),
                rejected=int(data.get("rejected") or 0),
                batches=tuple(data.get("batches") or ()),
            )
        )
    return records


@dataclass(frozen=True, slots=True)
class Manifest:
    batch_id: str
    run_id: str
    source: str
    worker: str
    postings: int
    rejects: int
    seen: int
    files: dict[str, dict[str, Any]]
    folder: Path

    def path(self, kind: str) -> Path | None:
        entry = self.files.get(kind)
        return self.folder / entry["file"] if entry else None


@dataclass(frozen=True, slots=True)
class Incomplete:
    """A batch that cannot be merged: Parquet files without a manifest, or not matching it."""

    run_id: str
    batch_id: str
    why: str


def run_folders(spool: Path, run_id: str | None = None) -> list[Path]:
    if run_id is not None:
        folder = spool / run_id
        return [folder] if folder.is_dir() else []
    if not spool.is_dir():
        return []
    return sorted(p for p in spool.iterdir() if p.is_dir() and not p.name.startswith("."))


def _batch_of(name: str) -> str | None:
    for kind in KINDS:
        suffix = f".{kind}.parquet"
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return None


def check(manifest: Manifest) -> str | None:
    """Why a batch's files do not match its manifest (None when they do)."""
    for kind, entry in manifest.files.items():
        path = manifest.folder / str(entry.get("file"))
        try:
            size = path.stat().st_size
        except OSError:
            return f"its {kind} file {path.name} is missing"
        if size != entry.get("bytes"):
            return f"its {kind} file {path.name} has {size} bytes, the manifest says {entry.get('bytes')}"
        if _digest(path) != entry.get("blake2b"):
            return f"its {kind} file {path.name} does not match the manifest's digest"
    return None


def scan(spool: Path, run_id: str | None = None) -> tuple[list[Manifest], list[Incomplete]]:
    """The batches in the spool with a readable manifest (in the order they were written, per
    run), and the ones without (their Parquet files are there, their manifest is not)."""
    complete: list[Manifest] = []
    incomplete: list[Incomplete] = []
    for folder in run_folders(spool, run_id):
        found: set[str] = set()
        entries: list[tuple[str, Manifest]] = []
        for path in folder.glob(f"*{MANIFEST}"):
            if path.name.startswith("."):
                continue
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                manifest = Manifest(
                    batch_id=str(data["batch_id"]),
                    run_id=str(data["run_id"]),
                    source=str(data["source"]),
                    worker=str(data["worker"]),
                    postings=int(data["postings"]),
                    rejects=int(data["rejects"]),
                    seen=int(data.get("seen") or 0),
                    files=dict(data.get("files") or {}),
                    folder=folder,
                )
            except (OSError, ValueError, KeyError, TypeError) as exc:
                incomplete.append(
                    Incomplete(
                        folder.name, path.stem, f"unreadable manifest ({type(exc).__name__})"
                    )
                )
                continue
            found.add(manifest.batch_id)
            entries.append((str(data.get("written_at", "")), manifest))
        complete.extend(m for _, m in sorted(entries, key=lambda e: (e[0], e[1].batch_id)))
        orphans = sorted({b for p in folder.glob("*.parquet") if (b := _batch_of(p.name))} - found)
        incomplete.extend(Incomplete(folder.name, b, "no manifest") for b in orphans)
    return complete, incomplete


def read_rows(manifest: Manifest) -> list[dict[str, Any]]:
    path = manifest.path("postings")
    return pq.read_table(path, schema=STAGE_SCHEMA).to_pylist() if path else []


def read_rejects(manifest: Manifest) -> list[Reject]:
    path = manifest.path("rejects")
    if path is None:
        return []
    return [
        Reject(r["source"], r["url"], r["reason"], json.loads(r["raw"]) if r["raw"] else None)
        for r in pq.read_table(path, schema=REJECT_SCHEMA).to_pylist()
    ]


def read_seen(manifest: Manifest) -> list[SeenUnchanged]:
    path = manifest.path("seen")
    if path is None:
        return []
    return [
        SeenUnchanged(r["raw_hash"], r["fetched_at"], json.loads(r["payload"]))
        for r in pq.read_table(path, schema=SEEN_SCHEMA).to_pylist()
    ]


def iter_files(spool: Path) -> Iterator[Path]:
    """Every Parquet file of the spool (for sizes)."""
    yield from spool.rglob("*.parquet")

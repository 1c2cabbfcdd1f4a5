"""`figcheck index --engine dask`: extraction on a Dask cluster, the store written by the client.

The client reads each article's bytes (it hashes them anyway, to find unchanged and duplicate
articles) and sends them in chunks to the workers with the metric packs' text, so workers need
figcheck installed but no access to the files. Each worker loads the packs once and sends back
a polars frame of figures per chunk; the client writes each frame to the store as it arrives
and keeps only a few chunks in flight, so memory stays flat on either side. Without a
scheduler address a LocalCluster is started on this machine.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl

from figcheck.errors import FigcheckError, Warnings
from figcheck.pack import Config, load_config
from figcheck.pipeline import CHUNK, Job, _extract_chunk
from figcheck.records import FigureSet

IN_FLIGHT_PER_WORKER = 2


def _distributed():
    try:
        import distributed
    except ImportError:
        raise FigcheckError("--engine dask needs Dask: pip install 'figcheck[dask]'") from None
    return distributed


def client_for(scheduler: str | None, workers: int | None = None, processes: bool = True):
    """A client of the cluster at `scheduler`, or of a new LocalCluster on this machine."""
    dask = _distributed()
    if scheduler:
        try:
            return dask.Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise FigcheckError(f"cannot reach the Dask scheduler: {exc}", scheduler) from None
    import os

    cluster = dask.LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=processes,
                                dashboard_address=None)
    return dask.Client(cluster)


_PACKS: dict[tuple, Config] = {}


def _config(packs: tuple[tuple[str, str], ...]) -> Config:
    """The packs, loaded once per worker process from their names and texts. The files written for
    loading are removed at once, and kept out of the pack cache: their paths are never seen again."""
    if packs not in _PACKS:
        with tempfile.TemporaryDirectory(prefix="figcheck-packs-") as folder:
            paths = []
            for k, (name, text) in enumerate(packs):
                path = Path(folder) / f"{k:03d}-{name}"
                path.write_text(text, encoding="utf-8")
                paths.append(path)
            _PACKS[packs] = load_config(paths, cache=False)
    return _PACKS[packs]


def extract_on_worker(jobs: list[Job], texts: list[bytes], packs: tuple[tuple[str, str], ...]):
    figures, warnings, hashes = _extract_chunk(jobs, _config(packs), texts)
    return FigureSet.of(figures).frame, warnings, hashes


def cluster_chunks(scheduler: str | None) -> Callable:
    """dask_chunks on the cluster at `scheduler` (else a new LocalCluster), reached or started only
    when there are articles to extract: an index that finds nothing changed starts no cluster."""
    _distributed()  # a missing Dask is said at once, whether or not there is work for it

    def chunks(jobs: list[Job], config: Config, warnings: Warnings,
               progress: Callable[[int], None] | None = None) -> Iterator[tuple[pl.DataFrame, list[tuple[str, str]]]]:
        if not jobs:
            return
        with client_for(scheduler) as client:
            yield from dask_chunks(client)(jobs, config, warnings, progress)

    return chunks


def dask_chunks(client) -> Callable:
    """An extractor for indexing.index_corpus that runs on the cluster behind `client`."""

    def chunks(jobs: list[Job], config: Config, warnings: Warnings,
               progress: Callable[[int], None] | None = None) -> Iterator[tuple[pl.DataFrame, list[tuple[str, str]]]]:
        from distributed import as_completed

        packs = tuple((Path(f).name, Path(f).read_text(encoding="utf-8")) for f in config.files)
        [packs_future] = client.scatter([packs], broadcast=True)
        batches = iter([jobs[i:i + CHUNK] for i in range(0, len(jobs), CHUNK)])
        limit = IN_FLIGHT_PER_WORKER * max(1, len(client.scheduler_info().get("workers", {})))
        pending = as_completed()
        sizes = {}

        def submit() -> bool:
            batch = next(batches, None)
            if batch is None:
                return False
            texts = []
            for job in batch:
                try:
                    texts.append(Path(job.path).read_bytes())
                except OSError:
                    texts.append(None)  # read_job on the worker reports it, as for a local run
            future = client.submit(extract_on_worker, batch, texts, packs_future, pure=False)
            sizes[future.key] = len(batch)
            pending.add(future)
            return True

        for _ in range(limit):
            if not submit():
                break
        for future in pending:
            frame, items, hashes = future.result()
            for item in items:
                warnings.warn(item)
            if progress:
                progress(sizes.pop(future.key))
            future.release()
            submit()
            yield frame, hashes

    return chunks

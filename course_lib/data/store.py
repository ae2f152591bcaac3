"""Find, copy, download and verify dataset files.

Lookup order for every file: the user's cache, then the read-only mirror named
by ``COURSE_DATA_MIRROR``, then the canonical URL. Every file is checked against
its checksum; copies and downloads are written to a temporary name beside the
target and renamed only once complete and verified, so an interrupted fetch
never leaves a half file under the real name. The mirror is only ever read.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from course_lib import config
from course_lib.data.builders import BUILDERS
from course_lib.data.registry import REGISTRY, DatasetSpec, FileSpec, get_spec
from course_lib.errors import DataError

Progress = Callable[[str, int, "int | None"], None]
Where = Literal["cache", "mirror", "missing"]

_CHUNK = 1 << 20
_USER_AGENT = "course-lib (Deep Learning Workbook)"


def file_digest(path: Path, algorithm: str = "sha256") -> str:
    """Hex digest of a file, read in 1 MiB chunks."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class FileStatus:
    """Where one file of a dataset was found and whether it checked out."""

    dataset: str
    file: FileSpec
    where: Where
    path: Path | None
    size: int | None
    verified: bool
    problem: str | None = None


@dataclass(frozen=True)
class DatasetStatus:
    """Summary of a dataset: where its files are and whether all verified."""

    spec: DatasetSpec
    files: tuple[FileStatus, ...]

    @property
    def where(self) -> str:
        """``cache``, ``mirror``, ``missing``, or a mix such as ``cache+missing``."""
        places = sorted({f.where for f in self.files}, key=["cache", "mirror", "missing"].index)
        return "+".join(places)

    @property
    def size(self) -> int:
        """Bytes found (cache or mirror)."""
        return sum(f.size or 0 for f in self.files)

    @property
    def verified(self) -> bool:
        """True when every file was found and matched its checksum."""
        return all(f.verified for f in self.files)


class _TqdmProgress:
    """Default progress bar for downloads (stderr, via tqdm)."""

    def __init__(self) -> None:
        self._bars: dict[str, object] = {}

    def __call__(self, label: str, done: int, total: int | None) -> None:
        from tqdm.auto import tqdm

        bar = self._bars.get(label)
        if bar is None:
            bar = tqdm(total=total, unit="B", unit_scale=True, desc=label, leave=True)
            self._bars[label] = bar
        bar.update(done - bar.n)  # type: ignore[attr-defined]
        if total is not None and done >= total:
            bar.close()  # type: ignore[attr-defined]
            del self._bars[label]


class DataStore:
    """The dataset cache with its mirror and download fallbacks.

    Args:
        cache: root of the workbook cache (default ``config.cache_dir()``).
        keras_home: Keras' cache root, for files Keras loaders read
            (default ``config.keras_home()``).
        mirror: read-only mirror directory, or None (default
            ``config.data_mirror()``).
        offline: never try the network (default ``config.offline()``).
        registry: the datasets known (default: the course registry).
        progress: called as ``progress(label, bytes_done, bytes_total)`` while
            copying or downloading; None for silence.

    Example:
        >>> store = DataStore.from_env()               # doctest: +SKIP
        >>> paths = store.ensure("sms_spam")           # doctest: +SKIP
    """

    def __init__(
        self,
        cache: Path | None = None,
        keras_home: Path | None = None,
        mirror: Path | None | Literal["env"] = "env",
        offline: bool | None = None,
        registry: dict[str, DatasetSpec] | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.cache = Path(cache) if cache is not None else config.cache_dir()
        self.keras_home = Path(keras_home) if keras_home is not None else config.keras_home()
        self.mirror = config.data_mirror() if mirror == "env" else mirror
        self.offline = config.offline() if offline is None else offline
        self.registry = REGISTRY if registry is None else registry
        self.progress = progress

    @classmethod
    def from_env(cls, progress: Progress | None | Literal["tqdm"] = "tqdm") -> DataStore:
        """A store configured from the environment (see ``course_lib.config``)."""
        return cls(progress=_TqdmProgress() if progress == "tqdm" else progress)

    # -- where things are -------------------------------------------------
    def target_path(self, fspec: FileSpec) -> Path:
        """Where a file lives once cached."""
        root = self.keras_home if fspec.location == "keras" else self.cache
        return root / fspec.cache_path

    def mirror_path(self, fspec: FileSpec) -> Path | None:
        """The first mirror copy of a file that exists, if any."""
        if self.mirror is None:
            return None
        for rel in fspec.mirror_paths:
            candidate = self.mirror / rel
            if candidate.is_file():
                return candidate
        return None

    def file_status(self, dataset: str, fspec: FileSpec, verify: bool = True) -> FileStatus:
        """Report where ``fspec`` is found and whether its checksum matches.

        With ``verify=False`` nothing is hashed and ``verified`` stays False.
        """
        cached = self.target_path(fspec)
        cache_problem = None
        if cached.is_file():
            problem = self._checksum_problem(cached, fspec) if verify else None
            if problem is None:
                return FileStatus(dataset, fspec, "cache", cached, cached.stat().st_size, verify)
            cache_problem = f"cached copy is corrupt ({problem})"
        mirrored = self.mirror_path(fspec)
        if mirrored is not None:
            problem = self._checksum_problem(mirrored, fspec) if verify else None
            notes = [p for p in (cache_problem, problem and f"mirror copy: {problem}") if p]
            if cache_problem and problem is None:
                notes.append("the next load replaces it from the mirror")
            return FileStatus(
                dataset,
                fspec,
                "mirror",
                mirrored,
                mirrored.stat().st_size,
                verify and problem is None,
                "; ".join(notes) or None,
            )
        if cache_problem:
            return FileStatus(
                dataset, fspec, "cache", cached, cached.stat().st_size, False, cache_problem
            )
        return FileStatus(dataset, fspec, "missing", None, None, False, None)

    @staticmethod
    def _checksum_problem(path: Path, fspec: FileSpec) -> str | None:
        actual = file_digest(path, fspec.algorithm)
        if actual == fspec.checksum:
            return None
        return f"{fspec.algorithm} {actual}, expected {fspec.checksum}"

    def status(self, names: list[str] | None = None, verify: bool = True) -> list[DatasetStatus]:
        """Status of the named datasets (default: all), as shown by ``course data status``."""
        specs = (
            [get_spec(n, self.registry) for n in names] if names else list(self.registry.values())
        )
        return [
            DatasetStatus(spec, tuple(self.file_status(spec.name, f, verify) for f in spec.files))
            for spec in specs
        ]

    # -- getting things ---------------------------------------------------
    def ensure(self, name: str) -> dict[str, Path]:
        """Make every file of dataset ``name`` present and verified in the cache.

        Returns:
            ``{file name: verified path}``.

        Raises:
            DataError: unknown dataset, or a file that can be neither found
                nor fetched; the message names dataset, file, what was tried
                and how to fix it.
        """
        spec = get_spec(name, self.registry)
        return {f.name: self.ensure_file(spec, f) for f in spec.files}

    def ensure_file(self, spec: DatasetSpec, fspec: FileSpec) -> Path:
        """Return the verified cached path of one file, fetching it if needed."""
        target = self.target_path(fspec)
        attempts: list[str] = []
        corrupt: str | None = None
        if target.is_file():
            actual = file_digest(target, fspec.algorithm)
            if actual == fspec.checksum:
                return target
            corrupt = (
                f"the cached file {target} is corrupt: {fspec.algorithm} is {actual}, "
                f"expected {fspec.checksum}"
            )
            attempts.append(corrupt)

        source = self.mirror_path(fspec)
        if source is not None:
            try:
                self._copy_verified(source, target, fspec)
                return target
            except DataError as exc:
                attempts.append(exc.message)
        elif self.mirror is None:
            attempts.append("COURSE_DATA_MIRROR is not set")
        else:
            tried = (
                ", ".join(str(self.mirror / p) for p in fspec.mirror_paths) or "(no mirror path)"
            )
            attempts.append(f"the mirror {self.mirror} has no copy (looked for {tried})")

        if self.offline:
            attempts.append("downloads are switched off (COURSE_OFFLINE=1)")
        else:
            try:
                self._download_verified(fspec, target)
                return target
            except DataError as exc:
                attempts.append(exc.message)

        what = "could not be repaired" if corrupt else "is not available"
        raise DataError(
            f"Dataset {spec.name!r}: file {fspec.name!r} {what}. Tried: "
            + "; ".join(attempts)
            + ".",
            hint=self._fix_hint(spec, fspec, corrupt is not None),
        )

    def _fix_hint(self, spec: DatasetSpec, fspec: FileSpec, corrupt: bool) -> str:
        parts = []
        if corrupt:
            parts.append(f"delete {self.target_path(fspec)}")
        rel = fspec.mirror_paths[0] if fspec.mirror_paths else fspec.cache_path
        parts.append(
            f"set COURSE_DATA_MIRROR to a directory holding {rel} (e.g. shared/data), "
            f"or connect to the internet and run `course data fetch {spec.name}`"
        )
        if spec.notes:
            parts.append(f"note: {spec.notes}")
        return "; ".join(parts)

    def _report(self, label: str, done: int, total: int | None) -> None:
        if self.progress is not None:
            self.progress(label, done, total)

    def _temp_beside(self, target: Path) -> Path:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(fd)
        return Path(tmp)

    def _commit(self, tmp: Path, target: Path, fspec: FileSpec, origin: str) -> None:
        actual = file_digest(tmp, fspec.algorithm)
        if actual != fspec.checksum:
            tmp.unlink(missing_ok=True)
            raise DataError(f"{origin} has {fspec.algorithm} {actual}, expected {fspec.checksum}")
        os.replace(tmp, target)

    def _copy_verified(self, source: Path, target: Path, fspec: FileSpec) -> None:
        tmp = self._temp_beside(target)
        try:
            with open(source, "rb") as src, open(tmp, "wb") as dst:
                for block in iter(lambda: src.read(_CHUNK), b""):
                    dst.write(block)
                dst.flush()
                os.fsync(dst.fileno())
            self._commit(tmp, target, fspec, f"the mirror copy {source}")
        finally:
            tmp.unlink(missing_ok=True)

    def _download_verified(self, fspec: FileSpec, target: Path) -> None:
        raw = self._temp_beside(target)
        final = self._temp_beside(target)
        try:
            self._download(fspec.url, raw, fspec.name)
            try:
                self._unpack(fspec, raw, final)
            except (OSError, zipfile.BadZipFile, EOFError, KeyError, ValueError) as exc:
                raise DataError(
                    f"the download from {fspec.url} could not be unpacked ({exc})"
                ) from exc
            self._commit(final, target, fspec, f"the download from {fspec.url}")
        finally:
            raw.unlink(missing_ok=True)
            final.unlink(missing_ok=True)

    def _download(self, url: str, dest: Path, label: str) -> None:
        request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=30) as response, open(dest, "wb") as out:
                length = response.headers.get("Content-Length")
                total = int(length) if length and length.isdigit() else None
                done = 0
                while True:
                    try:
                        block = response.read(_CHUNK)
                    except Exception as exc:  # http.client.IncompleteRead and friends
                        raise DataError(
                            f"the download from {url} was truncated after {done} bytes "
                            f"of {total if total is not None else 'unknown'} ({exc})"
                        ) from exc
                    if not block:
                        break
                    out.write(block)
                    done += len(block)
                    self._report(f"download {label}", done, total)
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise DataError(f"downloading {url} failed ({reason})") from exc
        if total is not None and done != total:
            raise DataError(f"the download from {url} was truncated: got {done} of {total} bytes")

    @staticmethod
    def _unpack(fspec: FileSpec, raw: Path, final: Path) -> None:
        if fspec.build:
            BUILDERS[fspec.build](raw, final)
        elif fspec.unpack == "gzip":
            with gzip.open(raw, "rb") as src, open(final, "wb") as dst:
                shutil.copyfileobj(src, dst, _CHUNK)
        elif fspec.unpack and fspec.unpack.startswith("zip:"):
            member = fspec.unpack[4:]
            with zipfile.ZipFile(raw) as zf:
                names = [n for n in zf.namelist() if n.rsplit("/", 1)[-1] == member]
                if not names:
                    raise KeyError(f"no member {member!r} in the archive")
                with zf.open(names[0]) as src, open(final, "wb") as dst:
                    shutil.copyfileobj(src, dst, _CHUNK)
        else:
            os.replace(raw, final)

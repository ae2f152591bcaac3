"""The verified cache: cache -> mirror -> download, and every way that can go wrong."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import io
import threading
import zipfile
from pathlib import Path

import pytest

from course_lib.data import DatasetSpec, DataStore, FileSpec, file_digest
from course_lib.errors import DataError

PAYLOAD = b"label\ttext\n" * 2000


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Server:
    """A loopback HTTP server whose routes map a path to (body, declared length)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[bytes, int]] = {}
        routes = self.routes

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                if self.path not in routes:
                    self.send_error(404)
                    return
                body, length = routes[self.path]
                self.send_response(200)
                self.send_header("Content-Length", str(length))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    srv = _Server()
    yield srv
    srv.close()


def make_store(tmp_path: Path, fspec: FileSpec, mirror: Path | None, offline=False):
    spec = DatasetSpec(
        name="toy", title="Toy", files=(fspec,), license="CC0", citation="-", loader="load_toy"
    )
    store = DataStore(
        cache=tmp_path / "cache",
        keras_home=tmp_path / "keras",
        mirror=mirror,
        offline=offline,
        registry={"toy": spec},
    )
    return store, spec


def toy_file(url="http://127.0.0.1:9/none", data=PAYLOAD, **kw) -> FileSpec:
    return FileSpec(
        cache_path="toy/data.tsv",
        url=url,
        checksum=sha(data),
        size=len(data),
        mirror_paths=("text/data.tsv",),
        **kw,
    )


def make_mirror(tmp_path: Path, data: bytes = PAYLOAD) -> Path:
    mirror = tmp_path / "mirror"
    (mirror / "text").mkdir(parents=True)
    (mirror / "text" / "data.tsv").write_bytes(data)
    return mirror


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.part")] if folder.exists() else []


def test_mirror_copy_is_verified_and_the_mirror_is_untouched(tmp_path):
    mirror = make_mirror(tmp_path)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in mirror.rglob("*") if p.is_file()}
    store, _ = make_store(tmp_path, toy_file(), mirror)
    paths = store.ensure("toy")
    assert paths["data.tsv"] == tmp_path / "cache" / "toy" / "data.tsv"
    assert paths["data.tsv"].read_bytes() == PAYLOAD
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in mirror.rglob("*") if p.is_file()}
    assert before == after
    assert leftovers(tmp_path / "cache") == []
    (status,) = store.status()
    assert status.where == "cache" and status.verified and status.size == len(PAYLOAD)


def test_status_reports_mirror_then_missing(tmp_path):
    store, _ = make_store(tmp_path, toy_file(), make_mirror(tmp_path))
    (status,) = store.status()
    assert (status.where, status.verified) == ("mirror", True)
    store, _ = make_store(tmp_path / "x", toy_file(), None)
    (status,) = store.status()
    assert (status.where, status.verified, status.size) == ("missing", False, 0)


def test_keras_files_land_in_the_keras_cache(tmp_path):
    fspec = toy_file(location="keras")
    store, _ = make_store(tmp_path, fspec, make_mirror(tmp_path))
    path = store.ensure("toy")["data.tsv"]
    assert path == tmp_path / "keras" / "toy" / "data.tsv"


def test_unknown_dataset_suggests_close_names(tmp_path):
    store, _ = make_store(tmp_path, toy_file(), None)
    with pytest.raises(DataError, match=r"Unknown dataset 'tou'\. Did you mean 'toy'"):
        store.ensure("tou")


def test_offline_and_not_mirrored_says_how_to_fix(tmp_path):
    store, _ = make_store(tmp_path, toy_file(), None, offline=True)
    with pytest.raises(DataError) as info:
        store.ensure("toy")
    text = str(info.value)
    assert "Dataset 'toy'" in text and "'data.tsv'" in text
    assert "COURSE_DATA_MIRROR is not set" in text and "COURSE_OFFLINE=1" in text
    assert "Fix: set COURSE_DATA_MIRROR" in text


def test_mirror_without_the_file_names_the_paths_looked_at(tmp_path):
    empty = tmp_path / "empty-mirror"
    empty.mkdir()
    store, _ = make_store(tmp_path, toy_file(), empty, offline=True)
    with pytest.raises(DataError, match=r"has no copy \(looked for .*text/data\.tsv\)"):
        store.ensure("toy")


def test_corrupt_cache_is_repaired_from_a_good_mirror(tmp_path):
    mirror = make_mirror(tmp_path)
    store, _ = make_store(tmp_path, toy_file(), mirror)
    target = store.ensure("toy")["data.tsv"]
    target.write_bytes(b"garbage")
    (status,) = store.status()
    assert "corrupt" in status.files[0].problem and status.verified  # mirror has a good copy
    assert store.ensure("toy")["data.tsv"].read_bytes() == PAYLOAD


def test_corrupt_cache_without_a_good_copy_reports_both_hashes_and_keeps_the_file(tmp_path):
    store, _ = make_store(tmp_path, toy_file(), make_mirror(tmp_path))
    target = store.ensure("toy")["data.tsv"]
    target.write_bytes(b"garbage")
    store.mirror = None
    store.offline = True
    with pytest.raises(DataError) as info:
        store.ensure("toy")
    text = str(info.value)
    assert sha(b"garbage") in text and sha(PAYLOAD) in text
    assert "could not be repaired" in text and f"delete {target}" in text
    assert target.read_bytes() == b"garbage"  # nothing deleted behind the user's back
    (status,) = store.status()
    assert status.where == "cache" and not status.verified


def test_corrupt_mirror_is_reported_and_never_copied(tmp_path):
    mirror = make_mirror(tmp_path, b"tampered")
    store, _ = make_store(tmp_path, toy_file(), mirror, offline=True)
    with pytest.raises(DataError, match=r"the mirror copy .*data\.tsv has sha256"):
        store.ensure("toy")
    assert not (tmp_path / "cache" / "toy" / "data.tsv").exists()
    assert leftovers(tmp_path / "cache") == []


def test_download_when_not_mirrored(tmp_path, server):
    server.routes["/data.tsv"] = (PAYLOAD, len(PAYLOAD))
    seen = []
    store, _ = make_store(tmp_path, toy_file(url=server.url("/data.tsv")), None)
    store.progress = lambda label, done, total: seen.append((label, done, total))
    assert store.ensure("toy")["data.tsv"].read_bytes() == PAYLOAD
    assert seen and seen[-1] == ("download data.tsv", len(PAYLOAD), len(PAYLOAD))


def test_download_of_gzip_and_zip_member(tmp_path, server):
    server.routes["/data.tsv.gz"] = (gzip.compress(PAYLOAD), len(gzip.compress(PAYLOAD)))
    store, _ = make_store(
        tmp_path / "a", toy_file(url=server.url("/data.tsv.gz"), unpack="gzip"), None
    )
    assert store.ensure("toy")["data.tsv"].read_bytes() == PAYLOAD

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
        zf.writestr("folder/inner.txt", PAYLOAD)
    server.routes["/pack.zip"] = (buf.getvalue(), len(buf.getvalue()))
    fspec = toy_file(url=server.url("/pack.zip"), unpack="zip:inner.txt")
    store, _ = make_store(tmp_path / "b", fspec, None)
    assert store.ensure("toy")["data.tsv"].read_bytes() == PAYLOAD


def test_truncated_download_is_caught_and_leaves_nothing(tmp_path, server):
    server.routes["/data.tsv"] = (PAYLOAD[:1000], len(PAYLOAD))
    store, _ = make_store(tmp_path, toy_file(url=server.url("/data.tsv")), None)
    with pytest.raises(DataError, match="truncated"):
        store.ensure("toy")
    assert not (tmp_path / "cache" / "toy" / "data.tsv").exists()
    assert leftovers(tmp_path / "cache") == []


def test_download_with_wrong_content_fails_the_checksum(tmp_path, server):
    server.routes["/data.tsv"] = (b"other", 5)
    store, _ = make_store(tmp_path, toy_file(url=server.url("/data.tsv")), None)
    with pytest.raises(DataError, match=f"has sha256 {sha(b'other')}, expected {sha(PAYLOAD)}"):
        store.ensure("toy")


def test_unreachable_url_is_a_data_error(tmp_path, server):
    store, _ = make_store(tmp_path, toy_file(url=server.url("/missing")), None)
    with pytest.raises(DataError, match="downloading .*/missing failed"):
        store.ensure("toy")


def test_md5_checked_files(tmp_path):
    fspec = FileSpec(
        cache_path="toy/data.tsv",
        url="http://127.0.0.1:9/x",
        checksum=hashlib.md5(PAYLOAD).hexdigest(),
        algorithm="md5",
        mirror_paths=("text/data.tsv",),
    )
    store, _ = make_store(tmp_path, fspec, make_mirror(tmp_path))
    path = store.ensure("toy")["data.tsv"]
    assert file_digest(path, "md5") == fspec.checksum

"""The registry is complete, and agrees with the mirror's MANIFEST.tsv."""

from __future__ import annotations

import csv
import io
import zipfile

import numpy as np
import pytest

from course_lib import data
from course_lib.data import REGISTRY, DataStore, file_digest, get_spec
from course_lib.data.builders import sentiment_from_uci_zip
from course_lib.errors import DataError

COURSE_DATASETS = {
    "mnist",
    "fashion_mnist",
    "boston_housing",
    "imdb",
    "reuters",
    "poems",
    "fra_eng",
    "sms_spam",
    "sentiment_sentences",
}


def test_every_course_dataset_is_registered_with_url_checksum_and_licence():
    assert set(REGISTRY) == COURSE_DATASETS
    for spec in REGISTRY.values():
        assert spec.license and spec.citation and spec.title
        assert callable(getattr(data, spec.loader)), spec.loader
        for f in spec.files:
            assert f.url.startswith("https://"), f.url
            assert len(f.checksum) == {"sha256": 64, "md5": 32}[f.algorithm]
            int(f.checksum, 16)


def test_aliases_and_typos():
    assert get_spec("Fashion-MNIST").name == "fashion_mnist"
    assert get_spec("sms").name == "sms_spam"
    with pytest.raises(DataError, match="Did you mean 'boston_housing'"):
        get_spec("boston_housin")
    with pytest.raises(DataError, match="Known datasets: mnist"):
        get_spec("zzzz")


def test_registry_checksums_match_the_mirror_manifest(mirror):
    with open(mirror / "MANIFEST.tsv", encoding="utf-8", newline="") as fh:
        manifest = {r["path"]: r for r in csv.DictReader(fh, delimiter="\t")}
    matched = 0
    for spec in REGISTRY.values():
        for f in spec.files:
            for rel in f.mirror_paths:
                if rel in manifest and f.algorithm == "sha256":
                    assert manifest[rel]["sha256"] == f.checksum, rel
                    assert int(manifest[rel]["bytes"]) == f.size, rel
                    matched += 1
    assert matched == 13  # every mirrored sha256 file is cross-checked


def test_offline_datasets_load_with_the_expected_shapes(mirror, tmp_path):
    store = DataStore(cache=tmp_path / "c", keras_home=tmp_path / "k", mirror=mirror, offline=True)
    (x, y), (xt, yt) = data.load_mnist(store=store)
    assert (x.shape, y.shape, xt.shape, yt.shape) == (
        (60000, 28, 28),
        (60000,),
        (10000, 28, 28),
        (10000,),
    )
    assert x.dtype == np.uint8 and set(np.unique(y)) == set(range(10))
    assert y[:5].tolist() == [5, 0, 4, 1, 9]  # the famous first digits

    (x, y), (xt, yt) = data.load_boston_housing(store=store)
    assert x.shape == (404, 13) and xt.shape == (102, 13)
    assert y[:3].tolist() == [15.2, 42.3, 50.0]  # Keras' split, seed 113

    texts, labels = data.load_sms_spam(store=store)
    assert len(texts) == 5574 and int(labels.sum()) == 747

    texts, labels, sources = data.load_sentiment_sentences(store=store)
    assert len(texts) == 3000 and int(labels.sum()) == 1500
    assert {s: sources.count(s) for s in set(sources)} == {
        "amazon": 1000,
        "imdb": 1000,
        "yelp": 1000,
    }

    poems = data.load_poems(store=store)
    counts = {a: sum(p.author == a for p in poems) for a in ("Goethe", "Heine", "Tucholsky")}
    assert counts == {"Goethe": 934, "Heine": 704, "Tucholsky": 724}
    assert not any("&#" in p.text for p in poems)

    pairs = data.load_fra_eng(max_pairs=5, store=store)
    assert pairs[0] == ("Go.", "Va !") and len(pairs) == 5


def test_loader_argument_errors(tmp_path):
    with pytest.raises(DataError, match="test_split=1.5"):
        data.load_boston_housing(test_split=1.5)
    with pytest.raises(DataError, match="max_pairs=0"):
        data.load_fra_eng(max_pairs=0)


def test_read_idx_rejects_other_files(tmp_path):
    bad = tmp_path / "x"
    bad.write_bytes(b"PK\x03\x04rest")
    with pytest.raises(DataError, match="idx file"):
        data.read_idx(bad)


def test_sentiment_builder_rebuilds_the_mirrored_file(mirror, tmp_path):
    """The real download path: UCI's zip of three files -> the course's TSV, byte for byte."""
    rows = (
        (mirror / "text" / "sentiment_sentences.tsv").read_text(encoding="utf-8").split("\n")[1:-1]
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for source, member in (("amazon", "amazon_cells"), ("imdb", "imdb"), ("yelp", "yelp")):
            lines = [r.split("\t", 1)[1] for r in rows if r.startswith(source + "\t")]
            zf.writestr(
                f"sentiment labelled sentences/{member}_labelled.txt", "\n".join(lines) + "\n"
            )
        zf.writestr("__MACOSX/sentiment labelled sentences/._imdb_labelled.txt", "junk")
    archive = tmp_path / "s.zip"
    archive.write_bytes(buf.getvalue())
    out = tmp_path / "out.tsv"
    sentiment_from_uci_zip(archive, out)
    assert file_digest(out) == get_spec("sentiment_sentences").files[0].checksum


def test_imdb_word_index_goes_through_the_keras_cache(mirror, tmp_path):
    """The mirrored word index is verified (md5, as Keras checks it) and read by Keras' loader."""
    import subprocess
    import sys

    code = (
        "from pathlib import Path\n"
        "from course_lib.data import DataStore, imdb_word_index\n"
        f"store = DataStore(cache=Path({str(tmp_path / 'c')!r}), mirror=Path({str(mirror)!r}),"
        " offline=True)\n"
        "index = imdb_word_index(store=store)\n"
        "print(len(index), index['the'], (store.keras_home / 'datasets' /"
        " 'imdb_word_index.json').is_file())\n"
    )
    env = {**__import__("os").environ, "KERAS_HOME": str(tmp_path / "keras")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-3:] == ["88584", "1", "True"]

"""Turn a downloaded upstream archive into the file the course uses.

Only needed for files that are assembled from several upstream members. Each
builder reads ``archive`` and writes ``out``; the caller then checks ``out``
against the registry checksum, so a builder that does not reproduce the
mirrored file byte for byte is caught, never silently used.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from course_lib.errors import DataError

_SENTIMENT_SOURCES = ("amazon_cells", "imdb", "yelp")
_POEM_AUTHORS = {
    "Goethe, Johann Wolfgang": "Goethe",
    "Goethe, Johann Wolfgang von": "Goethe",
    "Heine, Heinrich": "Heine",
    "Tucholsky, Kurt": "Tucholsky",
}


def _member(names: list[str], suffix: str, archive: Path) -> str:
    matches = sorted(n for n in names if n.endswith(suffix) and "__MACOSX" not in n)
    if not matches:
        raise DataError(
            f"Expected a member ending in {suffix!r} in {archive.name}. "
            f"Received an archive with {len(names)} members, none matching.",
            hint="the upstream archive changed; use COURSE_DATA_MIRROR with a verified copy.",
        )
    return matches[0]


def sentiment_from_uci_zip(archive: Path, out: Path) -> None:
    """UCI "Sentiment Labelled Sentences" zip -> ``source<TAB>text<TAB>label`` TSV."""
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        rows = ["source\ttext\tlabel"]
        for source in _SENTIMENT_SOURCES:
            raw = zf.read(_member(names, f"{source}_labelled.txt", archive))
            # split on "\n" only: the texts contain U+0085, which splitlines() breaks on
            for line in raw.decode("utf-8").split("\n"):
                if not line.strip():
                    continue
                text, label = line.rstrip("\r").rsplit("\t", 1)
                rows.append(f"{source.split('_')[0]}\t{text}\t{label.strip()}")
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")


def poems_from_dlk(archive: Path, out: Path) -> None:
    """Deutsches Lyrik Korpus v6 archive -> ``poems_de.jsonl`` (Goethe, Heine, Tucholsky)."""
    records = []
    with zipfile.ZipFile(archive) as zf:
        members = sorted(n for n in zf.namelist() if "/json_DLK_v6/" in n and n.endswith(".json"))
        for name in members:
            for poem in json.loads(zf.read(name)).values():
                meta = poem.get("metadata", {})
                author = meta.get("author", {}).get("name", "").replace("[", "").replace("]", "")
                short = _POEM_AUTHORS.get(" ".join(author.split()))
                if short is None:
                    continue
                stanzas = [
                    "\n".join(line["text"] for line in stanza.values())
                    for stanza in poem.get("poem", {}).values()
                ]
                records.append(
                    {"author": short, "title": meta.get("title", ""), "text": "\n\n".join(stanzas)}
                )
    with out.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


BUILDERS: dict[str, Callable[[Path, Path], None]] = {
    "sentiment_from_uci_zip": sentiment_from_uci_zip,
    "poems_from_dlk": poems_from_dlk,
}

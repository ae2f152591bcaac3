#!/usr/bin/env python3
"""Prove that no hidden test of the instructor notebooks is in a student-facing folder.

    python3 scripts/hidden_tests_check.py notebooks/ FOLDER [FOLDER ...]

Reads every ``notebooks/*.ipynb``, takes the text between ``### BEGIN HIDDEN TESTS`` and
``### END HIDDEN TESTS`` and keeps each line that is distinctive: at least
`MIN_LINE` characters once stripped and found nowhere else in the instructor notebook
(a line that any visible cell also holds is not a leak). Then it searches every file under each
FOLDER (notebooks, scripts, any text) for the marker and for those lines. Exit 0 and a
summary when nothing is found; exit 1 with each hit otherwise; exit 2 when the
instructor notebooks hold no hidden tests (the check would prove nothing).

Standard library only: scripts/image-test.sh runs it on the host against files copied
out of the image. tests/unit/test_workspace.py runs it on the student workspace.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from pathlib import Path

MARKER = "### BEGIN HIDDEN TESTS"
_BEGIN = re.compile(r"^\s*### BEGIN HIDDEN TESTS\s*$")
_END = re.compile(r"^\s*### END HIDDEN TESTS\s*$")
MIN_LINE = 20


def _cell_sources(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for cell in nb.get("cells", []):
        src = cell.get("source", "")
        out.append("".join(src) if isinstance(src, list) else src)
    return out


def hidden_lines(instructor_dir: Path) -> dict[str, set[str]]:
    """Distinctive hidden-test lines per instructor notebook name.

    A line counts when it is long enough and is not part of any visible text of any
    instructor notebook (the student folders hold all visible text, legitimately).
    """
    hidden: dict[str, list[str]] = {}
    visible: list[str] = []
    for path in sorted(Path(instructor_dir).glob("*.ipynb")):
        for source in _cell_sources(path):
            inside = False
            for line in source.splitlines():
                if _BEGIN.match(line):
                    inside = True
                elif _END.match(line):
                    inside = False
                elif inside:
                    hidden.setdefault(path.name, []).append(line.strip())
                else:
                    visible.append(line)
    everything_visible = "\n".join(visible)
    found: dict[str, set[str]] = {}
    for name, lines in hidden.items():
        keep = {h for h in lines if len(h) >= MIN_LINE and h not in everything_visible}
        if keep:
            found[name] = keep
    return found


def leaks(instructor_dir: Path, folders: list[Path]) -> list[str]:
    """One message per file under ``folders`` that holds the marker or a hidden line."""
    lines = {line: name for name, group in hidden_lines(instructor_dir).items() for line in group}
    hits = []
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            if MARKER in text:
                hits.append(f"{path}: contains the marker {MARKER!r}")
            # Notebook JSON escapes quotes and backslashes: search the cell text too.
            texts = [text]
            if path.suffix == ".ipynb":
                with contextlib.suppress(ValueError, AttributeError):
                    texts += _cell_sources(path)
            for line, name in lines.items():
                if any(line in t for t in texts):
                    hits.append(f"{path}: contains a hidden test line of {name}: {line!r}")
                    break
    return hits


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    instructor, folders = Path(argv[0]), [Path(a) for a in argv[1:]]
    groups = hidden_lines(instructor)
    if not groups:
        print(f"no hidden tests found in {instructor}/*.ipynb: nothing to check", file=sys.stderr)
        return 2
    hits = leaks(instructor, folders)
    n_lines = sum(len(g) for g in groups.values())
    n_files = sum(1 for f in folders for p in Path(f).rglob("*") if p.is_file())
    if hits:
        print("\n".join(hits))
        print(f"FAIL: {len(hits)} file(s) hold hidden tests", file=sys.stderr)
        return 1
    print(
        f"no hidden tests: searched {n_files} files in {', '.join(map(str, folders))} for the "
        f"marker and {n_lines} hidden-test lines of {len(groups)} notebooks"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

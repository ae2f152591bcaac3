"""Human-readable summaries of the dataset cache (CLI table, notebook table)."""

from __future__ import annotations

from course_lib.data.store import DatasetStatus


def human_size(size: int | None) -> str:
    """``30878645 -> '30.9 MB'`` (decimal units, as download pages use)."""
    if not size:
        return "-"
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} B"


def status_rows(rows: list[DatasetStatus], verified_checked: bool = True) -> list[dict[str, str]]:
    """One dict per dataset: dataset, where found, size, verified, notes."""
    out = []
    for row in rows:
        notes = [f"{f.file.name}: {f.problem}" for f in row.files if f.problem]
        missing = [f.file.name for f in row.files if f.where == "missing"]
        if missing:
            notes.append("missing " + ", ".join(missing))
        verified = ("yes" if row.verified else "no") if verified_checked else "not checked"
        out.append(
            {
                "dataset": row.spec.name,
                "where found": row.where,
                "size": human_size(row.size),
                "verified": verified,
                "notes": "; ".join(notes),
            }
        )
    return out


def format_status(rows: list[DatasetStatus], verified_checked: bool = True) -> str:
    """The status table as aligned plain text."""
    table = status_rows(rows, verified_checked)
    columns = ["dataset", "where found", "size", "verified", "notes"]
    widths = [max([len(c)] + [len(r[c]) for r in table]) for c in columns[:-1]]

    def line(values: list[str]) -> str:
        cells = [v.ljust(w) for v, w in zip(values[:-1], widths, strict=True)]
        return ("  ".join(cells) + "  " + values[-1]).rstrip()

    out = [line(columns), line(["-" * w for w in widths] + ["-----"])]
    out += [line([r[c] for c in columns]) for r in table]
    return "\n".join(out)

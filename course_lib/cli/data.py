"""``course data status`` and ``course data fetch``."""

from __future__ import annotations

import argparse
import sys

from course_lib.data import DataStore, dataset_names, get_spec
from course_lib.data.report import format_status
from course_lib.errors import DataError


def register(sub: argparse._SubParsersAction) -> None:
    data = sub.add_parser("data", help="inspect and fill the dataset cache")
    data_sub = data.add_subparsers(dest="data_command", metavar="ACTION")
    data_sub.required = True

    status = data_sub.add_parser("status", help="table of datasets: where found, size, verified")
    status.add_argument("names", nargs="*", help="datasets to show (default: all)")
    status.add_argument(
        "--no-verify", action="store_true", help="skip checksum verification (faster)"
    )
    status.set_defaults(handler=_status)

    fetch = data_sub.add_parser("fetch", help="copy or download datasets into the cache")
    fetch.add_argument("names", nargs="*", help="datasets to fetch")
    fetch.add_argument("--all", action="store_true", help="fetch every dataset")
    fetch.set_defaults(handler=_fetch)


def _status(args: argparse.Namespace) -> int:
    store = DataStore(progress=None)
    rows = store.status(args.names or None, verify=not args.no_verify)
    print(f"cache:  {store.cache}")
    print(f"keras:  {store.keras_home / 'datasets'}")
    print(f"mirror: {store.mirror if store.mirror else '(COURSE_DATA_MIRROR not set)'}")
    print()
    print(format_status(rows, verified_checked=not args.no_verify))
    return 0


def _fetch(args: argparse.Namespace) -> int:
    if args.all == bool(args.names):
        raise DataError(
            "Expected dataset names or --all (not both, not neither). "
            f"Received: names={args.names}, --all={args.all}",
            hint=f"e.g. `course data fetch mnist` or `course data fetch --all`; "
            f"known: {', '.join(dataset_names())}",
        )
    names = dataset_names() if args.all else [get_spec(n).name for n in args.names]
    store = DataStore.from_env()
    failed = []
    for i, name in enumerate(names, 1):
        print(f"[{i}/{len(names)}] {name} ...", flush=True)
        try:
            paths = store.ensure(name)
        except DataError as exc:
            failed.append(name)
            print(f"    FAILED: {exc}", flush=True)
            continue
        for fname, path in paths.items():
            print(f"    ok  {fname} -> {path}", flush=True)
    print()
    print(f"{len(names) - len(failed)} of {len(names)} datasets in the cache, verified.")
    if failed:
        print(f"Not available: {', '.join(failed)} (see the messages above).", file=sys.stderr)
        return 1
    return 0

"""``course lecture [DASHBOARD]``: list the lecture dashboards or serve one with Voila."""

from __future__ import annotations

import argparse
import subprocess

from course_lib.lecture import (
    DEFAULT_PORT,
    dashboard_url,
    find_dashboards_dir,
    get_dashboard,
    list_dashboards,
    voila_command,
)


def register(sub: argparse._SubParsersAction) -> None:
    lecture = sub.add_parser(
        "lecture",
        help="list the lecture dashboards, or serve one with Voila (no code shown)",
        description="Without a name: list the dashboards. With one: serve it with Voila "
        "(sources stripped, kernel preheated) until Ctrl-C.",
    )
    lecture.add_argument("dashboard", nargs="?", help="dashboard name or unique prefix")
    lecture.add_argument("--all", action="store_true", help="serve every dashboard (a list page)")
    lecture.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8866)")
    lecture.add_argument(
        "--ip", default="127.0.0.1", help="address to listen on (0.0.0.0 inside a container)"
    )
    lecture.add_argument("--dir", help="dashboards folder (default: ./dashboards, ~/dashboards)")
    lecture.add_argument(
        "--no-preheat", action="store_true", help="start the kernel only when a browser connects"
    )
    lecture.add_argument("--open", action="store_true", help="open a browser tab")
    lecture.add_argument(
        "--dry-run", action="store_true", help="print the Voila command instead of running it"
    )
    lecture.set_defaults(handler=_lecture)


def _lecture(args: argparse.Namespace) -> int:
    if not args.dashboard and not args.all:
        dashboards = list_dashboards(args.dir)
        print(f"Dashboards in {find_dashboards_dir(args.dir)}:")
        width = max((len(d.name) for d in dashboards), default=0)
        for d in dashboards:
            print(f"  {d.name:<{width}}  {d.title}")
        print("\nServe one with: course lecture NAME [--port 8866]")
        return 0
    target = find_dashboards_dir(args.dir) if args.all else get_dashboard(args.dashboard, args.dir)
    command = voila_command(
        target, port=args.port, ip=args.ip, preheat=not args.no_preheat, open_browser=args.open
    )
    if args.dry_run:
        print(" ".join(command))
        return 0
    host = "127.0.0.1" if args.ip in ("0.0.0.0", "::") else args.ip
    what = target if args.all else target.title
    url = dashboard_url(target, port=args.port, host=host)
    print(f"Serving {what} on {url} (Ctrl-C to stop)", flush=True)
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0

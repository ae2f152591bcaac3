"""``course lecture`` and :mod:`course_lib.lecture` without a browser: discovery, the Voila
command line, and the errors for bad names, folders and ports."""

from __future__ import annotations

import json

import pytest

from course_lib.cli import main
from course_lib.errors import ConfigError
from course_lib.lecture import (
    DashboardNotFoundError,
    dashboard_url,
    find_dashboards_dir,
    get_dashboard,
    list_dashboards,
    voila_command,
)
from tests.browser.conftest import REPO

DASHBOARDS = REPO / "dashboards"


def _notebook(path, *cells):
    path.write_text(json.dumps({
        "cells": [{"cell_type": kind, "metadata": {}, "source": text} for kind, text in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }))


@pytest.fixture
def folder(tmp_path):
    _notebook(tmp_path / "optimizer_comparison.ipynb",
              ("code", "x = 1"), ("markdown", "# Optimizers\n\nSame start, four paths."))
    _notebook(tmp_path / "optimizer_zoo.ipynb", ("markdown", "intro only"))
    _notebook(tmp_path / "training_replay.ipynb", ("markdown", ["## Replay\n", "text"]))
    return tmp_path


def test_list_reads_titles_and_summaries(folder):
    dashboards = list_dashboards(folder)
    assert [d.name for d in dashboards] == [
        "optimizer_comparison", "optimizer_zoo", "training_replay"]
    first = dashboards[0]
    assert (first.title, first.summary) == ("Optimizers", "Same start, four paths.")
    assert dashboards[1].title == "optimizer zoo"  # no heading: the file name
    assert dashboards[2].title == "Replay"


def test_the_repository_dashboards_have_titles():
    titles = {d.name: d.title for d in list_dashboards(DASHBOARDS)}
    assert titles["optimizer_comparison"] == "Optimizer comparison"
    assert titles["decision_boundary"].startswith("Decision-boundary")
    assert titles["training_replay"].startswith("Training replay")


def test_get_accepts_exact_names_suffixes_and_unique_prefixes(folder):
    assert get_dashboard("training_replay.ipynb", folder).name == "training_replay"
    assert get_dashboard("train", folder).name == "training_replay"
    assert get_dashboard("Training-Replay", folder).name == "training_replay"
    # an exact name wins over a longer one with the same prefix
    assert get_dashboard("optimizer_comparison", folder).name == "optimizer_comparison"


def test_get_rejects_unknown_and_ambiguous_names(folder):
    with pytest.raises(DashboardNotFoundError, match="'nope'") as info:
        get_dashboard("nope", folder)
    assert "training_replay" in str(info.value)
    with pytest.raises(DashboardNotFoundError, match="optimizer_zoo"):
        get_dashboard("optim", folder)


def test_bad_folder_and_broken_notebook_are_course_errors(tmp_path):
    with pytest.raises(DashboardNotFoundError, match="does not exist"):
        find_dashboards_dir(tmp_path / "missing")
    (tmp_path / "broken.ipynb").write_text("{not json")
    with pytest.raises(DashboardNotFoundError, match="broken.ipynb"):
        list_dashboards(tmp_path)


def test_voila_command_strips_sources_and_preheats(folder):
    dash = get_dashboard("train", folder)
    cmd = voila_command(dash, port=8870, ip="0.0.0.0", python="py")
    assert cmd[:4] == ["py", "-m", "voila", str(dash.path)]
    assert {"--port=8870", "--Voila.ip=0.0.0.0", "--strip_sources=True",
            "--preheat_kernel=True", "--pool_size=1", "--no-browser",
            "--VoilaKernelManager.fill_delay=10"} <= set(cmd)
    cold = voila_command(folder, preheat=False, open_browser=True)
    assert str(folder) in cold and "--preheat_kernel=True" not in cold
    assert "--no-browser" not in cold
    assert dashboard_url(folder, port=8870) == "http://127.0.0.1:8870/"


@pytest.mark.parametrize("port", [0, 70000, -1, True, "8866"])
def test_bad_port_is_a_config_error(folder, port):
    with pytest.raises(ConfigError, match="port"):
        voila_command(folder, port=port)


def test_cli_lists_dashboards(folder, capsys):
    assert main(["lecture", "--dir", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "optimizer_comparison  Optimizers" in out
    assert "course lecture NAME" in out


def test_cli_dry_run_prints_the_voila_command(folder, capsys):
    assert main(["lecture", "train", "--dir", str(folder), "--port", "9001", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "-m voila" in out and "training_replay.ipynb" in out and "--port=9001" in out


def test_cli_unknown_dashboard_exits_2_with_the_fix(folder, capsys):
    assert main(["lecture", "nope", "--dir", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "'nope'" in err and "course lecture" in err

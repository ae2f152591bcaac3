from __future__ import annotations

import pytest

from course_lib.cli import main


def test_status_table_lists_every_dataset_honestly(mirror, capsys, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(mirror))
    assert main(["data", "status"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split() for line in out.splitlines()[5:] if line.strip()}
    assert rows["mnist"][1:2] == ["mirror"] and "yes" in rows["mnist"]
    assert rows["reuters"][1] == "missing" and "no" in rows["reuters"]
    assert "missing reuters.npz" in out
    assert f"mirror: {mirror}" in out


def test_fetch_fills_the_cache_and_status_then_says_cache(mirror, capsys, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(mirror))
    assert main(["data", "fetch", "sms_spam", "boston"]) == 0
    out = capsys.readouterr().out
    assert "[1/2] sms_spam" in out and "2 of 2 datasets in the cache" in out
    main(["data", "status", "sms_spam"])
    table = capsys.readouterr().out
    assert "sms_spam             cache" in table or "sms_spam  cache" in table


def test_fetch_reports_unavailable_and_exits_nonzero(capsys, monkeypatch):
    monkeypatch.delenv("COURSE_DATA_MIRROR", raising=False)
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    assert main(["data", "fetch", "reuters"]) == 1
    captured = capsys.readouterr()
    assert "FAILED: Dataset 'reuters'" in captured.out
    assert "Not available: reuters" in captured.err


def test_bad_cli_input_gives_exit_2_and_a_fix(capsys):
    assert main(["data", "fetch", "mnsit"]) == 2
    assert "Did you mean 'mnist'" in capsys.readouterr().err
    assert main(["data", "fetch"]) == 2
    assert "Expected dataset names or --all" in capsys.readouterr().err


def test_help_lists_the_data_group(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    assert "data" in capsys.readouterr().out

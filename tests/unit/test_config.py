from __future__ import annotations

import pytest

from course_lib import config
from course_lib.errors import ConfigError, CourseError


def test_fast_mode_reads_the_environment(monkeypatch):
    monkeypatch.setenv("COURSE_FAST", "1")
    assert config.fast_mode() is True
    assert config.scaled(full=20, fast=2) == 2
    monkeypatch.setenv("COURSE_FAST", "0")
    assert config.fast_mode() is False
    assert config.scaled(full=20, fast=2) == 20
    monkeypatch.delenv("COURSE_FAST")
    assert config.scaled(full="full", fast="fast") == "full"


def test_bad_flag_value_names_the_variable_and_the_fix(monkeypatch):
    monkeypatch.setenv("COURSE_FAST", "maybe")
    with pytest.raises(ConfigError) as info:
        config.fast_mode()
    message = str(info.value)
    assert "COURSE_FAST='maybe'" in message and "Fix:" in message
    assert isinstance(info.value, CourseError)


def test_mirror_must_be_a_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_DATA_MIRROR", raising=False)
    assert config.data_mirror() is None
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(tmp_path))
    assert config.data_mirror() == tmp_path.resolve()
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(tmp_path / "nope"))
    with pytest.raises(ConfigError, match="does not exist"):
        config.data_mirror()


def test_cache_dir_and_keras_home_follow_their_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path / "c"))
    assert config.cache_dir() == (tmp_path / "c").resolve()
    monkeypatch.delenv("COURSE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert config.cache_dir() == (tmp_path / "xdg" / "course-workbook").resolve()


def test_view_mode(monkeypatch):
    monkeypatch.setenv("COURSE_VIEWS", "static")
    assert config.view_mode() == "static"
    monkeypatch.setenv("COURSE_VIEWS", "auto")
    assert config.view_mode() == "static"  # pytest is not a Jupyter kernel
    monkeypatch.setenv("COURSE_VIEWS", "fancy")
    with pytest.raises(ConfigError, match="COURSE_VIEWS='fancy'"):
        config.view_mode()


def test_seed_must_be_an_integer(monkeypatch):
    monkeypatch.setenv("COURSE_SEED", "abc")
    with pytest.raises(ConfigError, match="COURSE_SEED='abc'"):
        config.seed()
    monkeypatch.setenv("COURSE_SEED", "7")
    assert config.seed() == 7

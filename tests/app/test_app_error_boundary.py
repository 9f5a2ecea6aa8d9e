"""Error boundaries: a problem the user can fix (``InputError``) is shown as is; any other
exception is a bug: logged with its traceback, shown as a short generic message, never its
own text, and the CLI exits 1 instead of 2 (issue 23, item 4)."""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from geo import cli
from geo.analysis import metrics
from geo.config import REPO_ROOT
from geo.errors import InputError
from shell.common import BUG_MESSAGE

SECRET = "internal pandas detail 7f3a"


def _raise(exc: Exception):
    def failing(*args, **kwargs):
        raise exc

    return failing


def _compare(monkeypatch, exc: Exception) -> AppTest:
    monkeypatch.setattr(metrics, "jurisdiction_metrics", _raise(exc))
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=90)
    app.query_params["page"] = "compare"
    return app.run()


def test_a_plain_value_error_is_a_logged_bug_with_a_generic_message(fresh, monkeypatch, caplog):
    with caplog.at_level(logging.ERROR, logger="shell.common"):
        app = _compare(monkeypatch, ValueError(SECRET))
    assert not app.exception
    errors = [e.value for e in app.error]
    assert BUG_MESSAGE in errors, errors
    assert not any(SECRET in e for e in errors), "a bug's text is never shown to a visitor"
    logged = [r for r in caplog.records if r.name == "shell.common"]
    assert logged and logged[0].exc_info and SECRET in str(logged[0].exc_info[1])


def test_an_input_error_is_shown_to_the_user_and_not_logged(fresh, monkeypatch, caplog):
    with caplog.at_level(logging.ERROR, logger="shell.common"):
        app = _compare(monkeypatch, InputError("choose at least one site type"))
    assert any("choose at least one site type" in e.value for e in app.error)
    assert not any(BUG_MESSAGE in e.value for e in app.error)
    assert not [r for r in caplog.records if r.name == "shell.common"]


@pytest.mark.parametrize(
    ("exc", "code", "shown"),
    [
        (ValueError(SECRET), 1, "internal error (ValueError)"),
        (InputError("the radius must be positive"), 2, "error: the radius must be positive"),
    ],
)
def test_the_cli_exits_1_for_a_bug_and_2_for_bad_input(monkeypatch, capsys, exc, code, shown):
    monkeypatch.setattr(metrics, "jurisdiction_metrics", _raise(exc))
    assert cli.main(["metrics", "--radius-miles", "5"]) == code
    err = capsys.readouterr().err
    assert shown in err
    # A bug prints its traceback (naming where it happened); bad input one line only.
    assert ("Traceback" in err) == (code == 1)

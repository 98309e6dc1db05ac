"""SOURCE_DATE_EPOCH is read one way by build and deposit alike."""

from __future__ import annotations

import hashlib

import pytest

from conftest import ROOT
from teikit.cli import cli
from teikit.problems import UsageError
from teikit.reproducible import file_digests, source_date_epoch


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, None), ("", None), ("  ", None), ("0", 0), ("1700000000", 1700000000), (" 42 ", 42)],
)
def test_accepted_values(raw, expected, monkeypatch):
    if raw is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", raw)
    assert source_date_epoch() == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("soon", "SOURCE_DATE_EPOCH must be a whole number of seconds, not 'soon'"),
        ("1.5", "SOURCE_DATE_EPOCH must be a whole number of seconds, not '1.5'"),
        ("-1", "SOURCE_DATE_EPOCH must not be negative"),
    ],
)
@pytest.mark.parametrize("command", ["build", "deposit"])
def test_malformed_value_is_the_same_usage_error_everywhere(raw, message, command, runner, monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", raw)
    with pytest.raises(UsageError, match=message):
        source_date_epoch()
    args = ["build", "--to", "epub"] if command == "build" else ["deposit"]
    r = runner.invoke(cli, [*args, "--out", str(tmp_path / "out"), str(ROOT / "tei")])
    assert (r.exit_code, r.output) == (2, f"Error: {message}\n")
    assert not (tmp_path / "out").exists()


def test_file_digests_match_hashlib(tmp_path):
    data = bytes(range(256)) * 5000  # more than one block
    f = tmp_path / "f.bin"
    f.write_bytes(data)
    assert file_digests(f, ["sha256", "sha512"]) == {
        "sha256": hashlib.sha256(data).hexdigest(),
        "sha512": hashlib.sha512(data).hexdigest(),
    }

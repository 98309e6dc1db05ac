"""The README's fresh-machine commands: each makes and uses .venv, and CI runs the second as written."""

from __future__ import annotations

from pathlib import Path


def test_ci_runs_the_readme_commands_as_written() -> None:
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text().splitlines()
    commands = [readme[i + 1] for i, line in enumerate(readme) if line.startswith(("# 1. install", "# 2. install"))]
    assert len(commands) == 2 and all(c.startswith("(python3 -m venv ") for c in commands)
    assert commands[1] in (root / ".ci" / "run").read_text().splitlines()

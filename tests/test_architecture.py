"""The import direction of docs/architecture.md, checked on every run of the suite.

import-linter reads every import (function-level ones too) of config, meetings and mechanisms
and checks the contracts of pyproject.toml: each layer of meetings imports only the layers
below it, the domain imports no Django, config.common and mechanisms know nothing of meetings.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def run_contracts(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own command line)
        [str(LINT_IMPORTS), "--no-cache", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_layer_imports_only_the_layers_below_it():
    result = run_contracts()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_contracts_catch_a_domain_rule_that_imports_django(tmp_path):
    """The check is not vacuous: a config whose domain may not import Python's own `datetime`
    (which the clock does import) is reported broken."""
    config = ROOT / "pyproject.toml"
    probe = tmp_path / "contracts.toml"
    probe.write_text(
        config.read_text().replace(
            'forbidden_modules = [\n    "django",', 'forbidden_modules = [\n    "datetime",'
        )
    )
    result = run_contracts(str(probe))
    assert result.returncode == 1
    assert "meetings.domain.clock -> datetime" in result.stdout

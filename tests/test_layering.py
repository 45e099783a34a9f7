"""Package boundaries from shared/DESIGN.md, checked in a fresh interpreter.

Importing every module of a package must not load the packages it may not use.
We look at ``sys.modules`` after the imports, so an indirect import (a helper
module that pulls in torch) is caught as surely as a direct one.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

RULES = {
    "corpus": ("apache_beam", "torch", "pipelines", "training"),
    "pipelines": ("torch", "training"),
    "training": ("apache_beam", "pipelines"),
}

# Runs in the child: import every module of a package, report which forbidden
# top-level packages ended up loaded, and by which module they were first seen.
_PROBE = textwrap.dedent("""
    import importlib, json, pkgutil, sys
    package, forbidden = sys.argv[1], sys.argv[2].split(",")
    pkg = importlib.import_module(package)
    names = [package] + sorted(m.name for m in pkgutil.walk_packages(pkg.__path__, package + "."))
    culprits = {}
    for name in names:
        importlib.import_module(name)
        for f in forbidden:
            if f in sys.modules and f not in culprits:
                culprits[f] = name
    print(json.dumps({"modules": names, "culprits": culprits}))
""")


def forbidden_imports(package: str, forbidden: tuple[str, ...], path: Path = ROOT,
                      extra_path: Path | None = None) -> dict:
    """Import every module of ``package`` (found on ``path``) in a new interpreter."""
    pythonpath = [str(path)] + ([str(extra_path)] if extra_path else [])
    env = {"PYTHONPATH": ":".join(pythonpath), "PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1"}
    proc = subprocess.run([sys.executable, "-c", _PROBE, package, ",".join(forbidden)],
                          capture_output=True, text=True, cwd=path, env=env, timeout=240)
    assert proc.returncode == 0, f"importing {package} failed:\n{proc.stderr[-3000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("package", sorted(RULES))
def test_package_does_not_load_forbidden_packages(package):
    result = forbidden_imports(package, RULES[package])
    assert result["modules"], f"no modules found in {package}"
    assert result["culprits"] == {}, (
        f"{package} loads packages it must not (package -> first module that loaded it): "
        f"{result['culprits']}")


def test_check_catches_a_corpus_module_that_imports_torch(tmp_path):
    """The check is not vacuous: a copy of corpus/ with one module importing torch fails it.

    A stand-in ``torch`` package on the path keeps this fast; the check only looks
    at what ends up in sys.modules.
    """
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus",
                    ignore=shutil.ignore_patterns("data", "__pycache__"))
    (tmp_path / "corpus" / "_bad_probe.py").write_text("import torch  # noqa\n")
    fake = tmp_path / "fake_site"
    (fake / "torch").mkdir(parents=True)
    (fake / "torch" / "__init__.py").write_text("")
    result = forbidden_imports("corpus", RULES["corpus"], path=tmp_path, extra_path=fake)
    assert result["culprits"] == {"torch": "corpus._bad_probe"}

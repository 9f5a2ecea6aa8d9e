"""The project installs: ``pip install -e .`` gives an ``md-naloxone`` command that works from
any working directory and answers exactly as ``python -m geo``."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from geo.config import REPO_ROOT

PYPROJECT = REPO_ROOT / "pyproject.toml"


def requirement_lines(path: Path) -> list[str]:
    """The requirement lines of a requirements file (comments, blanks and -r left out)."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line and not line.startswith("-")]


def clean_env() -> dict[str, str]:
    """This environment without anything that would put the checkout on ``sys.path``."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return {**env, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONWARNINGS": "ignore"}


def run(args: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=clean_env(),
        text=True,
        capture_output=True,
        timeout=300,
        check=False,
    )


def locked_versions() -> dict[str, str]:
    """Name (normalised) → version of every line of the deployment lock, requirements.txt."""
    from packaging.utils import canonicalize_name

    pins = (
        line.split(";")[0].split("==") for line in requirement_lines(REPO_ROOT / "requirements.txt")
    )
    return {canonicalize_name(name.split("[")[0]): version.strip() for name, version in pins}


def test_requirements_txt_locks_every_declared_dependency_within_its_range():
    """pyproject.toml declares ranges (the library, extras ``app`` and ``postgres``);
    requirements.txt is the deployment's lock: every line exact, and every declared
    requirement locked at a version its range admits."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads(PYPROJECT.read_text())["project"]
    locked = locked_versions()
    assert all("==" in line for line in requirement_lines(REPO_ROOT / "requirements.txt"))
    declared = [
        *project["dependencies"],
        *(r for extra in project["optional-dependencies"].values() for r in extra),
    ]
    for text in declared:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is declared but not locked in requirements.txt"
        assert requirement.specifier.contains(locked[name]), (text, locked[name])
    assert project["scripts"] == {"md-naloxone": "geo.cli:main"}


def test_the_library_does_not_depend_on_streamlit_or_psycopg():
    """``pip install .`` gives the library only: the dashboard and the PostgreSQL driver are
    the ``app`` and ``postgres`` extras."""
    from packaging.requirements import Requirement

    project = tomllib.loads(PYPROJECT.read_text())["project"]
    names = {Requirement(text).name.lower() for text in project["dependencies"]}
    assert not names & {"streamlit", "streamlit-folium", "psycopg"}
    extras = project["optional-dependencies"]
    assert {Requirement(t).name for t in extras["app"]} == {"streamlit", "streamlit-folium"}
    assert [Requirement(t).name for t in extras["postgres"]] == ["psycopg"]
    assert project["license"] == "BSD-3-Clause" and (REPO_ROOT / "LICENSE").exists()


def test_openpyxl_reads_workbooks_through_defusedxml():
    """openpyxl's documentation asks for defusedxml against XML attacks in workbooks; it is
    declared, installed and active (openpyxl switches to it when importable)."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


def test_only_the_geo_packages_are_installed():
    from setuptools import find_packages

    config = tomllib.loads(PYPROJECT.read_text())["tool"]["setuptools"]["packages"]["find"]
    found = find_packages(str(REPO_ROOT), include=config["include"])
    assert "geo" in found and "geo.cli" in found and "geo.engine" in found
    assert all(name == "geo" or name.startswith("geo.") for name in found)


@pytest.mark.slow
def test_editable_install_runs_md_naloxone_from_another_directory(tmp_path):
    venv = tmp_path / "venv"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # The system site-packages give the dependencies; pip runs offline (no build isolation).
    made = run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv],
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    # ... and this interpreter's, when the tests themselves run inside a virtual environment.
    site_packages = next((venv / "lib").glob("python3*/site-packages"))
    (site_packages / "outer.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    python, command = venv / "bin" / "python", venv / "bin" / "md-naloxone"
    installed = run(
        [
            python,
            "-m",
            "pip",
            "install",
            "-q",
            "-e",
            REPO_ROOT,
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
        ],
        cwd=elsewhere,
    )
    # Without build isolation pip builds with this machine's setuptools and wheel
    # (requirements-dev.txt), so it needs no index.
    assert installed.returncode == 0, installed.stderr
    assert command.exists(), "pyproject.toml declares no md-naloxone console script"

    where = run([python, "-c", "import geo; print(geo.__file__)"], cwd=elsewhere)
    assert Path(where.stdout.strip()) == REPO_ROOT / "geo" / "__init__.py"
    for package in ("tests", "pages", "benchmarks"):
        absent = run([python, "-c", f"import {package}"], cwd=elsewhere)
        assert absent.returncode != 0, f"{package} must not be installed"

    shown = run([command, "--help"], cwd=elsewhere)
    assert shown.returncode == 0, shown.stderr
    assert "metrics" in shown.stdout and "brief" in shown.stdout
    assert shown.stdout.startswith("usage: md-naloxone"), "usage names the installed command"
    arguments = ["metrics", "--radius-miles", "5", "--format", "json"]
    ours = run([command, *arguments], cwd=elsewhere)
    reference = run([sys.executable, "-m", "geo", *arguments], cwd=REPO_ROOT)
    assert ours.returncode == 0 == reference.returncode, ours.stderr + reference.stderr
    assert ours.stdout == reference.stdout and '"fips": "24"' in ours.stdout


@pytest.mark.slow
def test_the_wheel_ships_the_maps_javascript_css_and_the_catalogues(tmp_path):
    """``pip install .`` installs a wheel: the maps' assets, the .po files and the data
    catalogue must be in it (built from a copy: the checkout gets no build/ or egg-info)."""
    import shutil
    import zipfile

    source = tmp_path / "source"
    shutil.copytree(REPO_ROOT / "geo", source / "geo", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO_ROOT / name, source / name)
    built = run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            tmp_path / "dist",
            source,
        ],
        cwd=tmp_path,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    wanted = {
        path.relative_to(REPO_ROOT).as_posix()
        for pattern in ("geo/render/assets/*", "geo/locale/*/LC_MESSAGES/*.po", "geo/data/*.toml")
        for path in REPO_ROOT.glob(pattern)
    }
    assert {"geo/render/assets/point_layer.js", "geo/render/assets/legend.css"} <= wanted
    assert wanted <= shipped, sorted(wanted - shipped)

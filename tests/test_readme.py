"""The README's code blocks run and its commands match what CI runs."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


def test_readme_has_python_blocks():
    assert len(PYTHON_BLOCKS) >= 4


@pytest.mark.parametrize("index", range(len(PYTHON_BLOCKS)))
def test_readme_python_blocks_run_each_on_its_own(capsys, index):
    # A reader pastes any one block: it must import what it uses.
    exec(compile(PYTHON_BLOCKS[index], "README.md", "exec"), {})
    assert capsys.readouterr().out.strip()


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n(.*?)```", README, flags=re.DOTALL)
    test_command = next(c.strip() for c in commands if "pytest" in c)
    assert test_command == 'pip install -e ".[test]" && pytest'
    assert re.search(rf"^{re.escape(test_command)} \|\| exit\b", ci, flags=re.MULTILINE)


@pytest.mark.parametrize("path", re.findall(r"examples/data/[\w.]+\.csv", README))
def test_readme_data_files_exist(path):
    assert (ROOT / path).is_file()


@pytest.mark.parametrize(
    "path", re.findall(r"\]\(((?:docs|examples|benchmarks)/[^)#]+)\)", README)
)
def test_readme_links_exist(path):
    assert (ROOT / path).exists()

"""The README documents every environment variable the settings read, and starts with the
two commands."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_from_the_environment_is_in_the_readme():
    settings_source = (ROOT / "belong" / "settings.py").read_text()
    names = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', settings_source))
    assert len(names) > 20
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert not missing, f"README.md's configuration table lacks: {missing}"


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    first = readme[: readme.index("## ", readme.index("## ") + 1)]
    assert "make run" in first and "make test" in first

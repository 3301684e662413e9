"""Every UI string is in the Spanish catalogue, translated, and compiled."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "belong" / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

needs_gettext = pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgfmt") is None,
    reason="needs GNU gettext (apt-get install gettext) to extract and compile messages",
)


def entries(po_text):
    """(msgctxt, msgid) -> (msgstr list, flags) for every entry of a .po file."""
    result = {}
    for block in po_text.strip().split("\n\n"):
        lines = block.splitlines()
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields, current = {}, None
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)[1:-1]
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" in fields and fields["msgid"]:
            strs = [v for k, v in fields.items() if k.startswith("msgstr")]
            result[(fields.get("msgctxt"), fields["msgid"])] = (strs, flags)
    return result


def test_every_entry_is_translated_and_none_is_fuzzy():
    catalogue = entries(PO.read_text(encoding="utf-8"))
    assert len(catalogue) > 100
    untranslated = [msgid for (_, msgid), (strs, _) in catalogue.items() if not all(strs)]
    fuzzy = [msgid for (_, msgid), (_, flags) in catalogue.items() if "fuzzy" in flags]
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"


@needs_gettext
def test_the_catalogue_holds_every_string_of_the_code(tmp_path, settings):
    copy = tmp_path / "belong"
    shutil.copytree(ROOT / "belong", copy, ignore=shutil.ignore_patterns("__pycache__"))
    settings.LOCALE_PATHS = [copy / "locale"]
    cwd = os.getcwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["es"], no_obsolete=True, no_location=True, verbosity=0)
    finally:
        os.chdir(cwd)
    fresh = entries((copy / "locale" / "es" / "LC_MESSAGES" / "django.po").read_text("utf-8"))
    committed = entries(PO.read_text(encoding="utf-8"))
    missing = sorted(
        msgid for key, (_, _) in fresh.items() if key not in committed for msgid in [key[1]]
    )
    assert not missing, f"run `make messages` and translate: {missing[:20]}"


@needs_gettext
def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(PO)], check=True)  # noqa: S603, S607
    assert compiled.read_bytes() == MO.read_bytes(), "run `make messages` to recompile"

"""The Simplified Chinese catalogue is complete, compiled and consistent with its source strings."""

import re
from pathlib import Path

import polib
from django.utils import translation

LC_MESSAGES = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# Named printf-style placeholders as Django writes them in the .po, e.g. %(name)s, %(n)d.
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def _entries(catalogue):
    return [e for e in catalogue if not e.obsolete and e.msgid != ""]


def _pairs(catalogue) -> dict:
    """(msgctxt, msgid) → msgstr, or → (msgstr[0], msgstr[1], …) for plural entries."""
    pairs = {}
    for e in _entries(catalogue):
        plural = tuple(e.msgstr_plural[i] for i in sorted(e.msgstr_plural))
        pairs[(e.msgctxt, e.msgid)] = plural if e.msgid_plural else e.msgstr
    return pairs


def _texts(entry) -> list[str]:
    if entry.msgid_plural:
        return list(entry.msgstr_plural.values())
    return [entry.msgstr]


def test_po_file_has_entries():
    assert len(_entries(polib.pofile(str(PO_PATH)))) > 0


def test_every_entry_is_translated_and_not_fuzzy():
    po = polib.pofile(str(PO_PATH))
    untranslated = [e.msgid for e in _entries(po) if not all(t.strip() for t in _texts(e))]
    fuzzy = [e.msgid for e in _entries(po) if "fuzzy" in e.flags]
    assert untranslated == [], f"untranslated: {untranslated}"
    assert fuzzy == [], f"fuzzy: {fuzzy}"
    assert not po.metadata_is_fuzzy


def test_mo_file_matches_po_file():
    """A .po edited without running compilemessages fails here."""
    assert MO_PATH.exists(), "run: manage.py compilemessages -l zh_Hans"
    po_pairs = _pairs(polib.pofile(str(PO_PATH)))
    mo_pairs = _pairs(polib.mofile(str(MO_PATH)))
    missing_in_mo = sorted(k[1] for k in po_pairs.keys() - mo_pairs.keys())
    extra_in_mo = sorted(k[1] for k in mo_pairs.keys() - po_pairs.keys())
    different = sorted(k[1] for k in po_pairs.keys() & mo_pairs.keys() if po_pairs[k] != mo_pairs[k])
    assert (missing_in_mo, extra_in_mo, different) == ([], [], []), "run: manage.py compilemessages -l zh_Hans"


def _placeholders(text: str) -> set[str]:
    return {m.group(0) for m in PLACEHOLDER.finditer(text)}


def test_placeholders_are_kept():
    po = polib.pofile(str(PO_PATH))
    wrong = []
    for e in _entries(po):
        expected = _placeholders(e.msgid) | _placeholders(e.msgid_plural or "")
        wrong += [(e.msgid, text) for text in _texts(e) if _placeholders(text) != expected]
    assert wrong == []


def test_ui_is_chinese():
    with translation.override("zh-hans"):
        assert translation.gettext("Log in") == "登录"
        assert translation.gettext("Village accountant") == "村报账员"
        assert translation.gettext("Return for changes") == "退回修改"


def test_documents_are_cited_by_title_not_by_file_number():
    """Users read "xx区《…实施意见》第7条", never "seed 002 §7" (the name of a file in the team's folder)."""
    from core.policies import TEMPLATES
    from dividends.policies import SHIPPED

    texts = [text for entry in _entries(polib.pofile(str(PO_PATH))) for text in _texts(entry)]
    texts += [source for _name, source, _fields in TEMPLATES.values()]
    texts += [source for _name, source, _law, _steps in SHIPPED.values()]
    assert [text for text in texts if re.search(r"seed[ -]?0\d\d", text, re.IGNORECASE)] == []

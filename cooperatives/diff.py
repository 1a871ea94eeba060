"""A character-level comparison of two texts for the charter's version history (Chinese has no spaces,
so words are characters). Every piece is escaped before it is wrapped in ``<del>``/``<ins>``."""

from __future__ import annotations

import difflib

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Beyond this many characters a line-level comparison is used (the character one is quadratic).
CHARACTER_DIFF_LIMIT = 20000


def _html(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def inline_diff(old: str, new: str) -> SafeString:
    """``new`` with what was removed from ``old`` in ``<del>`` and what was added in ``<ins>``."""
    old, new = old or "", new or ""
    if len(old) + len(new) > CHARACTER_DIFF_LIMIT:
        a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    else:
        a, b = list(old), list(new)
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(_html("".join(b[j1:j2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(f'<del class="bg-danger-subtle">{_html("".join(a[i1:i2]))}</del>')
        if tag in ("insert", "replace"):
            parts.append(f'<ins class="bg-success-subtle">{_html("".join(b[j1:j2]))}</ins>')
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped

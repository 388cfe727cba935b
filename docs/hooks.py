"""MkDocs hook: show the Sphinx roles of the docstrings (``:func:`~a.b.c```) as code names.

mkdocstrings renders the numpy docstrings as Markdown, which leaves a role's prefix in the text
(":func:" before the name). The role is dropped; ``~`` keeps the last component, as in Sphinx.
"""

from __future__ import annotations

import re
from typing import Any

_ROLE = re.compile(r":(?:func|class|meth|mod|data|attr|exc|obj):<code>(~?)([^<]+)</code>")


def _name(m: re.Match[str]) -> str:
    target = m.group(2)
    return f"<code>{target.rsplit('.', 1)[-1] if m.group(1) else target}</code>"


def on_page_content(html: str, **_: Any) -> str:
    """Replace every rendered role by the code name it refers to."""
    return _ROLE.sub(_name, html)

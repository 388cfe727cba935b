"""Text folding shared by the layers (a leaf module)."""

from __future__ import annotations

import unicodedata

__all__ = ["fold"]


def fold(text: str) -> str:
    """Lowercase ASCII form of *text*: accents dropped, ``Œ`` → ``oe``.

    Examples
    --------
    >>> fold("Nœux-les-Mines Écourt")
    'noeux-les-mines ecourt'
    """
    s = str(text).replace("Œ", "Oe").replace("œ", "oe")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()

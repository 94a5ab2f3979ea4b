"""Words for who is answering. No Flask here.

The parish survey's questions speak to a council ("your council's priorities"). A district
councillor answers for a ward, not for a council, so the same text is turned to address
them directly. Longer phrases come first so "your council's" is not read as "your council".
"""

from __future__ import annotations

import re
from typing import overload

_COUNCILLOR_PHRASES = (
    ("your council's", "your"),
    ("Your council's", "Your"),
    ("the council agree", "you agree"),
    ("The council agree", "You agree"),
    ("your council", "you"),
    ("Your council", "You"),
    ("the council or parish meeting", "the meeting where you agreed them"),
)
_PATTERN = re.compile("|".join(re.escape(old) for old, _new in _COUNCILLOR_PHRASES))
_REPLACEMENTS = dict(_COUNCILLOR_PHRASES)


@overload
def addressed(text: str, councillor: bool = False) -> str: ...
@overload
def addressed(text: None, councillor: bool = False) -> None: ...
@overload
def addressed(text: str | None, councillor: bool = False) -> str | None: ...
def addressed(text: str | None, councillor: bool = False) -> str | None:
    """`text` as said to this respondent: unchanged unless a district councillor is answering."""
    if not text or not councillor:
        return text
    return _PATTERN.sub(lambda match: _REPLACEMENTS[match.group(0)], text)

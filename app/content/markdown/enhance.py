"""Finishing touches on sanitised HTML: tappable phone numbers and tables that fit a phone.

Both run after `sanitise`, on HTML whose text has every "<" escaped, so a tag can only be a
real element and the added attributes are made from escaped text.
"""

from __future__ import annotations

import html as html_lib
import re

# Short numbers that can be called in the UK: emergency, police non-emergency, NHS, Samaritans.
SHORT_NUMBERS = {"999", "112", "101", "111", "116123", "116111", "85258"}
_NUMBER = re.compile(r"(?<![\w/.,£-])(\d[\d ]{1,14}\d)(?![\w/%-])(?![.,]\d)")
# "text 85258", "text SHOUT to 85258", "send a text to 85258": an SMS number, not a call.
_TEXTING = re.compile(r"\b(?:text|texting|sms)\b(?:[ \t]+[a-z]+){0,3}[ \t]*$", re.I)
_TAG = re.compile(r"(<[^>]*>)")


def phone_digits(candidate: str) -> str | None:
    """The digits to dial if `candidate` is a UK phone number as people write them, else None."""
    digits = candidate.replace(" ", "")
    if digits in SHORT_NUMBERS:
        return digits
    if digits.startswith("0") and (len(digits) in (10, 11) or (digits.startswith("0800") and len(digits) == 8)):
        return digits
    return None


def link_phone_numbers(html: str) -> str:
    """Make every phone number outside a link a `tel:` link, and every text number an `sms:` one."""
    pieces = _TAG.split(html)
    in_link = 0
    for index, piece in enumerate(pieces):
        if index % 2:  # a tag
            if re.match(r"<a\b", piece):
                in_link += 1
            elif piece.startswith("</a"):
                in_link = max(0, in_link - 1)
            continue
        if in_link or not piece:
            continue
        pieces[index] = _link_numbers_in_text(piece)
    return "".join(pieces)


def _link_numbers_in_text(text: str) -> str:
    result, last = [], 0
    for match in _NUMBER.finditer(text):
        digits = phone_digits(match.group(1))
        if digits is None:
            continue
        scheme = "sms" if _TEXTING.search(text[max(0, match.start() - 40) : match.start()]) else "tel"
        result.append(text[last : match.start()])
        result.append(f'<a class="govuk-link" href="{scheme}:{digits}">{match.group(1)}</a>')
        last = match.end()
    result.append(text[last:])
    return "".join(result)


_TABLE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.S)
_HEAD_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_ROW = re.compile(r"(<tr\b[^>]*>)(.*?)(</tr>)", re.S)
_CELL = re.compile(r"<(td|th)\b([^>]*)>", re.S)


def stack_tables(html: str) -> str:
    """Label each body cell with its column heading, so a narrow screen can show each row as a list.

    The table keeps its markup (and so its meaning for screen readers); `main.scss` restyles
    `.app-table--stack` below the tablet breakpoint and shows each `data-label` before its cell.
    """

    def table(match: re.Match[str]) -> str:
        attributes, inner = match.group(1), match.group(2)
        head_end = inner.find("</thead>")
        if head_end < 0:
            return str(match.group(0))
        labels = [_text(cell) for cell in _HEAD_CELL.findall(inner[:head_end])]
        body = _ROW.sub(lambda row: row.group(1) + _label_cells(row.group(2), labels) + row.group(3), inner[head_end:])
        attributes = re.sub(r'class="([^"]*)"', r'class="\1 app-table--stack"', attributes, count=1)
        if "class=" not in attributes:
            attributes += ' class="app-table--stack"'
        return f"<table{attributes}>{inner[:head_end]}{body}</table>"

    return _TABLE.sub(table, html)


def _label_cells(row: str, labels: list[str]) -> str:
    column = -1

    def label(match: re.Match[str]) -> str:
        nonlocal column
        column += 1
        if column >= len(labels) or "data-label=" in match.group(2):
            return str(match.group(0))
        return f'<{match.group(1)}{match.group(2)} data-label="{html_lib.escape(labels[column])}">'

    return _CELL.sub(label, row)


def _text(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]*>", " ", fragment)).split())

"""SPARQL codepoint escapes, expanded once so the guard and the engine read the same text.

SPARQL 1.1 (§19.2) processes ``\\uXXXX`` and ``\\UXXXXXXXX`` anywhere in a query before parsing.
The two parsers here do not: rdflib expands ``\\u`` with 4 *or 8* hex digits and ``\\U`` with 4
(case-insensitive), while Oxigraph expands escapes only inside strings and IRIs. So
``"\\u00000022 #" SERVICE <…>`` is an empty string and a comment to rdflib but a string and a
SERVICE clause to Oxigraph: a guard reading one way let the engine run the other.

``expand`` applies the rule of the specification exactly once and returns text in which no
parser can find an escape any more; both the guard and the engine are given that text, byte for
byte. What the specification does not define is refused rather than guessed: an escape with too
few digits, a code point above U+10FFFF or a surrogate, and an escape that expands into the
start of another escape (``\\u005Cu0041``).
"""

from __future__ import annotations

import re

from gcm_kg.errors import QuerySyntaxError

#: a backslash and u/U: where a codepoint escape starts, complete or not
_START = re.compile(r"\\[uU]")
_HEX = frozenset("0123456789abcdefABCDEF")
#: what any parser could still take for an escape: \u or \U followed by a hex digit
_LEFTOVER = re.compile(r"\\[uU][0-9A-Fa-f]")


def expand(text: str) -> str:
    """``text`` with every codepoint escape replaced by its character, or QuerySyntaxError."""
    if "\\" not in text:
        return text
    out: list[str] = []
    pos = 0
    for m in _START.finditer(text):
        start = m.start()
        if start < pos:  # inside an escape already expanded (cannot happen: hex has no "\")
            continue
        width = 4 if m.group() == "\\u" else 8
        digits = text[start + 2 : start + 2 + width]
        if len(digits) < width or not set(digits) <= _HEX:
            if digits[:1] and digits[0] in _HEX:
                raise QuerySyntaxError(
                    f"character {start + 1}: {m.group()}{_shown(digits)} is an incomplete "
                    f"codepoint escape ({m.group()} takes exactly {width} hex digits)"
                )
            continue  # e.g. "\user" in a comment: no escape in any reading
        code = int(digits, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QuerySyntaxError(
                f"character {start + 1}: {m.group()}{digits} is not a Unicode character "
                "(above U+10FFFF or a surrogate)"
            )
        out.append(text[pos:start])
        out.append(chr(code))
        pos = start + 2 + width
    out.append(text[pos:])
    expanded = "".join(out)
    again = _LEFTOVER.search(expanded)
    if again is not None:
        raise QuerySyntaxError(
            "the query's codepoint escapes expand into another escape "
            f"({again.group()}…); write the characters themselves"
        )
    return expanded


def _shown(digits: str) -> str:
    """The digits that follow an incomplete escape, up to where they stop being hex."""
    shown = ""
    for c in digits:
        if c not in _HEX:
            break
        shown += c
    return shown

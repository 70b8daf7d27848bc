"""A contact's telephone number as staff type it: a mainland mobile (11 digits) or a landline with its area code.

The responsible unit's person is rung about a problem, so the number must be one that
can be dialled from anywhere: a mobile, or a landline *with* its area code (a bare
local number reaches someone else in another city). Spaces, dashes, dots, brackets and
full-width digits are what people type around the digits and are ignored; a leading
+86 or 0086 is dropped. The number is kept in one form: ``13800138000``, ``0731-88886666``.

Examples
--------
>>> phone_number("138 0013 8000"), phone_number("(0731)8888-6666"), phone_number("+86 138-0013-8000")
('13800138000', '0731-88886666', '13800138000')
>>> phone_number("010 6552 9988"), phone_number("０２１－５８８８６６６６")
('010-65529988', '021-58886666')
>>> phone_number("88886666") is None, phone_number("12345678901") is None, phone_number("abc") is None
(True, True, True)
"""

from __future__ import annotations

import re
import unicodedata

_AROUND_DIGITS = re.compile(r"[\s\-.()（）]")
_MOBILE = re.compile(r"1[3-9]\d{9}")
# Beijing (010) and the 02x cities have three-digit area codes, every other city four; a local number has
# seven or eight digits and starts with neither 0 nor 1.
_LANDLINE = re.compile(r"(010|02\d|0[3-9]\d{2})([2-9]\d{6,7})")


def phone_number(text: str | None) -> str | None:
    """``text`` as a mobile (``13800138000``) or a landline with its area code (``0731-88886666``); None when it
    is neither (empty, too short, a local number without area code, letters).

    >>> phone_number(""), phone_number(None), phone_number("0731-8888")
    (None, None, None)
    """
    digits = _AROUND_DIGITS.sub("", unicodedata.normalize("NFKC", text or ""))
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
    if len(digits) == 13 and digits.startswith("861"):  # 86 and a mobile, typed without the plus
        digits = digits[2:]
    if _MOBILE.fullmatch(digits):
        return digits
    landline = _LANDLINE.fullmatch(digits)
    return f"{landline.group(1)}-{landline.group(2)}" if landline else None

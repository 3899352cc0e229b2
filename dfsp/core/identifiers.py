"""统一社会信用代码 (GB 32100-2015) validation.

python-stdnum's ``cn.uscc`` computes the check digit correctly but insists that the first eight
characters are digits, which rejects valid codes issued by registration authorities whose code is
a letter (e.g. ``N`` agriculture, ``Y`` other authorities). We reuse its check-digit routine and
apply the structure of the standard ourselves.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc as stdnum_uscc

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Authority code (1) + organisation type (1), both from the standard's alphabet without 0;
# then 6-digit GB/T 2260 division, 9-character organisation code, check character.
_STRUCTURE = re.compile(r"^[1-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{9}[0-9A-HJ-NP-RTUWXY]$")


def normalise_uscc(value: str) -> str:
    return stdnum_uscc.compact(value or "")


def uscc_check_character(first17: str) -> str:
    return stdnum_uscc.calc_check_digit(first17)


def validate_uscc(value: str) -> str:
    """Return the normalised code or raise ValidationError with a specific message."""
    code = normalise_uscc(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has exactly 18 characters."), code="uscc_length"
        )
    if not _STRUCTURE.match(code):
        raise ValidationError(
            _(
                "The unified social credit code contains characters not allowed by GB 32100 (I, O, S, V, Z are never used)."
            ),
            code="uscc_format",
        )
    if code[-1] != uscc_check_character(code[:17]):
        raise ValidationError(
            _("The check character of the unified social credit code is wrong."), code="uscc_checksum"
        )
    return code


def is_valid_uscc(value: str) -> bool:
    try:
        validate_uscc(value)
    except ValidationError:
        return False
    return True


_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def organisation_code(base8: str) -> str:
    """GB 11714 organisation code: eight characters followed by their check character."""
    total = sum(_ORG_CODE_ALPHABET.index(c) * w for c, w in zip(base8, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return base8 + {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(authority_and_type: str, division: str, organisation_base8: str) -> str:
    """Build a well-formed code: authority and type, GB/T 2260 division, organisation code, check."""
    first17 = authority_and_type + division + organisation_code(organisation_base8)
    return first17 + uscc_check_character(first17)

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from dfsp.core.identifiers import (
    is_valid_uscc,
    make_uscc,
    organisation_code,
    uscc_check_character,
    validate_uscc,
)


def test_a_published_code_is_valid():
    assert validate_uscc("91110000600037341L") == "91110000600037341L"  # python-stdnum's example


def test_letter_first_codes_accepted_although_stdnum_rejects_them():
    for prefix in ("N2", "Y1", "A1"):
        code = make_uscc(prefix, "230624", "MA1E3R0P")
        assert is_valid_uscc(code)
        assert not stdnum_uscc.is_valid(code)


def test_wrong_check_character_is_refused_with_its_own_message():
    code = make_uscc("91", "230602", "MA1C4QY7")
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        validate_uscc(wrong)
    assert error.value.code == "uscc_checksum"


@pytest.mark.parametrize(
    "code, reason",
    [
        ("9123060", "uscc_length"),
        ("91230602MA1C4QYI7X", "uscc_format"),  # I is never used
        ("9A23O602MA1C4QY7X0", "uscc_format"),
    ],
)
def test_malformed_codes_are_refused(code, reason):
    with pytest.raises(ValidationError) as error:
        validate_uscc(code)
    assert error.value.code == reason


def test_lower_case_and_spaces_are_normalised():
    code = make_uscc("91", "230602", "MA1C4QY7")
    assert validate_uscc(" " + code.lower()[:9] + " " + code.lower()[9:]) == code


def test_organisation_code_check_character():
    # The textbook GB 11714 example: D2143569-X
    assert organisation_code("D2143569") == "D2143569X"


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=9, max_size=9))
def test_every_computed_code_validates(org9):
    first17 = "91" + "230602" + org9
    assert is_valid_uscc(first17 + uscc_check_character(first17))


# GB 32100-2015 written out independently of dfsp.core.identifiers: character values, the
# weights 3^i mod 31, and check = 31 - (sum mod 31) (31 -> "0").
_GB32100_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_GB32100_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _reference_check(first17: str) -> str:
    total = sum(_GB32100_CHARS.index(c) * w for c, w in zip(first17, _GB32100_WEIGHTS, strict=True))
    return _GB32100_CHARS[(31 - total % 31) % 31]


@pytest.mark.parametrize(
    "first17",
    [
        "N2230604MA1E3R0P6",  # 基层群众性自治组织 (village committee), Daqing Ranghulu
        "Y1230602MA1C4QY7X",  # other registration authority
        "N1230621MA0GX8L3K",
        "91230602MA1C4QY7X",  # ordinary enterprise, for contrast
    ],
)
def test_letter_first_codes_agree_with_an_independent_gb_32100_check(first17):
    code = first17 + _reference_check(first17)
    assert is_valid_uscc(code) and validate_uscc(code) == code
    for wrong in _GB32100_CHARS:
        if wrong != code[17]:
            assert not is_valid_uscc(first17 + wrong)

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

"""Known-answer and behaviour tests for the commercial-cryptography interface."""

import hashlib
import hmac
import os

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec as nist_ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from dfsp.core import crypto

SM4_EXAMPLE = bytes.fromhex("0123456789abcdeffedcba9876543210")


# --- SM3 -----------------------------------------------------------------------------------------


def test_sm3_of_abc_matches_the_standard_example():
    assert crypto.sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm3_of_a_64_byte_message_matches_the_standard_example():
    assert crypto.sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_sm3_digest_is_the_raw_form_of_the_hex_digest():
    assert crypto.sm3_digest(b"abc").hex() == crypto.sm3_hex(b"abc")
    assert len(crypto.sm3_digest(b"")) == 32


def test_sm3_refuses_text_so_the_caller_chooses_the_encoding():
    with pytest.raises(TypeError):
        crypto.sm3_hex("abc")


# --- HMAC-SM3 ------------------------------------------------------------------------------------


def test_hmac_sm3_is_deterministic_and_depends_on_key_and_data():
    mac = crypto.sm3_hmac(b"key-one", b"message")
    assert mac == crypto.sm3_hmac(b"key-one", b"message")
    assert len(mac) == 32
    assert mac != crypto.sm3_hmac(b"key-two", b"message")
    assert mac != crypto.sm3_hmac(b"key-one", b"messagf")
    assert crypto.sm3_hmac_hex(b"key-one", b"message") == mac.hex()


@pytest.mark.skipif("sm3" not in hashlib.algorithms_available, reason="OpenSSL without SM3 in hashlib")
def test_hmac_sm3_agrees_with_an_independent_implementation():
    assert crypto.sm3_hmac(b"k" * 70, b"data") == hmac.new(b"k" * 70, b"data", "sm3").digest()


# --- SM4 -----------------------------------------------------------------------------------------


def test_sm4_block_cipher_matches_the_gbt_32907_example():
    # The standard's example: key = plaintext = 0123456789abcdeffedcba9876543210, one raw block.
    encryptor = Cipher(algorithms.SM4(SM4_EXAMPLE), modes.ECB()).encryptor()  # noqa: S305
    assert (encryptor.update(SM4_EXAMPLE) + encryptor.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"


def test_sm4_gcm_matches_the_rfc_8998_example():
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    nonce = bytes.fromhex("00001234567800000000ABCD")
    aad = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
    plaintext = bytes.fromhex(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
        "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
    )
    sealed = crypto._sm4_gcm_seal(key, nonce, plaintext, aad)
    assert sealed[12:-16].hex().upper() == (
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
    )
    assert sealed[-16:].hex().upper() == "83DE3541E4C2B58177E065A9BF7B62EC"
    assert crypto.sm4_gcm_decrypt(key, sealed, aad) == plaintext


def test_sm4_gcm_round_trip_with_a_fresh_nonce_each_time():
    key = os.urandom(16)
    first = crypto.sm4_gcm_encrypt(key, "企业信用数据".encode(), b"record:42")
    second = crypto.sm4_gcm_encrypt(key, "企业信用数据".encode(), b"record:42")
    assert first[:12] != second[:12]
    assert len(first) == 12 + len("企业信用数据".encode()) + 16
    assert crypto.sm4_gcm_decrypt(key, first, b"record:42").decode() == "企业信用数据"
    assert crypto.sm4_gcm_decrypt(key, crypto.sm4_gcm_encrypt(key, b""), b"") == b""


@pytest.mark.parametrize("position", [0, 12, -1])
def test_sm4_gcm_detects_a_flipped_bit_in_nonce_ciphertext_or_tag(position):
    key = os.urandom(16)
    blob = bytearray(crypto.sm4_gcm_encrypt(key, b"loan amount 1000000.00"))
    blob[position] ^= 0x01
    with pytest.raises(crypto.CryptoError):
        crypto.sm4_gcm_decrypt(key, bytes(blob))


def test_sm4_gcm_rejects_wrong_key_wrong_associated_data_and_truncation():
    key = os.urandom(16)
    blob = crypto.sm4_gcm_encrypt(key, b"secret", b"context-a")
    with pytest.raises(crypto.CryptoError):
        crypto.sm4_gcm_decrypt(os.urandom(16), blob, b"context-a")
    with pytest.raises(crypto.CryptoError):
        crypto.sm4_gcm_decrypt(key, blob, b"context-b")
    with pytest.raises(crypto.CryptoError):
        crypto.sm4_gcm_decrypt(key, blob[:20], b"context-a")


def test_sm4_keys_must_be_16_bytes():
    with pytest.raises(crypto.CryptoError):
        crypto.sm4_gcm_encrypt(b"short", b"data")


# --- SM2 -----------------------------------------------------------------------------------------


def test_sm2_signature_verifies_only_for_the_signed_data_and_the_signing_key():
    key = crypto.generate_sm2_private_key()
    other = crypto.generate_sm2_private_key()
    signature = crypto.sm2_sign(key, b"payload for the provincial node")

    assert crypto.sm2_verify(key.public_key(), signature, b"payload for the provincial node")
    assert not crypto.sm2_verify(key.public_key(), signature, b"payload for the provincial nodf")
    assert not crypto.sm2_verify(other.public_key(), signature, b"payload for the provincial node")
    assert not crypto.sm2_verify(key.public_key(), b"\x30\x02\x01\x01", b"payload for the provincial node")


def test_sm2_keys_survive_a_pem_round_trip():
    key = crypto.generate_sm2_private_key()
    loaded = crypto.load_sm2_private_key_pem(crypto.sm2_private_key_to_pem(key))
    public = crypto.load_sm2_public_key_pem(crypto.sm2_public_key_to_pem(crypto.sm2_public_key(key)))

    signature = crypto.sm2_sign(loaded, b"data")
    assert crypto.sm2_verify(public, signature, b"data")
    assert crypto.sm2_verify(key.public_key(), signature, b"data")


def test_password_protected_sm2_pem_needs_the_password():
    key = crypto.generate_sm2_private_key()
    pem = crypto.sm2_private_key_to_pem(key, password=b"correct horse")
    assert b"ENCRYPTED" in pem
    assert crypto.load_sm2_private_key_pem(pem, b"correct horse")
    with pytest.raises(crypto.CryptoError):
        crypto.load_sm2_private_key_pem(pem, b"wrong")


def test_non_sm2_and_garbage_pem_are_refused():
    nist_pem = nist_ec.generate_private_key(nist_ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(crypto.CryptoError):
        crypto.load_sm2_private_key_pem(nist_pem)
    with pytest.raises(crypto.CryptoError):
        crypto.load_sm2_public_key_pem(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")


# --- The platform key ----------------------------------------------------------------------------


@pytest.fixture
def fresh_platform_key_cache():
    crypto.platform_signing_key.cache_clear()
    yield
    crypto.platform_signing_key.cache_clear()


def test_platform_key_is_generated_once_into_var_dir_with_owner_only_permissions(
    settings, tmp_path, monkeypatch, fresh_platform_key_cache
):
    monkeypatch.delenv(crypto.PLATFORM_KEY_ENV, raising=False)
    settings.VAR_DIR = tmp_path
    key = crypto.platform_signing_key()
    path = tmp_path / crypto.PLATFORM_KEY_FILENAME

    assert path.stat().st_mode & 0o777 == 0o600
    assert crypto.platform_signing_key() is key
    crypto.platform_signing_key.cache_clear()
    reloaded = crypto.platform_signing_key()
    assert crypto.sm2_verify(reloaded.public_key(), crypto.sm2_sign(key, b"x"), b"x")


def test_platform_key_comes_from_the_configured_file(
    settings, tmp_path, monkeypatch, fresh_platform_key_cache
):
    provisioned = crypto.generate_sm2_private_key()
    path = tmp_path / "provisioned.pem"
    path.write_bytes(crypto.sm2_private_key_to_pem(provisioned))
    settings.VAR_DIR = tmp_path / "unused"
    monkeypatch.setenv(crypto.PLATFORM_KEY_ENV, str(path))

    key = crypto.platform_signing_key()

    assert crypto.sm2_verify(provisioned.public_key(), crypto.sm2_sign(key, b"x"), b"x")
    assert not (tmp_path / "unused" / crypto.PLATFORM_KEY_FILENAME).exists()


def test_a_configured_but_missing_key_file_fails_loudly(monkeypatch, tmp_path, fresh_platform_key_cache):
    monkeypatch.setenv(crypto.PLATFORM_KEY_ENV, str(tmp_path / "absent.pem"))
    with pytest.raises(crypto.CryptoError):
        crypto.platform_signing_key()

"""The platform's one interface to commercial cryptography (国密 SM2, SM3, SM4).

Callers use only these functions, never a backend directly, so that a hardware security module
(密码机) can replace the software backends without touching business code. Today:

* SM3, HMAC-SM3 and SM4-GCM run on ``cryptography`` (OpenSSL);
* SM2 signatures run on ``tongsuopy`` (Tongsuo), which ``cryptography`` does not provide.

Failures that a caller must handle (tampered ciphertext, unusable key material) raise
``CryptoError``; a signature that does not verify is simply ``False``.
"""

import os
import tempfile
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes as _hashes
from cryptography.hazmat.primitives import hmac as _hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from tongsuopy.crypto import exceptions as _sm2_exceptions
from tongsuopy.crypto import hashes as _sm2_hashes
from tongsuopy.crypto import serialization as _sm2_serialization
from tongsuopy.crypto.asymciphers import ec as _sm2_ec

SM4_KEY_BYTES = 16
SM4_GCM_NONCE_BYTES = 12
SM4_GCM_TAG_BYTES = 16
PLATFORM_KEY_ENV = "DFSP_SM2_KEY_FILE"
PLATFORM_KEY_FILENAME = "sm2_platform_key.pem"

SM2PrivateKey = _sm2_ec.EllipticCurvePrivateKey
SM2PublicKey = _sm2_ec.EllipticCurvePublicKey


class CryptoError(Exception):
    """Decryption failed (tampered data or wrong key) or key material is unusable."""


def _require_bytes(value, name: str) -> bytes:
    # str is refused on purpose: the caller decides the encoding, not this module.
    if not isinstance(value, bytes | bytearray | memoryview):
        raise TypeError(f"{name} must be bytes, not {type(value).__name__}")
    return bytes(value)


# --- SM3 (GB/T 32905) ----------------------------------------------------------------------------


def sm3_digest(data: bytes) -> bytes:
    digest = _hashes.Hash(_hashes.SM3())
    digest.update(_require_bytes(data, "data"))
    return digest.finalize()


def sm3_hex(data: bytes) -> str:
    return sm3_digest(data).hex()


def sm3_hmac(key: bytes, data: bytes) -> bytes:
    mac = _hmac.HMAC(_require_bytes(key, "key"), _hashes.SM3())
    mac.update(_require_bytes(data, "data"))
    return mac.finalize()


def sm3_hmac_hex(key: bytes, data: bytes) -> str:
    return sm3_hmac(key, data).hex()


# --- SM4 (GB/T 32907) in GCM mode ----------------------------------------------------------------


def _check_sm4_key(key: bytes) -> bytes:
    key = _require_bytes(key, "key")
    if len(key) != SM4_KEY_BYTES:
        raise CryptoError(f"An SM4 key is {SM4_KEY_BYTES} bytes long, not {len(key)}.")
    return key


def _sm4_gcm_seal(key: bytes, nonce: bytes, plaintext: bytes, associated_data: bytes) -> bytes:
    encryptor = Cipher(algorithms.SM4(_check_sm4_key(key)), modes.GCM(nonce)).encryptor()
    if associated_data:
        encryptor.authenticate_additional_data(_require_bytes(associated_data, "associated_data"))
    ciphertext = encryptor.update(_require_bytes(plaintext, "plaintext")) + encryptor.finalize()
    return nonce + ciphertext + encryptor.tag


def sm4_gcm_encrypt(key: bytes, plaintext: bytes, associated_data: bytes = b"") -> bytes:
    """Encrypt and authenticate; returns nonce (12) || ciphertext || tag (16).

    The nonce is fresh from the OS for every call: a repeated (key, nonce) pair breaks GCM.
    """
    return _sm4_gcm_seal(key, os.urandom(SM4_GCM_NONCE_BYTES), plaintext, associated_data)


def sm4_gcm_decrypt(key: bytes, blob: bytes, associated_data: bytes = b"") -> bytes:
    """Reverse of sm4_gcm_encrypt; raises CryptoError if anything was altered or the key is wrong."""
    key = _check_sm4_key(key)
    blob = _require_bytes(blob, "blob")
    if len(blob) < SM4_GCM_NONCE_BYTES + SM4_GCM_TAG_BYTES:
        raise CryptoError("The SM4-GCM ciphertext is too short to be valid.")
    nonce = blob[:SM4_GCM_NONCE_BYTES]
    tag = blob[-SM4_GCM_TAG_BYTES:]
    ciphertext = blob[SM4_GCM_NONCE_BYTES:-SM4_GCM_TAG_BYTES]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    if associated_data:
        decryptor.authenticate_additional_data(_require_bytes(associated_data, "associated_data"))
    try:
        return decryptor.update(ciphertext) + decryptor.finalize()
    except InvalidTag as exc:
        raise CryptoError("SM4-GCM authentication failed: the data was altered or the key is wrong.") from exc


# --- SM2 signatures (GB/T 32918) -----------------------------------------------------------------


def _sm2_algorithm() -> _sm2_ec.ECDSA:
    return _sm2_ec.ECDSA(_sm2_hashes.SM3())


def _is_sm2(key) -> bool:
    return getattr(getattr(key, "curve", None), "name", "").upper() == "SM2"


def generate_sm2_private_key() -> SM2PrivateKey:
    return _sm2_ec.generate_private_key(_sm2_ec.SM2())


def sm2_public_key(private_key: SM2PrivateKey) -> SM2PublicKey:
    return private_key.public_key()


def sm2_sign(private_key: SM2PrivateKey, data: bytes) -> bytes:
    """DER-encoded SM2 signature over SM3(Z || data)."""
    return private_key.sign(_require_bytes(data, "data"), _sm2_algorithm())


def sm2_verify(public_key: SM2PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        public_key.verify(
            _require_bytes(signature, "signature"), _require_bytes(data, "data"), _sm2_algorithm()
        )
    except (_sm2_exceptions.InvalidSignature, _sm2_exceptions.InternalError, ValueError):
        # A malformed signature surfaces as InternalError from the backend: still just "invalid".
        return False
    return True


def sm2_private_key_to_pem(private_key: SM2PrivateKey, password: bytes | None = None) -> bytes:
    encryption = (
        _sm2_serialization.BestAvailableEncryption(password)
        if password
        else _sm2_serialization.NoEncryption()
    )
    return private_key.private_bytes(
        _sm2_serialization.Encoding.PEM, _sm2_serialization.PrivateFormat.PKCS8, encryption
    )


def sm2_public_key_to_pem(public_key: SM2PublicKey) -> bytes:
    return public_key.public_bytes(
        _sm2_serialization.Encoding.PEM, _sm2_serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_sm2_private_key_pem(pem: bytes, password: bytes | None = None) -> SM2PrivateKey:
    try:
        key = _sm2_serialization.load_pem_private_key(_require_bytes(pem, "pem"), password)
    except (
        ValueError,
        TypeError,
        _sm2_exceptions.UnsupportedAlgorithm,
        _sm2_exceptions.InternalError,
    ) as exc:
        raise CryptoError("The PEM data is not a readable private key.") from exc
    if not isinstance(key, SM2PrivateKey) or not _is_sm2(key):
        raise CryptoError("The private key is not an SM2 key.")
    return key


def load_sm2_public_key_pem(pem: bytes) -> SM2PublicKey:
    try:
        key = _sm2_serialization.load_pem_public_key(_require_bytes(pem, "pem"))
    except (
        ValueError,
        TypeError,
        _sm2_exceptions.UnsupportedAlgorithm,
        _sm2_exceptions.InternalError,
    ) as exc:
        raise CryptoError("The PEM data is not a readable public key.") from exc
    if not isinstance(key, SM2PublicKey) or not _is_sm2(key):
        raise CryptoError("The public key is not an SM2 key.")
    return key


def _write_new_key_file(path: Path) -> None:
    """Create ``path`` (0600) holding a new key, unless another process got there first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = sm2_private_key_to_pem(generate_sm2_private_key())
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".sm2-", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        # link() fails if the target exists, so concurrent first starts agree on one key.
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)


@lru_cache(maxsize=1)
def platform_signing_key() -> SM2PrivateKey:
    """The platform's SM2 signing key, loaded once per process.

    From the file named by settings.SM2_KEY_FILE or the DFSP_SM2_KEY_FILE environment variable
    (production: provisioned, never generated); otherwise generated once into VAR_DIR.
    """
    configured = getattr(settings, "SM2_KEY_FILE", None) or os.environ.get(PLATFORM_KEY_ENV)
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise CryptoError(f"{PLATFORM_KEY_ENV} points to {path}, which is not a readable file.")
    else:
        path = Path(settings.VAR_DIR) / PLATFORM_KEY_FILENAME
        if not path.exists():
            _write_new_key_file(path)
    return load_sm2_private_key_pem(path.read_bytes())

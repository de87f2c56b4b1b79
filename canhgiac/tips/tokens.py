"""Tip codes, follow-up secrets and the encryption of tipsters' contact details."""

import hashlib
import hmac
import json
import secrets as _random

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

# No 0/O, 1/I/L, U: readable aloud over the phone and hard to mistype.
ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 8
SECRET_GROUPS = 4  # 4 groups of 4 characters: 30**16 ≈ 2**78 possibilities


def new_code() -> str:
    return "".join(_random.choice(ALPHABET) for _ in range(CODE_LENGTH))


def new_secret() -> str:
    return "-".join("".join(_random.choice(ALPHABET) for _ in range(4)) for _ in range(SECRET_GROUPS))


def normalize(value: str | None) -> str:
    """Case, spaces and dashes do not matter when a tipster types a code or secret back."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def hash_secret(secret: str) -> str:
    # The secret is random with ~78 bits of entropy, so a fast hash cannot be brute-forced;
    # only this digest is stored.
    return hashlib.sha256(normalize(secret).encode()).hexdigest()


def secret_matches(secret: str | None, digest: str) -> bool:
    return bool(secret and digest) and hmac.compare_digest(hash_secret(secret), digest)


def _fernet() -> MultiFernet:
    keys = settings.TIP_CONTACT_KEYS
    if not keys:
        raise RuntimeError("TIP_CONTACT_KEYS is empty: tipsters' contact details cannot be encrypted")
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def encrypt_contact(contact: dict) -> str:
    return _fernet().encrypt(json.dumps(contact, ensure_ascii=False).encode()).decode()


def decrypt_contact(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as exc:
        raise RuntimeError(
            "Contact details cannot be decrypted with the configured TIP_CONTACT_KEYS"
        ) from exc


def rotate_contact(token: str) -> str:
    """Re-encrypt with the first key (after a key was added in front)."""
    return _fernet().rotate(token.encode()).decode() if token else token

"""Signed serial codes (issue 13, item 4): the province's Ed25519 keys and the code's text.

A code is a GS1 Digital Link URI on this server with the serial and a signature:

    {CANHGIAC_BASE_URL}/01/{GTIN-14}/10/{lot}/21/{serial}?s={kid}.{signature}

- the signed bytes are the UTF-8 bytes of the GS1 element string of the code's AIs, as the
  digital link parser prints it: ``^01{gtin14}10{lot}^21{serial}`` (``^`` is FNC1, a literal
  caret, 0x5E); neither the host nor the query is signed, so a code survives a change of domain;
- the signature is Ed25519 (RFC 8032, 64 bytes) in base64url without padding (86 characters);
- ``kid`` names the province's key (``{province code}-{n}``) in the JWK set at
  /api/v1/goods/keys.

Serials are 10 characters of Crockford's base32 (no I, L, O, U): 50 random bits, so the serial
of one pack tells nothing about another's.
"""

from __future__ import annotations

import base64
import binascii
import secrets

from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

SERIAL_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SERIAL_LENGTH = 10
SIGNATURE_PARAM = "s"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


B64URL_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def b64url_decode(text: str) -> bytes:
    """Strict base64url without padding: any other character, or a length base64 cannot have,
    raises ValueError (so an altered character never decodes to the same bytes)."""
    if not text or not B64URL_CHARACTERS.issuperset(text):
        raise ValueError("not base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("not base64url") from None
    if b64url(data) != text:  # non-canonical trailing bits
        raise ValueError("not canonical base64url")
    return data


# byte -> serial character: its low 5 bits pick one of the 32 (256 is a multiple of 32, so a
# uniformly random byte gives a uniformly random character: 10 bytes, 50 random bits)
_SERIAL_TABLE = bytes(SERIAL_ALPHABET.encode("ascii")[b & 31] for b in range(256))


def new_serials(count: int, taken: set[str] | None = None) -> list[str]:
    """`count` distinct random serials, none of them in `taken` (10 random bytes a serial, mapped
    with one bytes.translate: a million serials in well under a second)."""
    taken = set(taken or ())
    out: list[str] = []
    seen: set[str] = set()
    size = SERIAL_LENGTH
    while len(out) < count:
        need = count - len(out)
        text = secrets.token_bytes(size * need).translate(_SERIAL_TABLE).decode("ascii")
        for i in range(0, len(text), size):
            serial = text[i : i + size]
            if serial not in seen and serial not in taken:
                seen.add(serial)
                out.append(serial)
    return out


def message(gtin14: str, lot: str, serial: str) -> bytes:
    """The signed bytes of a code (docs/goods.md): its GS1 element string in UTF-8."""
    return f"^01{gtin14}10{lot}^21{serial}".encode()


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in settings.GOODS_KEY_ENCRYPTION_KEYS])


def private_bytes(key) -> bytes:
    return _fernet().decrypt(key.private_key_encrypted.encode())


def public_key_of(key) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(b64url_decode(key.public_key))


def create_key(province):
    """A new active key for `province`; the previous active key is retired (it keeps verifying
    the codes it signed). One transaction, audited through the model."""
    from canhgiac.goods.models import SigningKey

    private = Ed25519PrivateKey.generate()
    raw_private = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    raw_public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    with transaction.atomic():
        current = list(SigningKey.objects.select_for_update().filter(province=province))
        for key in current:
            if key.status == SigningKey.Status.ACTIVE:
                key.status = SigningKey.Status.RETIRED
                key.retired_at = timezone.now()
                key.save()
        n = len(current) + 1
        kid = f"{province.code}-{n}"
        while SigningKey.objects.filter(kid=kid).exists():
            n += 1
            kid = f"{province.code}-{n}"
        return SigningKey.objects.create(
            province=province,
            kid=kid,
            public_key=b64url(raw_public),
            private_key_encrypted=_fernet().encrypt(raw_private).decode(),
        )


def retire_key(kid: str, reason: str = ""):
    """Take a key out of service without suspecting it (a planned change, a retired device): it
    signs nothing more but stays in the JWK set, so every code it signed stays genuine. If it was
    the active key, the province gets a new one at once. Audited through the model."""
    from canhgiac.goods.models import SigningKey

    with transaction.atomic():
        key = SigningKey.objects.select_for_update().filter(kid=kid).first()
        if key is None:
            raise ValueError(_("Không có khóa “%(kid)s”.") % {"kid": kid})
        if key.status == SigningKey.Status.REVOKED:
            raise ValueError(
                _("Khóa “%(kid)s” đã bị thu hồi vì lộ; không thể chuyển lại thành khóa đã thay.")
                % {"kid": kid}
            )
        if key.status == SigningKey.Status.RETIRED:
            return key
        key.status = SigningKey.Status.RETIRED
        key.retired_at = timezone.now()
        key.save()
        create_key(key.province)
        return key


def revoke_key(kid: str, reason: str):
    """Revoke a compromised key (its private key leaked or may have): a signature made with it no
    longer proves anything, so the check answers the codes it signed "cannot be trusted" (an
    issued serial: suspicious, S3) or forged (a serial never issued). A key merely taken out of
    service is retired instead (retire_key). If it was the active key, the province gets a new one
    at once."""
    from canhgiac.goods.models import SigningKey

    reason = (reason or "").strip()
    if not reason:
        raise ValueError(_("Cần ghi lý do thu hồi khóa."))
    with transaction.atomic():
        key = SigningKey.objects.select_for_update().filter(kid=kid).first()
        if key is None:
            raise ValueError(_("Không có khóa “%(kid)s”.") % {"kid": kid})
        if key.status == SigningKey.Status.REVOKED:
            return key
        was_active = key.status == SigningKey.Status.ACTIVE
        key.status = SigningKey.Status.REVOKED
        key.revoked_at = timezone.now()
        key.revoked_reason = reason[:300]
        key.save()
        if was_active:
            create_key(key.province)
        return key


def active_key(province, create: bool = False):
    from canhgiac.goods.models import SigningKey

    key = SigningKey.objects.filter(province=province, status=SigningKey.Status.ACTIVE).first()
    if key is None and create:
        key = create_key(province)
    return key


def jwks() -> dict:
    """The JWK set (RFC 7517/8037) of every key that verifies: active and retired. Revoked keys
    are left out of `keys` and listed by kid under `revoked`."""
    from canhgiac.goods.models import SigningKey

    keys, revoked = [], []
    for key in SigningKey.objects.select_related("province").order_by("id"):
        if key.status == SigningKey.Status.REVOKED:
            revoked.append(
                {
                    "kid": key.kid,
                    "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None,
                    "reason": "compromised",
                }
            )
            continue
        keys.append(
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "alg": "EdDSA",
                "use": "sig",
                "kid": key.kid,
                "x": key.public_key,
                "status": key.status,
                "province": key.province.code,
                "created_at": key.created_at.isoformat(),
            }
        )
    return {"keys": keys, "revoked": revoked}


def code_text(base: str, gtin14: str, lot: str, serial: str, kid: str, signature: bytes) -> str:
    from urllib.parse import quote

    return (
        f"{base.rstrip('/')}/01/{gtin14}/10/{quote(lot, safe='')}/21/{serial}"
        f"?{SIGNATURE_PARAM}={kid}.{b64url(signature)}"
    )


def sign_chunk(args) -> list[str]:
    """Sign one chunk of serials (run in a worker process: plain arguments, no Django)."""
    raw_private, base, gtin14, lot, kid, serials = args
    private = Ed25519PrivateKey.from_private_bytes(raw_private)
    sign = private.sign
    from urllib.parse import quote

    prefix = f"{base.rstrip('/')}/01/{gtin14}/10/{quote(lot, safe='')}/21/"
    head = f"^01{gtin14}10{lot}^21".encode()
    tail = f"?{SIGNATURE_PARAM}={kid}."
    enc = base64.urlsafe_b64encode
    return [f"{prefix}{s}{tail}{enc(sign(head + s.encode())).rstrip(b'=').decode()}" for s in serials]


def verify_signature(public: Ed25519PublicKey, gtin14: str, lot: str, serial: str, signature: bytes) -> bool:
    try:
        public.verify(signature, message(gtin14, lot, serial))
    except InvalidSignature:
        return False
    return True

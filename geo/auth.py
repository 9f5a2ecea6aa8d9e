"""Editor sign-in: the operator configures a password hash; we compare in constant time.

Configure with ``NALOXONE_EDITOR_PASSWORD_HASH`` (environment) or
``[editor] password_hash`` in ``.streamlit/secrets.toml``; or, where the operator
configured Streamlit's OIDC sign-in (an ``[auth]`` section), list the editors'
addresses in ``[editor] emails``. Make a hash with
``python -m geo hash-password``. The hash is scrypt (n=2^14, r=8, p=1) with a
random 16-byte salt: ``scrypt$16384$8$1$<salt hex>$<hash hex>``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets

PASSWORD_HASH_ENV = "NALOXONE_EDITOR_PASSWORD_HASH"
_N, _R, _P = 2**14, 8, 1


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """An scrypt hash string for ``password``."""
    if len(password) < 8:
        raise ValueError("use a password of at least 8 characters")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored`` (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, expected = stored.strip().split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n),
                                r=int(r), p=int(p), dklen=len(bytes.fromhex(expected)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, bytes.fromhex(expected))


def configured_hash(secrets_mapping: object | None = None) -> str | None:
    """The editor password hash from the environment or a secrets mapping, if any."""
    value = os.environ.get(PASSWORD_HASH_ENV, "").strip()
    if value:
        return value
    try:
        editor = secrets_mapping["editor"]  # type: ignore[index]
        value = str(editor["password_hash"]).strip()
    except Exception:  # missing secrets file or key: no editor configured
        return None
    return value or None


def oidc_editor_emails(secrets_mapping: object | None) -> set[str] | None:
    """E-mail addresses allowed to edit after Streamlit OIDC sign-in (``st.login``), from
    ``[editor] emails`` — only when an ``[auth]`` section configures a provider."""
    try:
        secrets_mapping["auth"]  # type: ignore[index]
        emails = secrets_mapping["editor"]["emails"]  # type: ignore[index]
    except Exception:  # no OIDC configured
        return None
    return {str(e).strip().lower() for e in emails if str(e).strip()}

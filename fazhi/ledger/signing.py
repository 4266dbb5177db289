"""Checkpoint signing behind a small provider interface.

Software Ed25519 (key file under var/, never committed) serves a county; a 密评-certified
deployment plugs a hardware signer in here (PERF-SECURITY §3.4).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings


class Signer(Protocol):
    def public_key(self) -> bytes: ...

    def sign(self, message: bytes) -> bytes: ...


class FileEd25519Signer:
    def __init__(self, key_file: Path) -> None:
        self._key = load_or_create_key(key_file)

    def public_key(self) -> bytes:
        return self._key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)


def load_or_create_key(key_file: Path) -> Ed25519PrivateKey:
    """Load the installation's signing key, creating it (mode 0600) on first use."""
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{key_file} 不是 Ed25519 私钥")
    return key


def default_signer() -> Signer:
    return FileEd25519Signer(Path(settings.FAZHI_LEDGER_KEY_FILE))


def verify_signature(public_key: bytes, message: bytes, signature: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True

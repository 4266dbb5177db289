"""Checkpoint signing behind a small provider interface.

Software Ed25519 (key file under var/, never committed) serves a county; a 密评-certified
deployment plugs a hardware signer in here (PERF-SECURITY §3.4).
"""

from __future__ import annotations

import os
import secrets
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
        return raw_public_key(self._key)

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)


def load_or_create_key(key_file: Path) -> Ed25519PrivateKey:
    """Load the installation's signing key, creating it (mode 0600) on first use."""
    if not key_file.exists():
        try:
            return create_key_file(key_file)
        except FileExistsError:
            pass  # created by a concurrent process between the check and the create
    return load_private_key(key_file)


def create_key_file(key_file: Path) -> Ed25519PrivateKey:
    """Write a new Ed25519 private key (PEM, mode 0600). Never overwrites a key: losing
    one would orphan every signature made with it (FileExistsError instead)."""
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # Written under a temporary name, then hard-linked into place: the link fails if the
    # key appeared meanwhile, and no process ever reads a half-written key file.
    tmp = key_file.with_name(f".{key_file.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, key_file)
    finally:
        tmp.unlink()
    return key


def load_private_key(key_file: Path) -> Ed25519PrivateKey:
    """Load an existing Ed25519 private key (never creates one)."""
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{key_file} 不是 Ed25519 私钥")
    return key


def raw_public_key(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def default_signer() -> Signer:
    return FileEd25519Signer(Path(settings.FAZHI_LEDGER_KEY_FILE))


def verify_signature(public_key: bytes, message: bytes, signature: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True

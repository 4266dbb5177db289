"""Password composition rule for the 等保 profile (GB/T 22239-2019 8.1.4.1 a)."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError


def character_classes(password: str) -> int:
    classes = [
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(c in string.digits for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


class CharacterClassValidator:
    """Require at least `min_classes` of: lower case, upper case, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: object = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                f"密码须包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"密码须包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类。"

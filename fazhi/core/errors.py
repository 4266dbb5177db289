"""Domain errors with Chinese messages; interfaces turn them into 400 responses."""


class DomainError(Exception):
    """A refused operation. `message` is shown to the user as is."""

    code = "invalid"

    def __init__(self, message: str, *, details: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class ConflictError(DomainError):
    code = "conflict"

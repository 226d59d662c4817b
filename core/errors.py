"""Define Medic's one error tree; every error Medic raises on purpose hangs from it.

    MedicError
    ├── ConfigError                 bad or unsafe settings
    ├── DataError                   input data cannot be used
    │   ├── DataFileMissing
    │   ├── EmptyData
    │   ├── WrongColumns
    │   └── BadValues               text in a numeric column, and the like
    ├── ValidationFailed            data loaded but broke expectations
    ├── TrainingError
    │   └── BelowMinimumF1          the best model is not good enough to register
    ├── RegistryError               the model registry refused or could not answer
    │   ├── AliasConflict           compare-and-set refused: the alias moved
    │   └── ModelLoadError          the champion's files could not be loaded to serve
    ├── NotFound                    no such incident, approval, key, model, version or alias
    │   └── Expired                 it was there, and the retention removed it (a prediction)
    ├── AlertError                  an alert payload cannot be read
    ├── InvalidInput                a request's field cannot be used (the message names it)
    ├── AuthError                   missing, unknown or revoked key
    │   └── SignatureError          a webhook's signature is wrong, stale or replayed
    ├── Forbidden                   the key's role may not do this
    ├── RateLimited                 too many requests (carries `retry_after`)
    ├── PolicyError                 the gate refused, or the decision was already taken
    ├── Conflict                    concurrent writers kept colliding; try again
    ├── LLMError                    the LLM gave no usable answer (callers fall back to rules)
    ├── Unavailable                 not ready yet (no model loaded)
    ├── DeliveryError               a notification channel refused or was unreachable
    ├── TooLarge                    a request over a configured size
    ├── ReportError                 a report could not be rendered in its time or memory
    └── SilenceError                a silence's matchers or duration cannot be used

Every error carries a one-line message fit to show a user as it is: never a secret, a
key or the content of a file.
"""

import math


class MedicError(Exception):
    """Base of every error Medic raises on purpose."""


class ConfigError(MedicError):
    """Settings are missing, malformed or unsafe for the chosen profile."""


class DataError(MedicError):
    """Input data cannot be used."""


class DataFileMissing(DataError):
    """The data file does not exist."""


class EmptyData(DataError):
    """The data file holds no rows."""


class WrongColumns(DataError):
    """The data does not have the expected columns."""


class BadValues(DataError):
    """Values cannot be read as the column's type."""


class ValidationFailed(MedicError):
    """The data loaded but failed its expectations."""


class TrainingError(MedicError):
    """Training could not produce a usable model."""


class BelowMinimumF1(TrainingError):
    """The best model's F1 is under the configured minimum."""


class RegistryError(MedicError):
    """The model registry refused or could not answer."""


class AliasConflict(RegistryError):
    """An alias did not point where the caller expected (compare-and-set refused)."""


class ModelLoadError(RegistryError):
    """The champion's model files could not be loaded; the model served before stays."""


class NotFound(MedicError):
    """No such incident, approval, key, model, version or alias."""


class Expired(NotFound):
    """What was asked for existed once, and the retention removed it."""


class AlertError(MedicError):
    """The alert payload cannot be read."""


class InvalidInput(MedicError):
    """A field of a request cannot be used; the message names the field."""


class AuthError(MedicError):
    """The key is missing, unknown or revoked."""


class SignatureError(AuthError):
    """A webhook's signature or timestamp is wrong, stale or replayed."""


class Forbidden(MedicError):
    """The key is valid but its role may not do this."""


class RateLimited(MedicError):
    """Too many requests; retry after some seconds."""

    def __init__(self, retry_after: float, what: str = "rate limit exceeded") -> None:
        super().__init__(f"{what}; retry after {math.ceil(retry_after)} s")
        self.retry_after = math.ceil(retry_after)


class PolicyError(MedicError):
    """The policy gate refused an action, or a decision was already taken."""


class Conflict(MedicError):
    """Concurrent writers kept colliding; the request can be retried."""


class LLMError(MedicError):
    """The LLM could not give a usable answer."""


class Unavailable(MedicError):
    """A part Medic needs is not ready (no model loaded yet)."""

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        """Seconds after which asking again may succeed (the answer's Retry-After), if known."""


class DeliveryError(MedicError):
    """A notification channel refused a message or could not be reached (retried later)."""


class TooLarge(MedicError):
    """A request is over a configured size."""


class ReportError(MedicError):
    """A report could not be rendered (too slow, too large, or the renderer failed)."""


class SilenceError(MedicError):
    """A silence's matchers or duration cannot be used."""

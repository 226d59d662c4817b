"""Define Medic's one error tree.

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
    ├── RegistryError
    │   ├── NotFound                no such model, version or alias
    │   └── AliasConflict           compare-and-set refused: the alias moved
    ├── PolicyError                 the gate refused an action
    ├── Unavailable                 not ready yet (no model loaded)
    ├── DeliveryError               a notification channel refused or was unreachable
    └── TooLarge                    a request over a configured size

Every error carries a one-line message fit to show a user as it is.
"""


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


class NotFound(RegistryError):
    """No such model, version or alias."""


class AliasConflict(RegistryError):
    """An alias did not point where the caller expected (compare-and-set refused)."""


class PolicyError(MedicError):
    """The policy gate refused an action."""


class Unavailable(MedicError):
    """A part Medic needs is not ready (no model loaded yet)."""


class DeliveryError(MedicError):
    """A notification channel refused a message or could not be reached (retried later)."""


class TooLarge(MedicError):
    """A request is over a configured size."""

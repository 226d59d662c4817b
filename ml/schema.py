"""Describe the 14 UCI heart-disease columns as the UCI documentation gives them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column: its meaning, its kind, and the values the documentation allows."""

    name: str
    description: str
    kind: str  # "numeric" or "categorical"
    low: float | None = None
    high: float | None = None
    categories: tuple[float, ...] = ()
    max_missing: float = 0.0  # share of missing values the training data may hold

    @property
    def is_categorical(self) -> bool:
        """Return True for a column whose values come from a fixed set."""
        return self.kind == "categorical"


COLUMNS: tuple[Column, ...] = (
    Column("age", "age in years", "numeric", 18, 100),
    Column("sex", "1 = male, 0 = female", "categorical", categories=(0, 1)),
    Column(
        "cp",
        "chest pain: 1 typical angina, 2 atypical, 3 non-anginal, 4 asymptomatic",
        "categorical",
        categories=(1, 2, 3, 4),
    ),
    Column("trestbps", "resting blood pressure (mm Hg)", "numeric", 60, 240, max_missing=0.05),
    Column("chol", "serum cholesterol (mg/dl); 0 means missing", "numeric", 80, 650,
           max_missing=0.05),
    Column("fbs", "fasting blood sugar > 120 mg/dl", "categorical", categories=(0, 1),
           max_missing=0.05),
    Column("restecg", "resting ECG: 0 normal, 1 ST-T abnormality, 2 LV hypertrophy",
           "categorical", categories=(0, 1, 2), max_missing=0.05),
    Column("thalach", "maximum heart rate reached", "numeric", 50, 230, max_missing=0.05),
    Column("exang", "exercise-induced angina", "categorical", categories=(0, 1),
           max_missing=0.05),
    Column("oldpeak", "ST depression by exercise relative to rest", "numeric", -3, 7,
           max_missing=0.05),
    Column("slope", "peak exercise ST slope: 1 up, 2 flat, 3 down", "categorical",
           categories=(1, 2, 3), max_missing=0.05),
    Column("ca", "major vessels coloured by fluoroscopy (0-3)", "categorical",
           categories=(0, 1, 2, 3), max_missing=0.05),
    Column("thal", "3 normal, 6 fixed defect, 7 reversible defect", "categorical",
           categories=(3, 6, 7), max_missing=0.05),
    Column("num", "diagnosis: 0 no disease, 1-4 disease", "categorical",
           categories=(0, 1, 2, 3, 4)),
)

COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
TARGET = "num"
LABEL = "target"  # 0 = no disease, 1 = disease (num 1-4)
FEATURES: tuple[Column, ...] = tuple(c for c in COLUMNS if c.name != TARGET)
FEATURE_NAMES: tuple[str, ...] = tuple(c.name for c in FEATURES)
CATEGORICAL_FEATURES: tuple[str, ...] = tuple(c.name for c in FEATURES if c.is_categorical)
NUMERIC_FEATURES: tuple[str, ...] = tuple(c.name for c in FEATURES if not c.is_categorical)
BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}

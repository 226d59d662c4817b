"""Check a data frame against its model spec's expectations with Great Expectations."""

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from pydantic import BaseModel

from core.home import write_private
from ml.data import layout
from ml.spec import ModelSpec

log = logging.getLogger(__name__)


class Check(BaseModel):
    """The outcome of one expectation."""

    expectation: str
    column: str | None
    success: bool
    observed: str


class ValidationReport(BaseModel):
    """What passed and failed when a data set was validated."""

    source: str
    rows: int
    success: bool
    checks: list[Check]
    validated_at: datetime

    @property
    def failed(self) -> list[Check]:
        """Return the checks that failed."""
        return [c for c in self.checks if not c.success]

    def save(self, path: Path) -> Path:
        """Write the report as JSON and return its path."""
        path.parent.mkdir(parents=True, exist_ok=True)
        write_private(path, self.model_dump_json(indent=2).encode())
        return path


def expectations(spec: ModelSpec, columns: list[str]) -> list:
    """Build the expectation list from the spec's column descriptions.

    `columns` are the frame's: the spec's full layout (labelled) or its unlabelled part.
    """
    import great_expectations as gx

    suite = [gx.expectations.ExpectTableColumnsToMatchOrderedList(column_list=columns)]
    suite.append(gx.expectations.ExpectTableRowCountToBeBetween(min_value=1))
    for column in spec.columns:
        if column.name not in columns:
            continue
        if column.is_numeric_valued:
            suite.append(
                gx.expectations.ExpectColumnValuesToBeInTypeList(
                    column=column.name, type_list=["float64", "float32", "int64", "int32"]
                )
            )
        suite.append(
            gx.expectations.ExpectColumnValuesToNotBeNull(
                column=column.name, mostly=1.0 - column.max_missing
            )
        )
        if column.is_categorical:
            suite.append(
                gx.expectations.ExpectColumnValuesToBeInSet(
                    column=column.name, value_set=list(column.categories)
                )
            )
        elif column.range is not None:
            suite.append(
                gx.expectations.ExpectColumnValuesToBeBetween(
                    column=column.name, min_value=column.range[0], max_value=column.range[1]
                )
            )
        if column.mean is not None:
            suite.append(gx.expectations.ExpectColumnMeanToBeBetween(
                column=column.name, min_value=column.mean[0], max_value=column.mean[1]))
    return suite


def validate(frame: pd.DataFrame, spec: ModelSpec, *, source: str) -> ValidationReport:
    """Run the spec's expectations on a frame loaded by `ml.data.load`."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    data = frame.drop(columns=[spec.label], errors="ignore") if spec.target.label else frame
    full = layout(spec)
    labelled = spec.target.name in data.columns
    columns = full if labelled else [c for c in full if c != spec.target.name
                                     and (c in spec.feature_names
                                          or c == spec.reference.time_column)]
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch_definition = (
        context.data_sources.add_pandas("medic")
        .add_dataframe_asset(spec.name)
        .add_batch_definition_whole_dataframe("all")
    )
    suite = context.suites.add(gx.ExpectationSuite(name=spec.name))
    for expectation in expectations(spec, columns):
        suite.add_expectation(expectation)
    batch = batch_definition.get_batch(batch_parameters={"dataframe": data})
    result = batch.validate(suite)
    checks = [_check(r) for r in result.results]
    report = ValidationReport(
        source=source,
        rows=len(data),
        success=all(c.success for c in checks),
        checks=checks,
        validated_at=datetime.now(UTC),
    )
    log.info("validated %s: %d checks, %d failed", source, len(checks), len(report.failed))
    return report


def _check(result) -> Check:
    config = result.expectation_config
    kwargs = config.kwargs
    observed = result.result or {}
    if config.type == "expect_column_values_to_not_be_null":
        shown = f"{observed.get('unexpected_count') or 0} missing" + _percent(observed)
    elif "observed_value" in observed:
        shown = observed["observed_value"]
        if isinstance(shown, float):
            shown = round(shown, 3)
    elif "unexpected_percent" in observed:
        shown = f"{observed.get('unexpected_count') or 0} unexpected" + _percent(observed)
        if observed.get("partial_unexpected_list"):
            shown += f", e.g. {observed['partial_unexpected_list'][:3]}"
    else:
        shown = ""
    if isinstance(shown, list | dict):
        shown = json.dumps(shown)[:120]
    return Check(
        expectation=_describe(config.type, kwargs),
        column=kwargs.get("column"),
        success=bool(result.success),
        observed=str(shown),
    )


def _percent(observed: dict) -> str:
    """Format GX's unexpected percentage; it is None when a column holds no value at all."""
    percent = observed.get("unexpected_percent")
    return f" ({percent:.1f}%)" if isinstance(percent, int | float) else " (column empty)"


def _describe(kind: str, kwargs: dict) -> str:
    if kind == "expect_column_values_to_be_between":
        return f"values in [{kwargs['min_value']}, {kwargs['max_value']}]"
    if kind == "expect_column_values_to_be_in_set":
        return f"values in {{{', '.join(_shown(v) for v in kwargs['value_set'])}}}"
    if kind == "expect_column_values_to_not_be_null":
        return f"missing at most {1 - kwargs.get('mostly', 1.0):.0%}"
    if kind == "expect_column_mean_to_be_between":
        return f"mean in [{kwargs['min_value']}, {kwargs['max_value']}]"
    if kind == "expect_column_values_to_be_in_type_list":
        return "numeric type"
    if kind == "expect_table_columns_to_match_ordered_list":
        return "the spec's columns, in order"
    if kind == "expect_table_row_count_to_be_between":
        return "at least one row"
    return kind


def _shown(value) -> str:
    """Return a category as written: 3 rather than 3.0."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def default_report_path(home: Path, source: str) -> Path:
    """Return where a validation report for `source` is kept."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return home / "validation" / f"{Path(source).name}-{stamp}.json"

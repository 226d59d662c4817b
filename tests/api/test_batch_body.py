"""The fast batch reader accepts nothing the Patient model refuses, and reads it the same."""

import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from api import batch_body
from api.schemas import BatchRequest
from services.predictions import rows
from tests.api.conftest import PATIENT

VALUES = st.one_of(st.none(), st.booleans(), st.integers(-10, 700),
                   st.floats(allow_nan=False, allow_infinity=False, width=32),
                   st.sampled_from(["1", "63", "x", ""]), st.just([1]))
ROWS = st.dictionaries(st.sampled_from([*PATIENT, "extra"]), VALUES).map(
    lambda changes: {**PATIENT, **changes})


@settings(max_examples=300, deadline=None)
@given(st.lists(ROWS, min_size=0, max_size=3))
def test_fast_reader_agrees_with_the_model(patients):
    body = json.dumps({"patients": patients}).encode()
    fast = batch_body.features(body)
    try:
        slow = rows(BatchRequest.model_validate_json(body).patients)
    except ValidationError:
        slow = None
    if fast is not None:
        assert slow is not None and np.array_equal(fast, slow, equal_nan=True)


def test_a_bad_row_in_ten_thousand_is_a_422_naming_row_and_field(api):
    patients = [PATIENT] * 10_000
    patients[7_345] = {**PATIENT, "thalach": 900}
    reply = api.post("/v1/predict/batch", json={"patients": patients},
                     headers=api.as_role("predictor"))
    assert reply.status_code == 422
    assert reply.json()["errors"] == [{"field": "patients.7345.thalach",
                                       "problem": "Input should be less than or equal to 230"}]

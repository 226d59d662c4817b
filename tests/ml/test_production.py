"""The production training set: predictions joined with feedback, once each, in time order."""

from datetime import timedelta

from core.clock import utcnow
from core.db import connect
from ml.training import production
from tests.ml.conftest import log_traffic


def test_only_labelled_rows_in_time_order_each_case_once(settings, site):
    sessions = connect(settings.database_url)
    va = site("va").head(40)
    start = utcnow() - timedelta(hours=2)
    log_traffic(sessions, va.head(20), start=start, version="1", prefix="a")
    log_traffic(sessions, va.head(5), start=start + timedelta(hours=1), version="1",
                prefix="again")  # the same five patients with the same labels
    log_traffic(sessions, va.iloc[20:40], start=start + timedelta(minutes=30), version="1",
                prefix="unlabelled", labelled=False)

    rows = production.labelled(sessions)

    assert len(rows) == 20
    assert rows["created_at"].is_monotonic_increasing
    assert rows["target"].tolist() == va.head(20)["target"].tolist()


def test_labels_since_counts_labels_received_after_a_moment(settings, site):
    sessions = connect(settings.database_url)
    start = utcnow() - timedelta(hours=3)
    log_traffic(sessions, site("hungarian").head(10), start=start, version="1")

    assert production.labels_since(sessions, start) == 10
    assert production.labels_since(sessions, start + timedelta(hours=1)) == 0


def test_split_in_time_judges_on_the_latest_rows(settings, site):
    sessions = connect(settings.database_url)
    log_traffic(sessions, site("va").head(50), start=utcnow() - timedelta(hours=2),
                version="1")
    rows = production.labelled(sessions)

    fit, judge = production.split_in_time(rows, 0.3)

    assert (len(fit), len(judge)) == (35, 15)
    assert fit["created_at"].max() < judge["created_at"].min()

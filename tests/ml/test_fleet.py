"""Which models are served, under which registered names; a broken spec is left out."""

import logging
import shutil

import pytest
import yaml

from core.errors import NotFound
from core.settings import PROJECT_ROOT
from ml.registry.aliases import open_registry
from ml.serving.fleet import Fleet
from tests.conftest import make_settings

SPECS = PROJECT_ROOT / "configs" / "models"


def test_each_model_has_its_registered_name_and_a_broken_spec_is_skipped(tmp_path, caplog):
    folder = tmp_path / "models"
    folder.mkdir()
    shutil.copy(SPECS / "heart-disease.yaml", folder)
    bike = yaml.safe_load((SPECS / "bike-demand.yaml").read_text())
    (folder / "bike-demand.yaml").write_text(yaml.safe_dump({**bike,
                                                             "registry_name": "bikes-dc"}))
    (folder / "plain.yaml").write_text(yaml.safe_dump({**bike, "name": "plain"}))
    (folder / "broken.yaml").write_text("name: broken\ntask: regression\n")
    settings = make_settings(tmp_path / "medic", models_dir=folder, model_name="hd-legacy")
    with caplog.at_level(logging.ERROR):
        fleet = Fleet(settings, open_registry(settings), on_load_failure=lambda _n: None,
                      on_reload=lambda _n, _v: None)
    assert fleet.names == ["heart-disease", "bike-demand", "plain"]  # the default first
    assert [fleet.get(n).registry.name for n in fleet.names] == [
        "hd-legacy", "bikes-dc", "plain"]  # MEDIC_MODEL_NAME stays the default's
    assert "model spec skipped: broken.yaml" in caplog.text
    assert [s.classifier for s in fleet] == [True, False, False]
    with pytest.raises(NotFound, match=r"^no model 'broken'; known: heart-disease, "
                                       r"bike-demand, plain$"):
        fleet.get("broken")
    fleet.load()  # nothing trained: nothing served, nothing raised
    assert all(s.serving.current is None for s in fleet)


def test_a_spec_added_while_serving_is_served_and_unknown_names_rescan_at_most_every_2s(
        tmp_path, monkeypatch):
    from types import SimpleNamespace

    from ml import spec as specs
    from ml.serving import fleet as fleets

    folder = tmp_path / "models"
    folder.mkdir()
    shutil.copy(SPECS / "heart-disease.yaml", folder)
    settings = make_settings(tmp_path / "medic", models_dir=folder)
    now, scans, every = [100.0], [], specs.every
    monkeypatch.setattr(fleets, "time", SimpleNamespace(monotonic=lambda: now[0]))
    monkeypatch.setattr(fleets.specs, "every", lambda s: scans.append(1) or every(s))
    fleet = Fleet(settings, open_registry(settings), on_load_failure=lambda _n: None,
                  on_reload=lambda _n, _v: None)
    added = []
    fleet.on_added = added.append
    assert len(scans) == 1

    for _ in range(3):  # a burst of bad names: one read of the folder
        with pytest.raises(NotFound, match=r"^no model 'nope'; known: heart-disease$"):
            fleet.get("nope")
    assert len(scans) == 2
    bike = yaml.safe_load((SPECS / "bike-demand.yaml").read_text())
    (folder / "bikes.yaml").write_text(yaml.safe_dump({**bike, "name": "bikes"}))
    now[0] += 1.0  # within the 2 s: not read yet
    with pytest.raises(NotFound):
        fleet.get("bikes")
    now[0] += 1.5
    served = fleet.get("bikes")
    assert len(scans) == 3 and added == [served]  # the app counts its answers from now on
    assert (served.name, served.classifier, served.registry.name) == ("bikes", False, "bikes")
    assert fleet.names == ["heart-disease", "bikes"] and fleet.get("bikes") is served
    assert len(scans) == 3  # a known name never reads the folder


def test_one_read_a_poll_follows_every_model_and_loads_only_those_whose_champion_moved(
        tmp_path, monkeypatch):
    import threading
    from datetime import UTC, datetime

    from core.tables import RegistryEvent, ServingGeneration
    from tests.processes import wait_for

    folder = tmp_path / "models"
    folder.mkdir()
    shutil.copy(SPECS / "heart-disease.yaml", folder)
    bike = yaml.safe_load((SPECS / "bike-demand.yaml").read_text())
    for name in ("bike-demand", "plain"):
        (folder / f"{name}.yaml").write_text(yaml.safe_dump({**bike, "name": name}))
    settings = make_settings(tmp_path / "medic", models_dir=folder)
    registry = open_registry(settings)
    fleet = Fleet(settings, registry, on_load_failure=lambda _n: None,
                  on_reload=lambda _n, _v: None)
    with registry.sessions.begin() as session:  # bike-demand: champion 1, then 2; plain: none
        session.add_all([RegistryEvent(model="bike-demand", action="promote", alias="champion",
                                       version=v, actor="tests", at=datetime.now(UTC))
                         for v in ("1", "2")])
        session.add(ServingGeneration(model="bike-demand", generation=3))
    reads, loads, release = [], [], threading.Event()
    followed = registry.followed
    monkeypatch.setattr(registry, "followed", lambda names: reads.append(sorted(names))
                        or followed(names))
    def load(name):  # a champion that takes its time to load, and loads nothing new
        loads.append(name)
        release.wait(60)

    for served in fleet:
        served.serving.reload = lambda name=served.name: load(name)

    fleet.start_others()  # watched from now on; the thread is not started: looks by hand
    assert followed(["bike-demand", "plain", "nobody"]) == {
        "bike-demand": ("2", 3), "plain": (None, 0), "nobody": (None, 0)}
    fleet.look()
    fleet.look()  # bike-demand still loading: not handed over again
    wait_for(lambda: loads, timeout=10, what="bike-demand's load")
    release.set()
    assert reads == [["bike-demand", "plain"]] * 2  # one read a poll for every model
    assert loads == ["bike-demand"]  # plain has no champion, the default is not watched yet
    fleet.close()

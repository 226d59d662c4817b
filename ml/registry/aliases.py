"""Manage the registered model's aliases: champion, challenger, previous.

Promote and roll back are compare-and-set: the caller names the version it expects the
champion to be, and the change is refused if the alias moved meanwhile. Alias changes
are serialised through a lock row in the app database and recorded there as history.

Every registration and alias change also records the model's versions as MLflow then holds
them (`model_facts`), so read-only answers (`recorded_*`) need no MLflow: its import and
store cost seconds a person waits for. A model with no record yet is filled from MLflow on
its first read.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from core.clock import Clock, utcnow
from core.errors import AliasConflict, NotFound
from core.tables import (
    ModelArtifact,
    ModelFacts,
    RegistryEvent,
    RegistryLock,
    ServingGeneration,
)
from ml.registry.client import lazy_client

log = logging.getLogger(__name__)

CHAMPION, CHALLENGER, PREVIOUS = "champion", "challenger", "previous"

_recorded: ContextVar[dict[str, list] | None] = ContextVar("medic_recorded_versions",
                                                          default=None)


@contextmanager
def recorded_as(records: dict[str, list] | None) -> Iterator[None]:
    """Answer `recorded_versions` from records already read (registry name: versions) meanwhile.

    The worker reads the record with its claim, in the claim's transaction; the agent's run
    inside this block then reads no more. A change Medic makes to a model's aliases during
    the block forgets that model's record here, so the next read is the database's again.
    """
    token = _recorded.set(dict(records) if records else None)
    try:
        yield
    finally:
        _recorded.reset(token)


class VersionInfo(BaseModel):
    """One registered version with the metrics of the run that made it."""

    version: str
    run_id: str | None
    aliases: list[str]
    model_type: str | None
    metrics: dict[str, float]
    created_at: datetime
    data_version: str | None = None
    """The DVC hash of the data folder the version was trained on."""
    training_set_md5: str | None = None
    """A remediation retrain's snapshotted training set."""


class HistoryEntry(BaseModel):
    """One alias change."""

    action: str
    alias: str
    version: str
    replaced: str | None
    actor: str
    reason: str
    at: datetime


class ChampionArtifact(BaseModel):
    """Where the champion's files are, and its compiled scorer if one was stored."""

    version: str
    uri: str | None = None
    scorer: dict | None = None


class Registry:
    """The model registry as the agent and the API see it."""

    def __init__(self, client, sessions: sessionmaker, name: str, *,
                 clock: Clock = utcnow) -> None:
        self._client = client
        self._sessions = sessions
        self._clock = clock
        self.name = name

    @property
    def sessions(self) -> sessionmaker:
        """Return the app database's session factory (where history and locks live)."""
        return self._sessions

    def named(self, name: str) -> "Registry":
        """Return the registry of another registered model, over the same stores."""
        return self if name == self.name else Registry(self._client, self._sessions, name,
                                                       clock=self._clock)

    def recorded_champion(self) -> str | None:
        """Return the champion version the app database last recorded (no MLflow), or None."""
        with self._sessions() as session:
            return session.scalar(
                select(RegistryEvent.version)
                .where(RegistryEvent.model == self.name, RegistryEvent.alias == CHAMPION)
                .order_by(RegistryEvent.id.desc()).limit(1))

    # -- reading -----------------------------------------------------------------------

    def alias(self, alias: str) -> str | None:
        """Return the version an alias points to, or None."""
        from mlflow.exceptions import MlflowException

        try:
            return str(self._client.get_model_version_by_alias(self.name, alias).version)
        except MlflowException:
            return None

    def champion(self) -> VersionInfo | None:
        """Return the current champion with its metrics, or None if there is none."""
        version = self.alias(CHAMPION)
        return self.version(version) if version else None

    def version(self, version: str) -> VersionInfo:
        """Return one version; raise NotFound if it does not exist."""
        from mlflow.exceptions import MlflowException

        try:
            found = self._client.get_model_version(self.name, str(version))
        except MlflowException as error:
            raise NotFound(f"model {self.name!r} has no version {version}") from error
        return self._info(found)

    def versions(self) -> list[VersionInfo]:
        """Return every version, newest first (from MLflow)."""
        return self._from_mlflow({})

    def recorded_versions(self) -> list[VersionInfo]:
        """Return every version, newest first, as recorded at the last change (no MLflow).

        The first read of a model with no record (a home from before the record was kept)
        fills it from MLflow.
        """
        known = (_recorded.get() or {}).get(self.name)
        if known is None:
            with self._sessions() as session:
                known = self.read_record(session)
        if known is not None:
            return [VersionInfo.model_validate(v) for v in known]
        infos = self._from_mlflow({})
        try:
            with self._sessions.begin() as session:
                if session.get(ModelFacts, self.name) is None:
                    session.add(_facts(self.name, infos, self._clock()))
        except IntegrityError:
            log.debug("facts of %s recorded by another process meanwhile", self.name)
        return infos

    def read_record(self, session: Session) -> list[dict] | None:
        """Return the versions as recorded (JSON rows), in the caller's session; None if none."""
        return session.scalar(select(ModelFacts.versions).where(ModelFacts.model == self.name))

    def recorded_alias(self, alias: str) -> str | None:
        """Return the version an alias points to as recorded (no MLflow), or None."""
        return next((v.version for v in self.recorded_versions() if alias in v.aliases), None)

    def recorded_version(self, version: str) -> VersionInfo:
        """Return one version as recorded; one Medic did not record is asked of MLflow."""
        found = next((v for v in self.recorded_versions() if v.version == str(version)), None)
        return found or self.version(version)

    def newer_versions(self, than: str) -> list[str]:
        """Return the versions registered after `than` and ready to load, oldest first.

        One MLflow call (the registered name's versions); a version still being registered
        (or whose registration failed) is left for a later look.
        """
        found = self._client.search_model_versions(f"name='{self.name}'")
        return sorted((str(v.version) for v in found
                       if int(v.version) > int(than)
                       and str(getattr(v, "status", "READY") or "READY").endswith("READY")),
                      key=int)

    def remember_artifact(self, version: str) -> None:
        """Record where a version registered outside Medic keeps its files (serving reads it)."""
        with self._sessions.begin() as session:
            session.merge(ModelArtifact(model=self.name, version=str(version),
                                        uri=self.download_uri(version), scorer=None))

    def registered(self) -> bool:
        """Say whether MLflow holds a registered model of this name."""
        from mlflow.exceptions import MlflowException

        try:
            self._client.get_registered_model(self.name)
        except MlflowException:
            return False
        return True

    def download_uri(self, version: str) -> str:
        """Return where a version's files are (what serving loads)."""
        return self._client.get_model_version_download_uri(self.name, str(version))

    def source(self, version: str) -> str:
        """Return where a version's model artifact lives (to register it again)."""
        return self._client.get_model_version(self.name, str(version)).source

    def history(self) -> list[HistoryEntry]:
        """Return the alias changes, oldest first."""
        with self._sessions() as session:
            rows = session.scalars(
                select(RegistryEvent).where(RegistryEvent.model == self.name)
                .order_by(RegistryEvent.id)
            )
            return [HistoryEntry.model_validate(r, from_attributes=True) for r in rows]

    def champion_artifact(self, *, ask_mlflow: bool = True) -> ChampionArtifact | None:
        """Return the champion's version, artifact URI and scorer from the app database.

        No MLflow: the app database records every alias change Medic makes. A home whose
        history is empty (aliases moved outside Medic) falls back to asking MLflow, unless
        `ask_mlflow` is False.
        """
        version = self.recorded_champion()
        if version is not None:
            with self._sessions() as session:
                found = session.get(ModelArtifact, (self.name, version))
                return ChampionArtifact(version=version, uri=found and found.uri,
                                        scorer=found and found.scorer)
        version = self.alias(CHAMPION) if ask_mlflow else None
        return ChampionArtifact(version=version) if version else None

    def artifact(self, version: str) -> ChampionArtifact | None:
        """Return where a registered version's files are, and its stored scorer (no MLflow).

        None for a version Medic did not register (its files are then MLflow's to find).
        """
        with self._sessions() as session:
            found = session.get(ModelArtifact, (self.name, str(version)))
            return ChampionArtifact(version=str(version), uri=found.uri, scorer=found.scorer) \
                if found is not None else None

    def remember_scorer(self, version: str, scorer: dict) -> None:
        """Store a version's compiled scorer so the next start needs no scikit-learn."""
        with self._sessions.begin() as session:
            found = session.get(ModelArtifact, (self.name, str(version)))
            if found is not None:
                found.scorer = scorer

    def load(self, alias_or_version: str = CHAMPION):
        """Load a version's fitted pipeline (by alias or number) for in-process scoring."""
        import mlflow.sklearn

        _ = self._client.tracking_uri  # a lazy client points MLflow at Medic's stores first
        ref = f"@{alias_or_version}" if not str(alias_or_version).isdigit() else (
            f"/{alias_or_version}")
        return mlflow.sklearn.load_model(f"models:/{self.name}{ref}")

    def load_pyfunc(self, version: str):
        """Load a version as an MLflow pyfunc: any flavour (a model trained outside Medic)."""
        import mlflow.pyfunc

        _ = self._client.tracking_uri  # a lazy client points MLflow at Medic's stores first
        return mlflow.pyfunc.load_model(f"models:/{self.name}/{version}")

    def followed(self, names: list[str]) -> dict[str, tuple[str | None, int]]:
        """Return each named model's recorded champion and reload generation, in one read.

        What a serving process polls for all its models at once (`ml.serving.fleet`): one
        read a poll whatever the number of models, where each model's own watcher read
        three times. A model with no recorded champion has None; no reload asked, 0.
        """
        with self._sessions() as session:
            latest = (select(func.max(RegistryEvent.id))
                      .where(RegistryEvent.model.in_(names), RegistryEvent.alias == CHAMPION)
                      .group_by(RegistryEvent.model))
            champions = dict(session.execute(select(RegistryEvent.model, RegistryEvent.version)
                                             .where(RegistryEvent.id.in_(latest))).all())
            generations = dict(session.execute(
                select(ServingGeneration.model, ServingGeneration.generation)
                .where(ServingGeneration.model.in_(names))).all())
        return {name: (champions.get(name), generations.get(name) or 0) for name in names}

    def reload_generation(self) -> int:
        """Return how many reloads were requested so far (serving processes follow it)."""
        with self._sessions() as session:
            return session.scalar(select(ServingGeneration.generation).where(
                ServingGeneration.model == self.name)) or 0

    # -- changing ----------------------------------------------------------------------

    def request_reload(self, *, actor: str) -> int:
        """Ask every serving process to reload the champion; return the new generation."""
        try:
            with self._sessions.begin() as session:
                if session.get(ServingGeneration, self.name) is None:
                    session.add(ServingGeneration(model=self.name, generation=0))
        except IntegrityError:
            log.debug("serving generation row for %s created by another process", self.name)
        with self._sessions.begin() as session:
            session.execute(update(ServingGeneration)
                            .where(ServingGeneration.model == self.name)
                            .values(generation=ServingGeneration.generation + 1,
                                    requested_by=actor[:200], requested_at=self._clock()))
            generation = session.scalar(select(ServingGeneration.generation).where(
                ServingGeneration.model == self.name))
        log.info("%s: reload requested by %s (generation %d)", self.name, actor, generation)
        return generation

    def register(self, model_uri: str, *, model_type: str) -> str:
        """Register a logged model as a new version (no alias yet); return its number."""
        import mlflow

        from ml.registry.tracking import quiet_prints
        from ml.serving.model import scorer_spec

        _ = self._client.tracking_uri  # a lazy client points MLflow at Medic's stores first
        quiet_prints()
        version = str(mlflow.register_model(model_uri, self.name).version)
        self._client.set_model_version_tag(self.name, version, "model_type", model_type)
        uri = self._client.get_model_version_download_uri(self.name, version)
        with self._sessions.begin() as session:
            session.merge(ModelArtifact(model=self.name, version=version, uri=uri,
                                        scorer=scorer_spec(uri)))
        with self._locked() as session:
            self._remember(session)
        return version

    def promote(self, version: str, *, expected: str | None, actor: str, reason: str) -> None:
        """Make `version` champion if the champion is still `expected`; keep the old as previous."""
        self.version(version)
        with self._locked() as session:
            current = self._expect(expected)
            if current == str(version):
                return
            if current:
                self._client.set_registered_model_alias(self.name, PREVIOUS, current)
            self._client.set_registered_model_alias(self.name, CHAMPION, str(version))
            if self.alias(CHALLENGER) == str(version):
                self._client.delete_registered_model_alias(self.name, CHALLENGER)
            self._record(session, "promote", CHAMPION, version, current, actor, reason)
            self._remember(session)

    def adopt(self, version: str, *, actor: str, reason: str) -> str | None:
        """Make a version registered outside Medic champion, recorded as Medic's own move.

        For a model trained elsewhere (`medic models add`): its files' location is recorded
        (no stored scorer: it is scored as it was logged), the champion alias is set (the
        one it replaces becomes previous), and the change and the versions are recorded
        even when MLflow already named it champion, so serving and the monitors, which
        read Medic's record, know it. Return the champion it replaced, or None.
        """
        self.version(version)
        with self._sessions.begin() as session:
            session.merge(ModelArtifact(model=self.name, version=str(version),
                                        uri=self.download_uri(version), scorer=None))
        with self._locked() as session:
            current = self.alias(CHAMPION)
            replaced = current if current != str(version) else None
            if replaced:
                self._client.set_registered_model_alias(self.name, PREVIOUS, replaced)
            self._client.set_registered_model_alias(self.name, CHAMPION, str(version))
            self._record(session, "promote", CHAMPION, version, replaced, actor, reason)
            self._remember(session)
        return replaced

    def set_challenger(self, version: str, *, actor: str, reason: str) -> None:
        """Point the challenger alias at `version`."""
        self.version(version)
        with self._locked() as session:
            replaced = self.alias(CHALLENGER)
            self._client.set_registered_model_alias(self.name, CHALLENGER, str(version))
            self._record(session, "challenger", CHALLENGER, version, replaced, actor, reason)
            self._remember(session)

    def rollback(self, *, expected: str, actor: str, reason: str) -> str:
        """Restore the previous champion if the champion is still `expected`; return it."""
        with self._locked() as session:
            current = self._expect(expected)
            restored = self.alias(PREVIOUS)
            if restored is None:
                raise NotFound(f"model {self.name!r} has no previous champion to roll back to")
            self._client.set_registered_model_alias(self.name, CHAMPION, restored)
            self._client.set_model_version_tag(self.name, current, "rolled_back", "true")
            before = self._champion_before(session, restored, exclude=current)
            if before:
                self._client.set_registered_model_alias(self.name, PREVIOUS, before)
            else:
                self._client.delete_registered_model_alias(self.name, PREVIOUS)
            self._record(session, "rollback", CHAMPION, restored, current, actor, reason)
            self._remember(session)
            return restored

    # -- internals ---------------------------------------------------------------------

    def _expect(self, expected: str | None) -> str | None:
        current = self.alias(CHAMPION)
        if current != (str(expected) if expected is not None else None):
            raise AliasConflict(
                f"champion of {self.name!r} is {current or 'unset'}, "
                f"not {expected or 'unset'} as expected; nothing changed"
            )
        return current

    @contextmanager
    def _locked(self) -> Iterator[Session]:
        self._ensure_lock_row()
        with self._sessions.begin() as session:
            session.execute(
                update(RegistryLock).where(RegistryLock.model == self.name)
                .values(changes=RegistryLock.changes + 1)
            )
            yield session

    def _ensure_lock_row(self) -> None:
        try:
            with self._sessions.begin() as session:
                if session.get(RegistryLock, self.name) is None:
                    session.add(RegistryLock(model=self.name, changes=0))
        except IntegrityError:
            log.debug("lock row for %s created by another process", self.name)

    def _champion_before(self, session: Session, version: str, exclude: str) -> str | None:
        """Return the version `version` replaced when it last became champion."""
        row = session.scalars(
            select(RegistryEvent)
            .where(RegistryEvent.model == self.name, RegistryEvent.alias == CHAMPION,
                   RegistryEvent.version == str(version), RegistryEvent.action == "promote")
            .order_by(RegistryEvent.id.desc())
        ).first()
        if row is None or row.replaced in (None, exclude):
            return None
        return row.replaced

    def _record(self, session, action, alias, version, replaced, actor, reason) -> None:
        session.add(RegistryEvent(
            model=self.name, action=action, alias=alias, version=str(version),
            replaced=replaced, actor=actor, reason=reason, at=self._clock(),
        ))
        log.info("%s: %s %s -> %s (was %s) by %s", self.name, action, alias, version,
                 replaced, actor)

    def _remember(self, session: Session) -> None:
        """Record the versions as MLflow holds them now, in the caller's locked transaction.

        Every version is read again (its run's metrics may have been logged since), so the
        record equals MLflow after each change Medic makes.
        """
        (_recorded.get() or {}).pop(self.name, None)  # a record read before is stale now
        found = session.get(ModelFacts, self.name)
        infos = self._from_mlflow({})
        if found is None:
            session.add(_facts(self.name, infos, self._clock()))
        else:
            found.versions = [v.model_dump(mode="json") for v in infos]
            found.updated_at = self._clock()

    def _from_mlflow(self, known: dict[str, VersionInfo]) -> list[VersionInfo]:
        """Return every version with MLflow's aliases now, newest first; `known` saves lookups."""
        found = self._client.search_model_versions(f"name='{self.name}'")
        if not found:
            return []
        aliases = self._client.get_registered_model(self.name).aliases or {}
        infos = sorted((known.get(str(v.version)) or self._info(v) for v in found),
                       key=lambda v: -int(v.version))
        for info in infos:
            info.aliases = sorted(a for a, v in aliases.items() if str(v) == info.version)
        return infos

    def _info(self, found) -> VersionInfo:
        metrics: dict[str, float] = {}
        model_type = found.tags.get("model_type") if found.tags else None
        lineage: dict[str, str] = {}
        if found.run_id:
            run = self._client.get_run(found.run_id)
            metrics = {k: v for k, v in run.data.metrics.items() if k.startswith("test_")}
            model_type = model_type or run.data.params.get("model")
            lineage = self._lineage(run)
        return VersionInfo(
            version=str(found.version),
            run_id=found.run_id,
            aliases=list(found.aliases or []),
            model_type=model_type,
            metrics=metrics,
            created_at=datetime.fromtimestamp(found.creation_timestamp / 1000, UTC),
            data_version=lineage.get("data_version"),
            training_set_md5=lineage.get("training_set_md5"),
        )

    def _lineage(self, run) -> dict[str, str]:
        """Return the data hashes tagged on a version's training run (its parent run's)."""
        tags = dict(run.data.tags)
        parent = tags.get("mlflow.parentRunId")
        if parent and "data_version" not in tags:
            from mlflow.exceptions import MlflowException

            try:
                tags = {**self._client.get_run(parent).data.tags, **tags}
            except MlflowException:
                log.debug("run %s of %s has no parent run any more", run.info.run_id, self.name)
        return {k: tags[k] for k in ("data_version", "training_set_md5") if k in tags}


def _facts(model: str, infos: list[VersionInfo], at: datetime) -> ModelFacts:
    return ModelFacts(model=model, versions=[v.model_dump(mode="json") for v in infos],
                      updated_at=at)


def open_registry(settings, *, clock: Clock = utcnow) -> Registry:
    """Build the registry over Medic's app database; MLflow is opened on first use."""
    from core.audit_seal import Seal
    from core.db import connect

    sessions = connect(settings.database_url, seal=Seal.of(settings))
    return Registry(lazy_client(settings), sessions, settings.model_name, clock=clock)

"""Describe one notification: what happened, how bad, what waits for whom, and where to go."""

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["approval", "escalation", "expiry", "outcome", "silence"]
Severity = Literal["low", "medium", "high"]
SEVERITY_RANK = {None: 0, "low": 1, "medium": 2, "high": 3}
COLUMNS = re.compile(r"\S {2,}\S")  # a fixed-width table's line: columns padded with spaces


class Message(BaseModel):
    """A message for people, with the fields every channel renders in its own way."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Kind = "outcome"
    subject: str = Field(..., min_length=1, max_length=500)
    body: str = ""
    severity: Severity | None = None
    incident_id: int | None = None
    diagnosis: list[str] = Field(default_factory=list)
    actions: list[str] = Field(default_factory=list)
    expires_at: datetime | None = None
    link: str | None = None
    approval_id: int | None = None
    """The approval this message asks for (kind `approval`): Slack draws its buttons."""
    digest: str | None = None
    """The digest of the plan asked for: a button decides only while it still matches."""
    mentions: list[str] = Field(default_factory=list)
    """Slack user ids to mention: the people an escalation asks."""
    recipients: list[str] = Field(default_factory=list)
    """Addresses to mail instead of the configured ones: the people an escalation asks."""

    @property
    def asks_for_decision(self) -> bool:
        """Say whether the message asks for a decision on a plan it names (buttons, links)."""
        return (self.kind in ("approval", "escalation") and self.approval_id is not None
                and bool(self.digest))

    def facts(self) -> list[tuple[str, str]]:
        """Return the labelled fields that are set, in reading order."""
        facts = [("Kind", self.kind)]
        if self.severity:
            facts.append(("Severity", self.severity))
        if self.incident_id is not None:
            facts.append(("Incident", str(self.incident_id)))
        if self.expires_at is not None:
            facts.append(("Expires", self.expires_at.strftime("%Y-%m-%d %H:%M UTC")))
        return facts

    def text(self, decisions: Sequence[tuple[str, str]] = ()) -> str:
        """Render as plain text (the email body), with the reader's decision links if any."""
        lines = [self.subject, ""]
        lines += [f"{label}: {value}" for label, value in self.facts()]
        if self.body:
            lines += ["", self.body]
        if self.diagnosis:
            lines += ["", "Diagnosis:"] + [f"- {line}" for line in self.diagnosis]
        if self.actions:
            lines += ["", "Actions waiting:"] + [f"- {line}" for line in self.actions]
        if decisions:
            lines += [""] + [f"{label}: {url}" for label, url in decisions]
            lines += ["(each link asks you to confirm on a page; it works once, for you only)"]
        if self.link:
            lines += ["", f"Open: {self.link}"]
        return "\n".join(lines) + "\n"


def pieces(text: str) -> list[tuple[str, bool]]:
    """Split text into prose and fixed-width tables: [(text, is_table)], in order.

    A table is two or more consecutive lines whose columns are padded with spaces (the
    promotion gate's table, say); each channel sets it in its own fixed-width form.
    """
    found: list[tuple[list[str], bool]] = []
    for line in text.split("\n"):
        table = bool(COLUMNS.search(line))
        if found and found[-1][1] == table:
            found[-1][0].append(line)
        else:
            found.append(([line], table))
    merged: list[tuple[str, bool]] = []
    for lines, table in found:
        table = table and len(lines) >= 2
        joined = "\n".join(lines)
        if merged and not table and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + "\n" + joined, False)
        else:
            merged.append((joined, table))
    return [(t, table) for t, table in merged if t.strip()]

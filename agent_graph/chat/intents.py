"""Tell what a question asks, the way people ask it: lowercase, typos, half sentences.

Asking Medic to act comes first and is never read as a question: a request to approve,
reject, roll back, retrain, promote, reload or silence gets the answer that chat does not
act and how to do it. `tests/agent_graph/chat_phrasings.yaml` holds the phrasings this is
measured on.
"""

import re
from dataclasses import dataclass

# Acting verbs, with the usual misspellings, and the tool or command each one means.
ACTS = {
    "approve": r"approve|aprove|approv|accept|sign off|ok the|okay the|greenlight",
    "reject": r"reject|deny|decline|refuse",
    "rollback": r"roll ?(it |the model |this )?back|rollback|revert|go back to|restore",
    "retrain": r"re-?train|retrian|retain the model|train (it |the model )?again",
    "promote": r"promote|deploy|ship|make (v|version ?)\d+ (the )?champion",
    "reload": r"reload|restart|redeploy",
    "silence": r"silence|mute|snooze|ack(nowledge)?\b|kill|dismiss|clear|stop",
    "fix": r"fix|heal|remediate|resolve|close",
}
ACT = re.compile(r"\b(?:" + "|".join(f"(?P<{k}>{v})" for k, v in ACTS.items()) + r")", re.I)
GREETING = r"^\s*(?:(?:hey|hi|ok|okay|yo|so|now|medic|bot)[\s,!:]+)*"
# After a greeting, these open a request to do something ("can you roll back?").
ASKING = (r"(?:please|pls|plz|kindly|just|go ahead and|can you|could you|would you|will you|"
          r"cn u|can u|i want you to|i need you to|you should|let'?s|lets|should (?:we|i|you))")
REQUEST = re.compile(GREETING + rf"(?:{ASKING}[\s,]+)*(?P<verb>\w[\w\s-]{{0,20}})", re.I)
ASKS = re.compile(GREETING + ASKING + r"\b", re.I)
READ_OPENERS = re.compile(
    GREETING + r"(?:why|when|what|whats|which|who|how|is|are|was|were|did|does|do|has|have|"
    r"any|anything|show|list|tell|since|give|status|summary|explain)\b", re.I)
NUMBER = re.compile(r"(?:#|\bno\.?\s*|\b(?:incident|approval|version|v)\s*#?)\s*(\d+)", re.I)
VERSION = re.compile(r"\b(?:version|v)\s*#?\s*(\d+)", re.I)
INCIDENT = re.compile(r"\b(?:incident|inc|issue)\s*#?\s*(\d+)|#(\d+)", re.I)

WHY = re.compile(r"\bwhy\b|\bwhy'?d\b|\bhow come\b|what made you|reason (?:for|you)|\bwhat for\b",
                 re.I)
# What an agent did, as people name it in a "why did you …?"
DONE = {
    "retrain": r"re-?train|retrian|train",
    "rollback": r"roll(ed)? ?back|revert",
    "promote": r"promot|deploy|switch",
    "reload_model": r"reload|restart",
    "notify": r"notif|email|mail|page|paging|slack|message|ping",
    "escalate": r"escalat",
}
SINCE = re.compile(r"\bsince when\b|\bhow long\b|\bsince\b|\bwhen (?:did|was|were|has|is)\b.*"
                   r"\b(?:champion|promot|production|prod|serv|deploy|live|switch|replac|"
                   r"become|became|start)", re.I)
ROLLED_BACK = re.compile(r"roll(ed)? ?back|revert", re.I)
WRONG = re.compile(
    r"\b(?:wrong|broken|broke|brokn|problem|problems|issue|issues|going on|goin on|"
    r"what'?s up|whats up|status|summary|summarize|overview|on fire|fail\w*|red|bad|"
    r"trouble|healthy|health|happening|situation|sitrep|critical|firing)\b", re.I)
MODEL_OK = re.compile(
    r"\b(?:is|are|does|how'?s|hows|how is|how are)\b.*\b(?:ok|okay|o\.k\.|fine|good|"
    r"healthy|alright|all right|working|doing|performing|holding up|accurate)\b|"
    r"\b(?:f1|accura\w*|performance|performing|precision|recall)\b", re.I)
EVERYTHING = re.compile(r"\b(?:everything|all)\b.*\b(?:ok|okay|fine|good|alright|all right)\b|"
                        r"\b(?:should|need to) know\b", re.I)
DRIFT = re.compile(r"\bdrift\w*|\bdrfit|\bshift\w*|\bdistribution", re.I)
APPROVALS = re.compile(r"\bpending|\bwaiting|\bapprov\w*|\baprov\w*|\bsign.?off|\bdecide\b|"
                       r"\bdecision", re.I)
REGISTRY = re.compile(r"\b(?:which|what)\b.*\b(?:model|version|champion)\b|\bin production\b|"
                      r"\bin prod\b|\bchampion\b|\bserving\b|\bwhich version\b", re.I)
RECENT = re.compile(r"\bhappen\w*|\bincident\w*|\balert\w*|\btoday\b|\blast night\b|"
                    r"\brecent\w*|\byesterday\b", re.I)
AUDIT = re.compile(r"\baudit\w*|\btamper\w*|\bhash.?chain", re.I)
HELP = re.compile(r"^\s*(?:help|\?|what can you (?:do|answer)|how do i use (?:you|this))\W*$",
                  re.I)


@dataclass(frozen=True)
class Intent:
    """What a question asks: an intent, and the number or action it names."""

    name: str
    number: int | None = None
    act: str | None = None


def mentioned(question: str, models: list[str]) -> str | None:
    """Return the model a question names, or None.

    A model is named by its full name, or by the first part of it ("bike" for bike-demand)
    when no other model's name starts the same way.
    """
    words = set(re.findall(r"[\w-]+", question.lower()))
    for name in models:
        if name.lower() in words:
            return name
    firsts: dict[str, list[str]] = {}
    for name in models:
        firsts.setdefault(re.split(r"[-_]", name.lower())[0], []).append(name)
    found = [names[0] for first, names in firsts.items() if first in words and len(names) == 1]
    return found[0] if len(found) == 1 else None


def classify(question: str) -> Intent:
    """Return what the question asks; `act` for any request to change something."""
    text = " ".join(question.replace("’", "'").split())
    act = _request(text)
    if act is not None:
        return Intent("act", _number(text), act)
    version = VERSION.search(text)
    incident = INCIDENT.search(text)
    if WHY.search(text):
        if version and ROLLED_BACK.search(text):
            return Intent("version_history", int(version.group(1)))
        if incident:
            return Intent("why", _first(incident))
        done = _done(text)
        if done is not None:
            return Intent("why", None, done)
    if SINCE.search(text):
        return Intent("since", int(version.group(1)) if version else None)
    if incident and not APPROVALS.search(text.split(incident.group(0))[0]):
        return Intent("incident", _first(incident))
    if HELP.search(text):
        return Intent("help")
    for name, pattern in (("audit", AUDIT), ("drift", DRIFT), ("pending_approvals", APPROVALS),
                          ("status", EVERYTHING),
                          ("model_health", MODEL_OK), ("status", WRONG),
                          ("registry_status", REGISTRY), ("recent_incidents", RECENT)):
        if pattern.search(text):
            return Intent(name)
    if WHY.search(text):
        return Intent("why")
    return Intent("help")


def _request(text: str) -> str | None:
    """Return the act a sentence asks for, or None when it asks about something.

    A question that opens with a question word is a read ("why did you retrain?", "is
    approval 2 still pending?") unless it asks Medic to do something ("can you roll back?",
    "should we retrain?").
    """
    opened = REQUEST.match(text)
    asks = bool(ASKS.match(text))
    if not asks and READ_OPENERS.match(text):
        return None
    head = opened.group("verb") if opened else text
    found = ACT.match(head.strip())
    if found is None and asks:
        found = ACT.search(text)
    if found is None:
        return None
    return next(name for name, value in found.groupdict().items() if value)


def _done(text: str) -> str | None:
    for tool, pattern in DONE.items():
        if re.search(pattern, text, re.I):
            return tool
    return None


def _number(text: str) -> int | None:
    found = NUMBER.search(text) or re.search(r"\b(\d+)\b", text)
    return int(found.group(1)) if found else None


def _first(found: re.Match) -> int:
    return int(next(g for g in found.groups() if g))

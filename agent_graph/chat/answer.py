"""The one shape of a chat answer, for the API, the CLI, the console and the agent alike."""

from pydantic import BaseModel


class ChatAnswer(BaseModel):
    """An answer to a status question, what it was looked up from, and who phrased it."""

    answer: str
    intent: str
    decided_by: str
    data: dict | list | None = None
    note: str = ""

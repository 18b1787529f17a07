"""The content of a playbook: groups with positions, duties, standards, process steps and
templates. Validated with pydantic so every problem names its path (groups[2].duties[0].text)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

MAX_TEXT = 2000
MAX_TEMPLATE_FILE = 2 * 1024 * 1024  # bytes, after decoding

# The standard set of groups of a community task force (editable per community).
STANDARD_KINDS = (
    "command",
    "statistics",
    "analysis",
    "communications",
    "patrol",
    "quarantine_support",
    "logistics",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(_Strict):
    """One duty, standard or process step, in the community's words (English optional)."""

    text: str = Field(min_length=1, max_length=MAX_TEXT)
    text_en: str = Field(default="", max_length=MAX_TEXT)


class Position(_Strict):
    name: str = Field(min_length=1, max_length=100)
    name_en: str = Field(default="", max_length=100)


class Template(_Strict):
    """A document or form: text, or a file carried in the playbook (base64)."""

    title: str = Field(min_length=1, max_length=200)
    title_en: str = Field(default="", max_length=200)
    body: str = Field(default="", max_length=20000)
    file_name: str = Field(default="", max_length=200)
    file_base64: str = ""

    @field_validator("file_base64")
    @classmethod
    def _decodes(cls, value: str) -> str:
        if value:
            try:
                data = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                raise ValueError("is not valid base64") from None
            if len(data) > MAX_TEMPLATE_FILE:
                raise ValueError(f"file is larger than {MAX_TEMPLATE_FILE // 1024 // 1024} MB")
        return value

    @model_validator(mode="after")
    def _file_named(self) -> Template:
        if self.file_base64 and not self.file_name:
            raise ValueError("a template with a file needs file_name")
        return self

    def file_bytes(self) -> bytes:
        return base64.b64decode(self.file_base64) if self.file_base64 else b""


class Group(_Strict):
    kind: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")
    name: str = Field(min_length=1, max_length=100)
    name_en: str = Field(default="", max_length=100)
    positions: list[Position] = []
    duties: list[Text] = []
    standards: list[Text] = []
    steps: list[Text] = []
    templates: list[Template] = []


class Content(_Strict):
    title: str = Field(min_length=1, max_length=200)
    title_en: str = Field(default="", max_length=200)
    summary: str = Field(default="", max_length=MAX_TEXT)
    summary_en: str = Field(default="", max_length=MAX_TEXT)
    tags: list[str] = []
    groups: list[Group] = Field(min_length=1)

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: list[str]) -> list[str]:
        cleaned = [t.strip() for t in tags]
        if any(not t or len(t) > 30 for t in cleaned):
            raise ValueError("each tag must be 1 to 30 characters")
        return cleaned

    @model_validator(mode="after")
    def _unique_kinds(self) -> Content:
        seen: set[str] = set()
        for i, group in enumerate(self.groups):
            if group.kind in seen:
                raise ValueError(f"groups[{i}].kind “{group.kind}” appears twice")
            seen.add(group.kind)
        return self

    def as_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class ContentError(ValueError):
    """Content that does not fit the schema; ``problems`` are (path, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__(
            "; ".join(f"{path}: {message}" if path else message for path, message in problems)
        )


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def parse_content(data: Any, *, prefix: str = "") -> Content:
    """Validate plain data (from YAML/JSON/the database) into Content, or raise ContentError."""
    try:
        return Content.model_validate(data)
    except ValidationError as error:
        problems = []
        for e in error.errors():
            path = _path(e["loc"])
            if prefix:
                path = f"{prefix}.{path}" if path else prefix
            message = e["msg"].removeprefix("Value error, ")
            problems.append((path, message))
        raise ContentError(problems) from None

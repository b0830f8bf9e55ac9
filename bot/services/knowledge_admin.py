"""Officers keep the knowledge current: edit a fact or an answer, preview, publish, roll back.

Business rules only (no HTTP, no Telegram):
- an admin may edit every fact and answer; an officer only the contact answer of their own
  commune (`contact_office`, variant `commune=<their commune>`); viewers nothing;
- every edit names its source (document, and its date or a note) and the day it was checked;
- an edit is validated exactly as the YAML loader validates the seed (the whole knowledge base
  is rebuilt with the edit in place), so a text without a source, with a promise word, too
  long, or with HTML Telegram refuses, is refused with the loader's own message;
- publishing writes a new `knowledge_versions` row and an audit entry (who, when, before and
  after), then refreshes the store, so the next citizen gets the new text without a restart;
- rollback publishes the previous version again (or the seed YAML) as a new row: nothing is
  ever deleted from the history.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import KnowledgeVersion
from bot.knowledge.base import Answer, KnowledgeBase
from bot.knowledge.errors import KnowledgeError
from bot.knowledge.facts import FactKind, StaleFact
from bot.knowledge.store import (
    ANSWER,
    FACT,
    KnowledgeStore,
    answer_key,
    latest_overrides,
)
from bot.services import audit
from bot.services.actors import Actor
from bot.services.communes import COMMUNES
from bot.services.staff import StaffIdentity

# The answer every fact edit is previewed with, when it appears there.
PREVIEW_ANSWERS: Mapping[str, tuple[str, Mapping[str, str]]] = {
    "qn_standard": ("allowance_amount", {"target_group": "người khuyết tật"}),
    "national_standard": ("allowance_amount", {}),
    "social_pension": ("allowance_amount", {"target_group": "người cao tuổi"}),
    "funeral_multiple": ("funeral_support", {}),
}
DEFAULT_PREVIEW: tuple[str, Mapping[str, str]] = ("allowance_amount", {})
ENTITY_FACT = "knowledge_fact"
ENTITY_ANSWER = "knowledge_answer"


class EditRefused(ValueError):
    """The edit cannot be published; `problems` say why, in the staff's language."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class SourceGiven:
    """What the officer must give with every edit."""

    document: str
    document_date: dt.date | None
    url: str | None
    checked_on: dt.date

    def as_yaml(self) -> dict[str, Any]:
        found: dict[str, Any] = {"document": self.document}
        if self.document_date is not None:
            found["date"] = self.document_date.isoformat()
        else:
            found["note"] = "Ngày văn bản không ghi; người sửa đã kiểm tra nguồn."
        if self.url:
            found["url"] = self.url
        return found

    def label(self) -> str:
        when = f" ({self.document_date.isoformat()})" if self.document_date else ""
        return f"{self.document}{when}"[:300]


@dataclass(frozen=True)
class FactChange:
    """A new value of a fact from a date (a correction when the date is the current period's)."""

    name: str
    value: str
    valid_from: dt.date
    source: SourceGiven
    grade: str = "S"


@dataclass(frozen=True)
class AnswerChange:
    """A new text (and sources) for one answer variant."""

    intent: str
    variant_key: str
    text: str
    source: SourceGiven


@dataclass(frozen=True)
class Preview:
    """What citizens will see once the edit is published, and the body to publish."""

    kind: str
    key: str
    body: dict[str, Any]
    before: dict[str, Any] | None
    answer: Answer
    knowledge: KnowledgeBase


@dataclass(frozen=True)
class VersionRow:
    """One line of the history page."""

    id: int
    kind: str
    key: str
    action: str
    author: str
    source: str
    checked_on: dt.date
    created_at: dt.datetime
    restores_id: int | None
    summary: str


@dataclass
class Overview:
    """The knowledge page: facts with today's value, editable answers, what is stale."""

    facts: list[tuple[str, str, str, str, dt.date]] = field(default_factory=list)
    answers: list[tuple[str, str, str]] = field(default_factory=list)
    stale: list[StaleFact] = field(default_factory=list)
    stale_answers: list[tuple[str, dt.date]] = field(default_factory=list)


def can_edit_answer(who: StaffIdentity, intent: str, variant_key: str) -> bool:
    """Admins edit every answer; officers only their own commune's contact details."""
    if who.is_admin:
        return True
    return (
        who.can_change
        and who.commune is not None
        and intent == "contact_office"
        and variant_key == f"commune={commune_variant(who.commune)}"
    )


def commune_variant(code: str) -> str:
    """The knowledge's commune name ('xã Đầm Hà') for a staff account's commune code."""
    return f"xã {COMMUNES.get(code, code)}"


def can_edit_facts(who: StaffIdentity) -> bool:
    """Amounts and rules are district-wide: admins only."""
    return who.is_admin


def _require_source(source: SourceGiven, today: dt.date) -> list[str]:
    problems = []
    if len(source.document.strip()) < 3:
        problems.append("Cần ghi văn bản nguồn (số hiệu, tên văn bản).")
    if source.checked_on > today:
        problems.append("Ngày kiểm tra không được ở tương lai.")
    if source.url and not source.url.startswith(("http://", "https://")):
        problems.append("Đường dẫn nguồn phải bắt đầu bằng http:// hoặc https://.")
    return problems


def _fact_body(knowledge: KnowledgeBase, change: FactChange) -> dict[str, Any]:
    fact = knowledge.facts.facts.get(change.name)
    if fact is None:
        raise EditRefused([f"Không có số liệu tên {change.name!r}."])
    value: Any = change.value.strip()
    if fact.kind is not FactKind.TEXT:
        cleaned = value.replace(".", "").replace(" ", "").replace("đ", "").replace(",", ".")
        try:
            number = float(cleaned)
        except ValueError:
            raise EditRefused([f"Giá trị {change.value!r} không phải là số."]) from None
        value = int(number) if number.is_integer() else number
    body = fact.model_dump(mode="json", exclude_none=True)
    periods = [p for p in body["periods"] if p["valid_from"] < change.valid_from.isoformat()]
    if periods and "valid_to" not in periods[-1]:
        periods[-1]["valid_to"] = (change.valid_from - dt.timedelta(days=1)).isoformat()
    periods.append({
        "value": value,
        "valid_from": change.valid_from.isoformat(),
        "source": change.source.as_yaml(),
        "grade": change.grade,
        **({"verified": False} if change.grade == "W" else {}),
    })  # fmt: skip
    body["periods"] = periods
    body["reviewed_on"] = change.source.checked_on.isoformat()
    return body


def _variant_body(knowledge: KnowledgeBase, change: AnswerChange) -> dict[str, Any]:
    entry = knowledge.entries.get(change.intent)
    variant = None
    if entry is not None:
        variant = next((v for v in entry.all_variants() if v.key == change.variant_key), None)
    if entry is None or variant is None:
        raise EditRefused([f"Không có câu trả lời {change.intent}/{change.variant_key}."])
    body = variant.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    if variant.target_group:
        groups = list(variant.target_group)
        body["target_group"] = groups[0] if len(groups) == 1 else groups
    body["text"] = change.text.replace("\r\n", "\n").strip()
    sources = [s for s in body.get("sources", []) if s.get("document") != change.source.document]
    body["sources"] = [change.source.as_yaml(), *sources]
    body["reviewed_on"] = change.source.checked_on.isoformat()
    return body


def _validate(store: KnowledgeStore, kind: str, key: str, body: dict[str, Any]) -> KnowledgeBase:
    """The knowledge with the edit applied, validated like the seed; EditRefused if not."""
    overrides = _current_overrides(store)
    overrides[(kind, key)] = body
    try:
        return store.build(overrides)
    except KnowledgeError as error:
        raise EditRefused([str(problem) for problem in error.problems]) from None


def _current_overrides(store: KnowledgeStore) -> dict[tuple[str, str], dict[str, Any] | None]:
    return copy.deepcopy(store.applied)


def preview_fact(store: KnowledgeStore, who: StaffIdentity, change: FactChange) -> Preview:
    """The fact edit validated and shown in the answer that uses it most."""
    if not can_edit_facts(who):
        raise EditRefused(["Chỉ quản trị viên được sửa số liệu."])
    knowledge = store.current
    problems = _require_source(change.source, store.clock())
    if problems:
        raise EditRefused(problems)
    body = _fact_body(knowledge, change)
    built = _validate(store, FACT, change.name, body)
    intent, entities = PREVIEW_ANSWERS.get(change.name, DEFAULT_PREVIEW)
    before = knowledge.facts.facts[change.name].model_dump(mode="json", exclude_none=True)
    return Preview(FACT, change.name, body, before, built.answer(intent, entities), built)


def preview_answer(store: KnowledgeStore, who: StaffIdentity, change: AnswerChange) -> Preview:
    """The answer edit validated and rendered as the citizen will get it."""
    if not can_edit_answer(who, change.intent, change.variant_key):
        raise EditRefused(["Bạn chỉ được sửa thông tin liên hệ của xã mình."])
    knowledge = store.current
    problems = _require_source(change.source, store.clock())
    if problems:
        raise EditRefused(problems)
    body = _variant_body(knowledge, change)
    key = answer_key(change.intent, change.variant_key)
    built = _validate(store, ANSWER, key, body)
    entry = built.entries[change.intent]
    entities: dict[str, str] = {}
    variant = next(v for v in entry.all_variants() if v.key == change.variant_key)
    if variant.target_group:
        entities["target_group"] = variant.target_group[0]
    elif variant.neighbour:
        entities["neighbour"] = variant.neighbour
    elif variant.commune:
        entities["commune"] = variant.commune
    old = knowledge.entries[change.intent]
    before_variant = next(v for v in old.all_variants() if v.key == change.variant_key)
    before = before_variant.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    return Preview(ANSWER, key, body, before, built.answer(change.intent, entities), built)


async def publish(
    session: AsyncSession,
    store: KnowledgeStore,
    preview: Preview,
    *,
    actor: Actor,
    source: SourceGiven,
    now: dt.datetime,
) -> KnowledgeVersion:
    """Write the previewed edit as a new version and audit it; the caller refreshes the
    store after the transaction commits."""
    row = KnowledgeVersion(
        kind=preview.kind,
        key=preview.key,
        body=preview.body,
        source=source.label(),
        checked_on=source.checked_on,
        author=str(actor),
        action="publish",
        created_at=now,
    )
    await _add_audited(
        session,
        row,
        actor=actor,
        before={"key": preview.key, **_summary(preview.kind, preview.before)},
        after={
            "key": preview.key,
            **_summary(preview.kind, preview.body),
            "source": source.label(),
        },
    )
    return row


async def _add_audited(
    session: AsyncSession,
    version: KnowledgeVersion,
    *,
    actor: Actor,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    """Store a new version and its audit entry (action "knowledge_<publish|rollback>")."""
    session.add(version)
    await session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"knowledge_{version.action}",
        entity_type=ENTITY_FACT if version.kind == FACT else ENTITY_ANSWER,
        entity_id=version.id,
        before=before,
        after=after,
        at=version.created_at,
    )


async def rollback(
    session: AsyncSession,
    store: KnowledgeStore,
    version_id: int,
    *,
    who: StaffIdentity,
    actor: Actor,
    now: dt.datetime,
) -> KnowledgeVersion:
    """Undo version `version_id`: the version before it (or the seed YAML) is in force again.

    Only the newest version of a key can be undone (undoing an older one would silently drop
    the edits made after it); the restored body is validated again before it is published.
    """
    row = await session.get(KnowledgeVersion, version_id)
    if row is None:
        raise EditRefused(["Không tìm thấy phiên bản này."])
    allowed = (
        can_edit_facts(who)
        if row.kind == FACT
        else can_edit_answer(who, *row.key.partition("/")[::2])
    )
    if not allowed:
        raise EditRefused(["Bạn không được hoàn tác phiên bản này."])
    newest = await session.scalar(
        select(KnowledgeVersion.id)
        .where(KnowledgeVersion.kind == row.kind, KnowledgeVersion.key == row.key)
        .order_by(KnowledgeVersion.id.desc())
        .limit(1)
    )
    if newest != row.id:
        raise EditRefused(["Chỉ hoàn tác được phiên bản mới nhất của mục này."])
    previous = await session.scalar(
        select(KnowledgeVersion)
        .where(
            KnowledgeVersion.kind == row.kind,
            KnowledgeVersion.key == row.key,
            KnowledgeVersion.id < row.id,
        )
        .order_by(KnowledgeVersion.id.desc())
        .limit(1)
    )
    restored = previous.body if previous is not None else None
    overrides = {(o.kind, o.key): o.body for o in (await latest_overrides(session)).values()}
    overrides[(row.kind, row.key)] = restored
    try:
        store.build(overrides)
    except KnowledgeError as error:
        raise EditRefused([str(problem) for problem in error.problems]) from None
    undo = KnowledgeVersion(
        kind=row.kind,
        key=row.key,
        body=restored,
        source=previous.source if previous is not None else "Dữ liệu gốc (YAML)",
        checked_on=previous.checked_on if previous is not None else row.checked_on,
        author=str(actor),
        action="rollback",
        restores_id=previous.id if previous is not None else None,
        created_at=now,
    )
    await _add_audited(
        session,
        undo,
        actor=actor,
        before={"key": row.key, "version": row.id, **_summary(row.kind, row.body)},
        after={
            "key": row.key,
            "version": previous.id if previous else "seed",
            **_summary(row.kind, restored),
        },
    )
    return undo


def _summary(kind: str, body: Mapping[str, Any] | None) -> dict[str, Any]:
    """The part of a body a reader of the audit log needs (the latest value, or the text)."""
    if body is None:
        return {"value": "(dữ liệu gốc YAML)"}
    if kind == FACT:
        last = body["periods"][-1]
        return {
            "value": last["value"],
            "valid_from": last["valid_from"],
            "reviewed_on": body.get("reviewed_on"),
        }
    return {"text": body.get("text"), "reviewed_on": body.get("reviewed_on")}


async def history(session: AsyncSession, *, limit: int = 30) -> list[VersionRow]:
    """The newest versions first, with a one-line summary each."""
    rows = (
        await session.scalars(
            select(KnowledgeVersion).order_by(KnowledgeVersion.id.desc()).limit(limit)
        )
    ).all()
    found = []
    for row in rows:
        summary = _summary(row.kind, row.body)
        text = str(summary.get("value", summary.get("text", "")))
        found.append(
            VersionRow(
                row.id,
                row.kind,
                row.key,
                row.action,
                row.author,
                row.source,
                row.checked_on,
                row.created_at,
                row.restores_id,
                text[:120],
            )
        )
    return found


def overview(knowledge: KnowledgeBase, who: StaffIdentity, *, max_age_months: int = 12) -> Overview:
    """Facts with their value today, the answers `who` may edit, and what needs review."""
    today = knowledge.today()
    result = Overview()
    for name, fact in knowledge.facts.facts.items():
        try:
            value = knowledge.facts.on(name, today)
        except ValueError:
            continue
        result.facts.append(
            (
                name,
                fact.label,
                value.display(),
                value.period.valid_from.isoformat(),
                fact.reviewed_on,
            )
        )
    result.stale = knowledge.facts.stale(today)
    for intent, entry in knowledge.entries.items():
        for variant in entry.all_variants():
            if can_edit_answer(who, intent, variant.key):
                first = variant.text.splitlines()[0] if variant.text else ""
                result.answers.append((intent, variant.key, first[:90]))
            months = (today.year - variant.reviewed_on.year) * 12 + (
                today.month - variant.reviewed_on.month
            )
            if months > max_age_months:
                result.stale_answers.append((f"{intent}/{variant.key}", variant.reviewed_on))
    return result


def export_yaml(store: KnowledgeStore, overrides: Mapping[tuple[str, str], Any]) -> str:
    """The seed YAML files with the published edits in place, one YAML document per file
    (anchors and comments of the seed are not kept: review the diff, then commit it)."""
    from bot.knowledge.store import apply_overrides

    parts = []
    for name, data in apply_overrides(store.seed, overrides):
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        parts.append(f"# --- bot/knowledge/data/{name}\n{text}")
    return "---\n".join(parts)

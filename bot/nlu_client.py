"""Async client for the Rasa NLU server (`POST /model/parse`).

The bot never imports Rasa: it sends text over HTTP and gets a typed `Parse` back. Text is
NFC-normalised here, at the edge, so the server and the logs see one spelling. Any failure
to get an answer (connection refused, timeout, 5xx, malformed JSON), after one retry,
becomes `NluUnavailable`, which callers handle by falling back to keywords and the menu.

Two guards keep a slow NLU server from making citizens wait (the bot sets both):
`deadline` bounds the whole parse, retry included, so nobody waits more than that for the
NLU; `breaker` (bot.nlu_breaker) stops asking a server that keeps failing and probes it in
the background instead, so during an outage parses fail at once and keywords answer.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import httpx

from bot.nlu_breaker import CircuitBreaker
from nlu.textnorm import nfc

log = logging.getLogger(__name__)


_TOKEN_IN_URL = re.compile(r"([?&]token=)[^&\s\"']+")


class _RedactToken(logging.Filter):
    """httpx logs each request URL at INFO; the NLU API token is in it. Blank it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(
                _TOKEN_IN_URL.sub(r"\1***", str(arg)) if "token=" in str(arg) else arg
                for arg in (record.args if isinstance(record.args, tuple) else (record.args,))
            )
        if isinstance(record.msg, str) and "token=" in record.msg:
            record.msg = _TOKEN_IN_URL.sub(r"\1***", record.msg)
        return True


logging.getLogger("httpx").addFilter(_RedactToken())


def _describe(error: Exception | None) -> str:
    """What went wrong, without the request URL: httpx puts the URL, and with it the API
    token (a query parameter), into its error messages, and this text reaches the log."""
    if isinstance(error, httpx.HTTPStatusError):
        return f"HTTP {error.response.status_code}"
    if error is None:
        return "no attempt made"
    return _TOKEN_IN_URL.sub(r"\1***", f"{type(error).__name__}: {error}")


class NluUnavailable(Exception):
    """The NLU server did not give a usable answer; the reason is in the message."""


@dataclass(frozen=True)
class ParsedEntity:
    """An entity found by the NLU server, with its canonical value."""

    entity: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Parse:
    """The NLU server's reading of one message."""

    text: str
    intent: str
    confidence: float
    entities: tuple[ParsedEntity, ...] = field(default=())
    ranking: tuple[tuple[str, float], ...] = field(default=())

    def entity_values(self, entity: str) -> list[str]:
        """Canonical values of every `entity` found, in order of appearance."""
        return [e.value for e in self.entities if e.entity == entity]

    def first(self, entity: str) -> str | None:
        """The first value of `entity`, if any."""
        values = self.entity_values(entity)
        return values[0] if values else None


def parse_response(payload: dict[str, Any]) -> Parse:
    """Build a `Parse` from Rasa's JSON; raises `NluUnavailable` when it is malformed."""
    try:
        intent = payload.get("intent") or {}
        entities = tuple(
            ParsedEntity(
                entity=str(e["entity"]),
                value=str(e.get("value", "")),
                start=int(e.get("start", 0)),
                end=int(e.get("end", 0)),
            )
            for e in payload.get("entities") or []
        )
        ranking = tuple(
            (str(r["name"]), float(r["confidence"])) for r in payload.get("intent_ranking") or []
        )
        return Parse(
            text=str(payload.get("text", "")),
            intent=str(intent.get("name") or "nlu_fallback"),
            confidence=float(intent.get("confidence") or 0.0),
            entities=entities,
            ranking=ranking,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise NluUnavailable(f"malformed answer from the NLU server: {error!r}") from error


class NluClient:
    """One shared HTTP connection pool to the NLU server."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 3.0,
        retries: int = 1,
        transport: httpx.AsyncBaseTransport | None = None,
        normalise: bool = True,
        token: str | None = None,
        deadline: float | None = None,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        # `normalise=False` only for the evaluation, which must show what the server itself
        # does with NFD input.
        self._normalise = normalise
        self._retries = retries
        self._deadline = deadline
        self.breaker = breaker
        # Rasa takes its API token as the `token` query parameter (httpx's request log lines,
        # which would show it, are redacted by `_RedactToken`).
        self._http = httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(timeout),
            transport=transport,
            params={"token": token} if token else None,
        )

    async def parse(self, text: str) -> Parse:
        """The intent and entities of `text`; `NluUnavailable` if the server cannot answer
        (within the deadline, or at all while the breaker is open)."""
        if self.circuit_open:
            raise NluUnavailable("NLU circuit open (the server kept failing)")
        try:
            async with asyncio.timeout(self._deadline):
                parse = await self._parse_with_retry(text)
        except TimeoutError as error:
            self._failed()
            raise NluUnavailable(f"no NLU answer within {self._deadline} s") from error
        except NluUnavailable:
            self._failed()
            raise
        if self.breaker is not None:
            self.breaker.record_success()
        return parse

    @property
    def circuit_open(self) -> bool:
        """True while the breaker keeps parses away from a failing server."""
        return self.breaker is not None and self.breaker.is_open

    def _failed(self) -> None:
        if self.breaker is not None:
            self.breaker.record_failure(self.healthy)

    async def _parse_with_retry(self, text: str) -> Parse:
        body = {"text": nfc(text) if self._normalise else text}
        last_error: Exception | None = None
        for attempt in range(self._retries + 1):
            try:
                response = await self._http.post("/model/parse", json=body)
                if response.status_code >= 500:
                    raise httpx.HTTPStatusError(
                        f"status {response.status_code}",
                        request=response.request,
                        response=response,
                    )
                response.raise_for_status()
                return parse_response(response.json())
            except (httpx.HTTPError, ValueError) as error:
                last_error = error
                log.warning("NLU parse attempt %d failed: %s", attempt + 1, type(error).__name__)
        raise NluUnavailable(f"NLU server unavailable: {_describe(last_error)}")

    async def healthy(self, timeout: float = 1.0) -> bool:
        """True when the server answers `/status` with a loaded model (within `timeout`)."""
        try:
            response = await self._http.get("/status", timeout=timeout)
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False

    async def aclose(self) -> None:
        """Stop probing and close the connection pool."""
        if self.breaker is not None:
            await self.breaker.aclose()
        await self._http.aclose()

    async def __aenter__(self) -> NluClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

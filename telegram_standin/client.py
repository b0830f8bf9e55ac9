"""`SandboxClient`: the simulation API of a stand-in running in another process.

Same verbs as `BotApiStandIn` (create_citizen, send_text, press_button, ...), but async
and returning plain JSON dicts (see `telegram_standin.control.message_view`).
"""

from __future__ import annotations

from typing import Any

import httpx


class SandboxError(Exception):
    """The stand-in refused a control request (unknown citizen, no such button, ...)."""


class SandboxClient:
    """`async with SandboxClient("http://127.0.0.1:8081") as client: ...`"""

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self._http = httpx.AsyncClient(base_url=f"{self.url}/_sandbox", timeout=timeout)

    async def close(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> SandboxClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self._http.request(method, path, **kwargs)
        try:
            body = response.json()
        except ValueError:
            raise SandboxError(f"{method} {path}: HTTP {response.status_code}") from None
        if not body.get("ok"):
            raise SandboxError(str(body.get("error") or body))
        return body["result"]

    async def health(self) -> dict[str, Any]:
        result: dict[str, Any] = await self._request("GET", "/health")
        return result

    async def create_citizen(self, **fields: Any) -> dict[str, Any]:
        result: dict[str, Any] = await self._request("POST", "/citizens", json=fields)
        return result

    async def send_text(self, user_id: int, text: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._request(
            "POST", f"/citizens/{user_id}/messages", json={"text": text}
        )
        return result

    async def send_command(self, user_id: int, command: str, payload: str | None = None) -> Any:
        body = {"command": command, "payload": payload}
        return await self._request("POST", f"/citizens/{user_id}/commands", json=body)

    async def share_contact(self, user_id: int, phone_number: str | None = None) -> Any:
        body = {"phone_number": phone_number}
        return await self._request("POST", f"/citizens/{user_id}/contact", json=body)

    async def press_button(
        self,
        user_id: int,
        *,
        text: str | None = None,
        callback_data: str | None = None,
        message_id: int | None = None,
    ) -> str:
        body = {"text": text, "callback_data": callback_data, "message_id": message_id}
        result = await self._request("POST", f"/citizens/{user_id}/press", json=body)
        return str(result["callback_query_id"])

    async def block(self, user_id: int) -> None:
        await self._request("POST", f"/citizens/{user_id}/block")

    async def unblock(self, user_id: int) -> None:
        await self._request("POST", f"/citizens/{user_id}/unblock")

    async def messages(self, chat_id: int) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = await self._request("GET", f"/chats/{chat_id}/messages")
        return result

    async def events(self, chat_id: int, *, after: int = 0, timeout: float = 0.0) -> dict[str, Any]:
        """`{"events": [...], "seq": latest}`; waits up to `timeout` s for a first event."""
        params = {"after": after, "timeout": timeout}
        result: dict[str, Any] = await self._request(
            "GET", f"/chats/{chat_id}/events", params=params, timeout=timeout + 10
        )
        return result

    async def reply_keyboard(self, chat_id: int) -> dict[str, Any] | None:
        result: dict[str, Any] | None = await self._request(
            "GET", f"/chats/{chat_id}/reply_keyboard"
        )
        return result

    async def callback_answer(self, callback_query_id: str) -> dict[str, Any] | None:
        result: dict[str, Any] | None = await self._request(
            "GET", f"/callbacks/{callback_query_id}"
        )
        return result

    async def download(self, file_url: str) -> bytes:
        """Bytes of a document, given the `url` of a message's `document` view."""
        response = await self._http.get(self.url + file_url)
        response.raise_for_status()
        return response.content

    async def inject_fault(self, method: str, **fault: Any) -> None:
        """fault: status=502 | retry_after=N | delay=S, times=1, description=..."""
        await self._request("POST", "/faults", json={"method": method, **fault})

    async def clear_faults(self) -> None:
        await self._request("DELETE", "/faults")

    async def set_rate_limits(self, **limits: Any) -> dict[str, Any]:
        result: dict[str, Any] = await self._request("PUT", "/rate_limits", json=limits)
        return result

    async def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = await self._request("GET", "/stats")
        return result

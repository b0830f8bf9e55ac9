"""`/_sandbox/...`: the simulation API as JSON over HTTP, for other processes.

The terminal chat (`python -m bot chat`) and out-of-process benchmarks drive the stand-in
started by `make run` through these routes. Every answer is `{"ok": true, "result": ...}` or
`{"ok": false, "error": "..."}`. Only bound to 127.0.0.1, hence no authentication.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from telegram_standin.limits import RateLimits
from telegram_standin.simulation import SimulationError, Simulator
from telegram_standin.world import ChatEvent, ChatMessage

PREFIX = "/_sandbox"
MAX_POLL_SECONDS = 30.0


def message_view(message: ChatMessage) -> dict[str, Any]:
    """Everything a client needs to show or check a message (file bytes via their URL)."""
    view: dict[str, Any] = {
        "chat_id": message.chat_id,
        "message_id": message.message_id,
        "date": message.date,
        "from_bot": message.from_bot,
        "text": message.text,
        "entities": message.entities,
        "parse_mode": message.parse_mode,
        "source_text": message.source_text,
        "reply_markup": message.reply_markup,
        "caption": message.caption,
        "caption_entities": message.caption_entities,
        "contact": message.contact,
        "edit_date": message.edit_date,
        "deleted": message.deleted,
        "edits": [dataclasses.asdict(version) for version in message.edits],
        "document": None,
    }
    if message.document is not None:
        stored = message.document
        view["document"] = {
            "file_id": stored.file_id,
            "file_name": stored.file_name,
            "mime_type": stored.mime_type,
            "file_size": stored.file_size,
            "url": f"{PREFIX}/files/{stored.file_id}",
        }
    return view


def event_view(simulator: Simulator, event: ChatEvent) -> dict[str, Any]:
    view: dict[str, Any] = dataclasses.asdict(event)
    message = simulator.world.message(event.chat_id, event.message_id or 0)
    view["message"] = message_view(message) if message is not None else None
    return view


Endpoint = Callable[[Request], Awaitable[Any]]


def _json_endpoint(handler: Endpoint) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            result = await handler(request)
        except SimulationError as exc:
            return JSONResponse({"ok": False, "error": str(exc)}, status_code=400)
        except (KeyError, ValueError, TypeError) as exc:
            return JSONResponse({"ok": False, "error": f"bad request: {exc}"}, status_code=400)
        if isinstance(result, Response):
            return result
        return JSONResponse({"ok": True, "result": result})

    return endpoint


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    data = json.loads(raw) if raw.strip() else {}
    if not isinstance(data, dict):
        raise ValueError("the body must be a JSON object")
    return data


def control_routes(sim: Simulator) -> list[BaseRoute]:
    """Routes mirroring `Simulator`; see the module docstring for the envelope."""

    def user(request: Request) -> int:
        return int(request.path_params["user_id"])

    def chat(request: Request) -> int:
        return int(request.path_params["chat_id"])

    async def health(request: Request) -> Any:
        world = sim.world
        return {
            "bot": {
                "id": world.bot.user_id,
                "username": world.bot.username,
                "first_name": world.bot.first_name,
            }
        }

    async def citizens(request: Request) -> Any:
        citizen = sim.create_citizen(**await _body(request))
        return dataclasses.asdict(citizen)

    async def groups(request: Request) -> Any:
        return {"chat_id": sim.create_group(**await _body(request))}

    async def send_text(request: Request) -> Any:
        body = await _body(request)
        return message_view(
            sim.send_text(user(request), str(body["text"]), chat_id=body.get("chat_id"))
        )

    async def send_command(request: Request) -> Any:
        body = await _body(request)
        sent = sim.send_command(user(request), str(body["command"]), body.get("payload"))
        return message_view(sent)

    async def share_contact(request: Request) -> Any:
        body = await _body(request)
        return message_view(sim.share_contact(user(request), body.get("phone_number")))

    async def press(request: Request) -> Any:
        body = await _body(request)
        callback_id = sim.press_button(
            user(request),
            text=body.get("text"),
            callback_data=body.get("callback_data"),
            message_id=body.get("message_id"),
        )
        return {"callback_query_id": callback_id}

    async def block(request: Request) -> Any:
        sim.block(user(request))
        return True

    async def unblock(request: Request) -> Any:
        sim.unblock(user(request))
        return True

    async def messages(request: Request) -> Any:
        return [message_view(m) for m in sim.messages(chat(request), from_bot=None)]

    async def events(request: Request) -> Any:
        after = int(request.query_params.get("after", "0"))
        timeout = min(float(request.query_params.get("timeout", "0")), MAX_POLL_SECONDS)
        found = await sim.wait_for_events(chat(request), after, timeout)
        return {"events": [event_view(sim, e) for e in found], "seq": sim.mark()}

    async def reply_keyboard(request: Request) -> Any:
        return sim.reply_keyboard(chat(request))

    async def callback(request: Request) -> Any:
        return sim.callback_answer(request.path_params["callback_id"])

    async def file(request: Request) -> Any:
        stored = sim.world.files.get(request.path_params["file_id"])
        if stored is None:
            return JSONResponse({"ok": False, "error": "unknown file"}, status_code=404)
        headers = {"Content-Disposition": f'attachment; filename="{stored.file_name or "file"}"'}
        return Response(stored.content, media_type=stored.mime_type, headers=headers)

    async def faults(request: Request) -> Any:
        if request.method == "DELETE":
            sim.clear_faults()
            return True
        body = await _body(request)
        method, times = str(body.pop("method")), int(body.pop("times", 1))
        if "retry_after" in body:
            sim.inject_retry_after(method, int(body["retry_after"]), times=times)
        elif "status" in body:
            sim.inject_fault(
                method,
                times=times,
                status=int(body["status"]),
                description=body.get("description"),
                delay=float(body.get("delay", 0.0)),
            )
        else:
            sim.inject_delay(method, float(body["delay"]), times=times)
        return True

    async def rate_limits(request: Request) -> Any:
        if request.method == "PUT":
            sim.rate_limits = RateLimits(**await _body(request))
        return dataclasses.asdict(sim.rate_limits)

    async def stats(request: Request) -> Any:
        return sim.stats.as_dict()

    table: list[tuple[str, Endpoint, list[str]]] = [
        ("/health", health, ["GET"]),
        ("/citizens", citizens, ["POST"]),
        ("/groups", groups, ["POST"]),
        ("/citizens/{user_id:int}/messages", send_text, ["POST"]),
        ("/citizens/{user_id:int}/commands", send_command, ["POST"]),
        ("/citizens/{user_id:int}/contact", share_contact, ["POST"]),
        ("/citizens/{user_id:int}/press", press, ["POST"]),
        ("/citizens/{user_id:int}/block", block, ["POST"]),
        ("/citizens/{user_id:int}/unblock", unblock, ["POST"]),
        ("/chats/{chat_id}/messages", messages, ["GET"]),
        ("/chats/{chat_id}/events", events, ["GET"]),
        ("/chats/{chat_id}/reply_keyboard", reply_keyboard, ["GET"]),
        ("/callbacks/{callback_id}", callback, ["GET"]),
        ("/files/{file_id}", file, ["GET"]),
        ("/faults", faults, ["POST", "DELETE"]),
        ("/rate_limits", rate_limits, ["GET", "PUT"]),
        ("/stats", stats, ["GET"]),
    ]
    return [
        Route(PREFIX + path, _json_endpoint(fn), methods=methods) for path, fn, methods in table
    ]

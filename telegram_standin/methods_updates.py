"""Bot API methods about the bot itself and how it receives updates.

getUpdates keeps every update until a later call confirms it with a higher `offset`, so a
bot that crashes mid-batch sees the batch again — the property polling bots rely on.
"""

from __future__ import annotations

import ipaddress
import json
import re
from typing import Any
from urllib.parse import urlsplit

from telegram_standin import errors, objects
from telegram_standin.engine import Engine, api_method
from telegram_standin.params import Params
from telegram_standin.world import WebhookConfig

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


@api_method("getMe")
async def get_me(engine: Engine, params: Params) -> Any:
    return objects.bot_user(engine.world, full=True)


@api_method("logOut")
async def log_out(engine: Engine, params: Params) -> Any:
    return True


@api_method("close")
async def close(engine: Engine, params: Params) -> Any:
    return True


@api_method("getUpdates")
async def get_updates(engine: Engine, params: Params) -> Any:
    world = engine.world
    if world.webhook.url:
        raise errors.ApiError(409, errors.WEBHOOK_ACTIVE)
    offset = params.integer("offset", 0) or 0
    limit = min(max(params.integer("limit", 100) or 100, 1), 100)
    timeout = max(params.integer("timeout", 0) or 0, 0)
    allowed = params.json("allowed_updates")
    if allowed is not None:
        world.allowed_updates = [str(kind) for kind in allowed]
    # A newer getUpdates ends any older one still waiting, as on Telegram.
    world.poll_generation += 1
    generation = world.poll_generation
    world.notify()
    world.confirm(offset)
    first_id = max(offset, 0)

    def outcome() -> list[dict[str, Any]] | str | None:
        if world.poll_generation != generation:
            return errors.TERMINATED_BY_OTHER_GET_UPDATES
        if world.webhook.url:
            return errors.WEBHOOK_ACTIVE
        batch = [update for update in world.updates if update["update_id"] >= first_id]
        return batch[:limit] or None

    result = outcome()
    if result is None and timeout:
        result = await world.wait_until(outcome, timeout)
    if isinstance(result, str):
        raise errors.ApiError(409, result)
    return result or []


def _check_webhook_url(url: str) -> None:
    """HTTPS as Telegram demands; plain HTTP only to this machine (there is no TLS here)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return
    if parts.scheme == "http" and (host == "localhost" or _is_loopback(host)):
        return
    raise errors.bad_request("bad webhook: An HTTPS URL must be provided for webhook")


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@api_method("setWebhook")
async def set_webhook(engine: Engine, params: Params) -> Any:
    world = engine.world
    url = params.string("url") or ""
    if not url:
        return await delete_webhook(engine, params)
    _check_webhook_url(url)
    secret = params.string("secret_token")
    if secret is not None and not _SECRET.fullmatch(secret):
        raise errors.bad_request("secret token contains unallowed characters")
    allowed = params.json("allowed_updates")
    if allowed is not None:
        world.allowed_updates = [str(kind) for kind in allowed]
    if params.flag("drop_pending_updates"):
        world.drop_pending()
    world.webhook = WebhookConfig(
        url=url,
        secret_token=secret,
        max_connections=params.integer("max_connections", 40) or 40,
        ip_address=params.string("ip_address"),
        generation=world.webhook.generation + 1,
    )
    world.notify()
    return True


@api_method("deleteWebhook")
async def delete_webhook(engine: Engine, params: Params) -> Any:
    world = engine.world
    if params.flag("drop_pending_updates"):
        world.drop_pending()
    world.webhook = WebhookConfig(generation=world.webhook.generation + 1)
    world.notify()
    return True


@api_method("getWebhookInfo")
async def get_webhook_info(engine: Engine, params: Params) -> Any:
    world = engine.world
    hook = world.webhook
    info: dict[str, Any] = {
        "url": hook.url,
        "has_custom_certificate": False,
        "pending_update_count": len(world.updates),
    }
    if hook.url:
        info.update(max_connections=hook.max_connections, ip_address=hook.ip_address or "127.0.0.1")
        if world.allowed_updates:
            info["allowed_updates"] = world.allowed_updates
    if hook.last_error_date is not None:
        info.update(
            last_error_date=hook.last_error_date, last_error_message=hook.last_error_message
        )
    return info


def _commands_key(params: Params) -> tuple[str, str]:
    scope = params.json("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), params.string("language_code") or ""


@api_method("setMyCommands")
async def set_my_commands(engine: Engine, params: Params) -> Any:
    commands = params.json("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise errors.bad_request("can't parse commands JSON object")
    cleaned: list[dict[str, str]] = []
    for command in commands:
        name = command.get("command") if isinstance(command, dict) else None
        description = command.get("description") if isinstance(command, dict) else None
        if not isinstance(name, str) or not _COMMAND.fullmatch(name.lower()):
            raise errors.bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise errors.bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        cleaned.append({"command": name.lower(), "description": description})
    engine.world.commands[_commands_key(params)] = cleaned
    return True


@api_method("getMyCommands")
async def get_my_commands(engine: Engine, params: Params) -> Any:
    return engine.world.commands.get(_commands_key(params), [])


@api_method("deleteMyCommands")
async def delete_my_commands(engine: Engine, params: Params) -> Any:
    engine.world.commands.pop(_commands_key(params), None)
    return True


def _profile_methods(field_name: str, setter: str, getter: str, limit: int) -> None:
    """setMyName/Description/ShortDescription and their getters: per-language strings."""

    async def set_value(engine: Engine, params: Params) -> Any:
        value = params.string(field_name) or ""
        if len(value) > limit:
            raise errors.bad_request(f"{field_name} is too long")
        engine.world.profile[(field_name, params.string("language_code") or "")] = value
        return True

    async def get_value(engine: Engine, params: Params) -> Any:
        key = (field_name, params.string("language_code") or "")
        default = engine.world.bot.first_name if field_name == "name" else ""
        return {field_name: engine.world.profile.get(key) or default}

    api_method(setter)(set_value)
    api_method(getter)(get_value)


_profile_methods("name", "setMyName", "getMyName", 64)
_profile_methods("description", "setMyDescription", "getMyDescription", 512)
_profile_methods("short_description", "setMyShortDescription", "getMyShortDescription", 120)


@api_method("setChatMenuButton")
async def set_chat_menu_button(engine: Engine, params: Params) -> Any:
    key = ("menu_button", params.string("chat_id") or "")
    engine.world.profile[key] = params.json("menu_button") or {"type": "default"}
    return True


@api_method("getChatMenuButton")
async def get_chat_menu_button(engine: Engine, params: Params) -> Any:
    world = engine.world
    specific = world.profile.get(("menu_button", params.string("chat_id") or ""))
    return specific or world.profile.get(("menu_button", "")) or {"type": "default"}


@api_method("getChat")
async def get_chat(engine: Engine, params: Params) -> Any:
    chat = engine.target_chat(params, sending=False)
    return objects.chat_full_info(engine.world, chat.chat_id)

"""Bot API JSON objects (User, Chat, Message, CallbackQuery, ...) built from the world.

Optional fields are left out rather than sent as null, as Telegram does; PTB de-serialises
these dicts with the same code it uses for real Telegram answers.
"""

from __future__ import annotations

from typing import Any

from telegram_standin.world import (
    CallbackRecord,
    ChatMessage,
    Citizen,
    StoredFile,
    World,
    now,
)


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def bot_user(world: World, *, full: bool = False) -> dict[str, Any]:
    """The bot as a User; `full` adds the getMe-only capability flags."""
    user: dict[str, Any] = {
        "id": world.bot.user_id,
        "is_bot": True,
        "first_name": world.bot.first_name,
        "username": world.bot.username,
    }
    if full:
        user.update(
            can_join_groups=True,
            can_read_all_group_messages=False,
            supports_inline_queries=False,
            can_connect_to_business=False,
            has_main_web_app=False,
        )
    return user


def citizen_user(citizen: Citizen) -> dict[str, Any]:
    return _compact(
        {
            "id": citizen.user_id,
            "is_bot": False,
            "first_name": citizen.first_name,
            "last_name": citizen.last_name,
            "username": citizen.username,
            "language_code": citizen.language_code,
        }
    )


def chat_json(world: World, chat_id: int) -> dict[str, Any]:
    chat = world.chat(chat_id)
    if chat.type == "private":
        citizen = world.citizens[chat_id]
        return _compact(
            {
                "id": chat_id,
                "type": "private",
                "first_name": citizen.first_name,
                "last_name": citizen.last_name,
                "username": citizen.username,
            }
        )
    return {"id": chat_id, "type": chat.type, "title": chat.title or f"Chat {chat_id}"}


def chat_full_info(world: World, chat_id: int) -> dict[str, Any]:
    """getChat's ChatFullInfo: Chat plus the fields PTB requires."""
    return {
        **chat_json(world, chat_id),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


def document_json(stored: StoredFile) -> dict[str, Any]:
    return _compact(
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": stored.file_name,
            "mime_type": stored.mime_type,
            "file_size": stored.file_size,
        }
    )


def message_json(world: World, message: ChatMessage, *, with_reply: bool = True) -> dict[str, Any]:
    """A Message as Telegram returns it (only inline keyboards are echoed back)."""
    sender = (
        bot_user(world) if message.from_bot else citizen_user(world.citizens[message.sender_id])
    )
    body: dict[str, Any] = {
        "message_id": message.message_id,
        "from": sender,
        "chat": chat_json(world, message.chat_id),
        "date": message.date,
    }
    if message.edit_date is not None:
        body["edit_date"] = message.edit_date
    if message.text is not None:
        body["text"] = message.text
        if message.entities:
            body["entities"] = message.entities
    if message.document is not None:
        body["document"] = document_json(message.document)
        if message.caption:
            body["caption"] = message.caption
            if message.caption_entities:
                body["caption_entities"] = message.caption_entities
    if message.contact is not None:
        body["contact"] = message.contact
    if with_reply and message.reply_to_message_id is not None:
        replied = world.message(message.chat_id, message.reply_to_message_id)
        if replied is not None:
            body["reply_to_message"] = message_json(world, replied, with_reply=False)
    if message.reply_markup and "inline_keyboard" in message.reply_markup:
        body["reply_markup"] = message.reply_markup
    return body


def callback_query_json(world: World, record: CallbackRecord) -> dict[str, Any]:
    message = world.message(record.chat_id, record.message_id)
    assert message is not None, "callback on a message the stand-in never recorded"
    return _compact(
        {
            "id": record.callback_query_id,
            "from": citizen_user(world.citizens[record.user_id]),
            "message": message_json(world, message),
            "chat_instance": str(abs(hash((world.bot.user_id, record.chat_id))) % 10**18),
            "data": record.data,
        }
    )


def my_chat_member_json(world: World, citizen: Citizen, *, blocked: bool) -> dict[str, Any]:
    """The update Telegram sends when a person blocks (or unblocks) the bot."""
    member = {"status": "member", "user": bot_user(world)}
    banned = {"status": "kicked", "user": bot_user(world), "until_date": 0}
    return {
        "chat": chat_json(world, citizen.user_id),
        "from": citizen_user(citizen),
        "date": now(),
        "old_chat_member": member if blocked else banned,
        "new_chat_member": banned if blocked else member,
    }

"""Bot API methods that put something in a chat: send, edit, delete, answer, upload."""

from __future__ import annotations

import mimetypes
from typing import Any

from telegram_standin import errors, markup, objects
from telegram_standin.engine import Engine, api_method
from telegram_standin.params import Params, Upload
from telegram_standin.text_entities import CAPTION_LIMIT, MESSAGE_LIMIT, format_text
from telegram_standin.world import Chat, ChatMessage, StoredFile, now

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
CALLBACK_ANSWER_LIMIT = 200


def _reply_target(engine: Engine, chat: Chat, params: Params) -> int | None:
    """The message being replied to, from `reply_parameters` or the legacy fields."""
    reply = params.json("reply_parameters")
    if isinstance(reply, dict):
        message_id, allow_missing = (
            reply.get("message_id"),
            bool(reply.get("allow_sending_without_reply")),
        )
    else:
        message_id = params.integer("reply_to_message_id")
        allow_missing = params.flag("allow_sending_without_reply")
    if message_id is None:
        return None
    found = engine.world.message(chat.chat_id, int(message_id))
    if found is None or found.deleted:
        if allow_missing:
            return None
        raise errors.ApiError(400, errors.REPLY_NOT_FOUND)
    return int(message_id)


def _remember_keyboard(chat: Chat, reply_markup: dict[str, Any] | None) -> None:
    """A reply keyboard stays on the citizen's screen until the bot removes it."""
    if reply_markup is None:
        return
    if "keyboard" in reply_markup:
        chat.reply_keyboard = reply_markup
    elif reply_markup.get("remove_keyboard"):
        chat.reply_keyboard = None


def _post(engine: Engine, chat: Chat, message: ChatMessage) -> dict[str, Any]:
    _remember_keyboard(chat, message.reply_markup)
    engine.world.add_message(message)
    return objects.message_json(engine.world, message)


@api_method("sendMessage")
async def send_message(engine: Engine, params: Params) -> Any:
    chat = engine.target_chat(params, sending=True)
    source = params.string("text") or ""
    parse_mode = params.string("parse_mode")
    parsed = format_text(
        source,
        parse_mode=parse_mode,
        entities=params.json("entities"),
        limit=MESSAGE_LIMIT,
        strict_html_entities=engine.strict_html_entities,
    )
    reply_markup = markup.parse_reply_markup(params.raw("reply_markup"))
    reply_to = _reply_target(engine, chat, params)
    engine.count_message(chat)
    message = ChatMessage(
        chat_id=chat.chat_id,
        message_id=engine.world.new_message_id(chat.chat_id),
        date=now(),
        sender_id=engine.world.bot.user_id,
        from_bot=True,
        text=parsed.text,
        entities=parsed.entities,
        source_text=source,
        parse_mode=parse_mode,
        reply_markup=reply_markup,
        reply_to_message_id=reply_to,
    )
    return _post(engine, chat, message)


def _editable(engine: Engine, params: Params) -> tuple[Chat, ChatMessage]:
    if "inline_message_id" in params:
        raise errors.bad_request("inline messages are not modelled by the stand-in")
    chat = engine.target_chat(params, sending=True)
    message = engine.world.message(chat.chat_id, params.required_integer("message_id"))
    if message is None or message.deleted:
        raise errors.ApiError(400, errors.MESSAGE_TO_EDIT_NOT_FOUND)
    if not message.from_bot:
        raise errors.ApiError(400, errors.MESSAGE_CANT_BE_EDITED)
    return chat, message


def _inline_only(params: Params) -> dict[str, Any] | None:
    new_markup = markup.parse_reply_markup(params.raw("reply_markup"))
    if new_markup is not None and "inline_keyboard" not in new_markup:
        raise errors.bad_request("inline keyboard expected")
    return new_markup


def _current_inline(message: ChatMessage) -> dict[str, Any] | None:
    current = message.reply_markup
    return current if current and "inline_keyboard" in current else None


def _apply_edit(engine: Engine, chat: Chat, message: ChatMessage, **changes: Any) -> Any:
    message.edits.append(message.snapshot())
    for name, value in changes.items():
        setattr(message, name, value)
    message.edit_date = now()
    engine.world.record(chat, "edit", message.message_id)
    return objects.message_json(engine.world, message)


@api_method("editMessageText")
async def edit_message_text(engine: Engine, params: Params) -> Any:
    chat, message = _editable(engine, params)
    if message.text is None:
        raise errors.ApiError(400, errors.NO_TEXT_TO_EDIT)
    source = params.string("text") or ""
    parse_mode = params.string("parse_mode")
    parsed = format_text(
        source,
        parse_mode=parse_mode,
        entities=params.json("entities"),
        limit=MESSAGE_LIMIT,
        strict_html_entities=engine.strict_html_entities,
    )
    new_markup = _inline_only(params)
    unchanged = (
        parsed.text == message.text
        and parsed.entities == message.entities
        and new_markup == _current_inline(message)
    )
    if unchanged:
        raise errors.ApiError(400, errors.MESSAGE_NOT_MODIFIED)
    kept = message.reply_markup if _current_inline(message) is None else None
    return _apply_edit(
        engine,
        chat,
        message,
        text=parsed.text,
        entities=parsed.entities,
        source_text=source,
        parse_mode=parse_mode,
        reply_markup=new_markup or kept,
    )


@api_method("editMessageReplyMarkup")
async def edit_message_reply_markup(engine: Engine, params: Params) -> Any:
    chat, message = _editable(engine, params)
    new_markup = _inline_only(params)
    if new_markup == _current_inline(message):
        raise errors.ApiError(400, errors.MESSAGE_NOT_MODIFIED)
    return _apply_edit(engine, chat, message, reply_markup=new_markup)


@api_method("deleteMessage")
async def delete_message(engine: Engine, params: Params) -> Any:
    chat = engine.target_chat(params, sending=False)
    message = engine.world.message(chat.chat_id, params.required_integer("message_id"))
    if message is None or message.deleted:
        raise errors.ApiError(400, errors.MESSAGE_TO_DELETE_NOT_FOUND)
    message.deleted = True
    engine.world.record(chat, "delete", message.message_id)
    return True


@api_method("sendChatAction")
async def send_chat_action(engine: Engine, params: Params) -> Any:
    chat = engine.target_chat(params, sending=True)
    action = params.string("action")
    if action not in CHAT_ACTIONS:
        raise errors.bad_request("wrong parameter action in request")
    chat.last_action = action
    engine.world.record(chat, "chat_action", None, action=action)
    return True


@api_method("answerCallbackQuery")
async def answer_callback_query(engine: Engine, params: Params) -> Any:
    world = engine.world
    record = world.callbacks.get(params.string("callback_query_id") or "")
    if record is None or record.answer is not None:
        raise errors.ApiError(400, errors.QUERY_TOO_OLD)
    text = params.string("text")
    if text is not None and len(text) > CALLBACK_ANSWER_LIMIT:
        raise errors.bad_request("MESSAGE_TOO_LONG")
    record.answer = {
        "text": text,
        "show_alert": params.flag("show_alert"),
        "url": params.string("url"),
        "cache_time": params.integer("cache_time", 0),
    }
    world.record(
        world.chat(record.chat_id),
        "callback_answer",
        record.message_id,
        callback_query_id=record.callback_query_id,
        **record.answer,
    )
    return True


def _stored_file(engine: Engine, params: Params, field: str) -> StoredFile:
    """The file a send* call refers to: a multipart upload, attach://name, or a known file_id."""
    world = engine.world
    reference = params.string(field)
    upload: Upload | None = params.uploads.get(field)
    if upload is None and reference and reference.startswith("attach://"):
        upload = params.uploads.get(reference.removeprefix("attach://"))
    if upload is None:
        known = world.files.get(reference or "")
        if known is None:
            raise errors.bad_request("wrong file identifier/HTTP URL specified")
        return known
    if not upload.content:
        raise errors.bad_request("file must be non-empty")
    mime = upload.content_type
    if not mime or mime == "application/octet-stream":
        mime = mimetypes.guess_type(upload.filename or "")[0] or mime
    stored = StoredFile(
        file_id=world.unique("BQACAgIAAxkBAAI"),
        file_unique_id=world.unique("AgAD"),
        file_name=upload.filename,
        mime_type=mime,
        content=upload.content,
    )
    world.files[stored.file_id] = stored
    return stored


@api_method("sendDocument")
async def send_document(engine: Engine, params: Params) -> Any:
    chat = engine.target_chat(params, sending=True)
    parse_mode = params.string("parse_mode")
    caption = format_text(
        params.string("caption") or "",
        parse_mode=parse_mode,
        entities=params.json("caption_entities"),
        limit=CAPTION_LIMIT,
        strict_html_entities=engine.strict_html_entities,
        caption=True,
    )
    reply_markup = markup.parse_reply_markup(params.raw("reply_markup"))
    reply_to = _reply_target(engine, chat, params)
    stored = _stored_file(engine, params, "document")
    engine.count_message(chat)
    message = ChatMessage(
        chat_id=chat.chat_id,
        message_id=engine.world.new_message_id(chat.chat_id),
        date=now(),
        sender_id=engine.world.bot.user_id,
        from_bot=True,
        document=stored,
        caption=caption.text or None,
        caption_entities=caption.entities,
        parse_mode=parse_mode,
        reply_markup=reply_markup,
        reply_to_message_id=reply_to,
    )
    return _post(engine, chat, message)


@api_method("getFile")
async def get_file(engine: Engine, params: Params) -> Any:
    stored = engine.world.files.get(params.string("file_id") or "")
    if stored is None:
        raise errors.bad_request("invalid file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.file_size,
        "file_path": f"documents/{stored.file_id}",
    }

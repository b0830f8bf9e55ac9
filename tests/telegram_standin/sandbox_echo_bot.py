"""A tiny python-telegram-bot application for the stand-in's own tests.

The echo bot is deliberately small but uses what the product uses: HTML replies, an inline
menu, callback answers with edits, a reply keyboard with a contact button, a document.
"""

from __future__ import annotations

import html
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from telegram_standin import BotApiStandIn, RetryPolicy

FAST_RETRY = RetryPolicy(first_delay=0.02, factor=2.0, max_delay=0.2, request_timeout=2.0)
EchoApp = Application[Any, Any, Any, Any, Any, Any]
MENU = [("Hỗ trợ nhà ở", "topic:housing"), ("Trợ cấp xã hội", "topic:allowance")]


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greets by name, echoes a deep-link payload, shows the topic menu."""
    assert update.message is not None and update.effective_user is not None
    payload = f" (mã: {html.escape(context.args[0])})" if context.args else ""
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data)] for text, data in MENU]
    )
    name = html.escape(update.effective_user.first_name)
    await update.message.reply_html(
        f"Chào <b>{name}</b>!{payload} Bạn cần gì?", reply_markup=keyboard
    )


async def _topic(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers the press and replaces the menu with the choice."""
    query = update.callback_query
    assert query is not None and query.data is not None
    label = dict((data, text) for text, data in MENU).get(query.data, query.data)
    await query.answer(f"Đã chọn {label}")
    await query.edit_message_text(f"Bạn chọn: <b>{html.escape(label)}</b>", parse_mode="HTML")


async def _contact_request(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Asks for the phone number with a request_contact button."""
    assert update.message is not None
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton("📱 Gửi số điện thoại", request_contact=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    await update.message.reply_text("Bấm nút bên dưới để gửi số.", reply_markup=keyboard)


async def _contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Confirms the shared number and removes the keyboard."""
    assert update.message is not None and update.message.contact is not None
    await update.message.reply_text(
        f"Đã nhận số {update.message.contact.phone_number}", reply_markup=ReplyKeyboardRemove()
    )


async def _document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sends a small file."""
    assert update.message is not None
    await update.message.reply_document(
        b"ho ten;so dien thoai\n",
        filename="mau_dang_ky.csv",
        caption="<i>Mẫu đăng ký</i>",
        parse_mode="HTML",
    )


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Repeats the text, escaped, in bold."""
    assert update.message is not None and update.message.text is not None
    await update.message.reply_html(f"<b>Bạn nói:</b> {html.escape(update.message.text)}")


def build_echo_app(standin: BotApiStandIn, *, updater: bool = True) -> EchoApp:
    """The echo bot, pointed at the stand-in exactly as production points at Telegram."""
    builder = ApplicationBuilder().token(standin.token).base_url(standin.base_url)
    builder = builder.base_file_url(standin.base_file_url)
    if not updater:
        builder = builder.updater(None)
    app = builder.build()
    app.add_handler(CommandHandler("start", _start))
    app.add_handler(CommandHandler("tep", _document))
    app.add_handler(CallbackQueryHandler(_topic, pattern="^topic:"))
    app.add_handler(MessageHandler(filters.CONTACT, _contact))
    app.add_handler(MessageHandler(filters.Regex("(?i)^liên hệ$"), _contact_request))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
    return app

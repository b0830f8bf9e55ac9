"""`python -m bot chat`: talk to the sandbox bot as a citizen, in this terminal.

Connects to the stand-in started by `make run` (its `/_sandbox` control surface), so every
message goes through the bot's real handlers over real HTTP. Type text and press Enter;
type a number to pick a button; `/contact` shares a phone number; `/quit` leaves.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import threading
from typing import Any, TextIO

import httpx

from telegram_standin.chat_view import INDENT, Choice, Conversation
from telegram_standin.client import SandboxClient, SandboxError
from telegram_standin.simulation import default_phone

HELP = (
    "Gõ tin nhắn rồi Enter · gõ số để chọn nút · /contact để chia sẻ số điện thoại\n"
    "\\2 để gửi đúng chữ số 2 · /quit để thoát"
)


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot chat", description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="stand-in URL (default: http://SANDBOX_HOST:SANDBOX_PORT)")
    parser.add_argument("--user-id", type=int, default=100_001, help="your Telegram user id")
    parser.add_argument("--first-name", default="An")
    parser.add_argument("--last-name", default="Nguyễn")
    parser.add_argument("--username", default=None)
    parser.add_argument("--wait", type=float, default=8.0, help="seconds to wait for a reply")
    parser.add_argument("--quiet-period", type=float, default=0.4, help=argparse.SUPPRESS)
    parser.add_argument("--no-color", action="store_true", help="no ANSI styles")
    return parser.parse_args(argv)


def _default_url() -> str:
    # The stand-in does not read the bot's settings (it is its own product): `python -m bot
    # chat` passes --url from them; run alone, the same variables apply from the environment.
    host = os.environ.get("SANDBOX_HOST", "127.0.0.1")
    port = os.environ.get("SANDBOX_PORT", "8081")
    return f"http://{host}:{port}"


class _Terminal:
    """Output with a prompt that bot messages arriving in the background do not garble."""

    def __init__(self, stdout: TextIO, *, interactive: bool) -> None:
        self.stdout = stdout
        self.interactive = interactive
        self.prompt_shown = False

    def show(self, lines: list[str]) -> None:
        if not lines:
            return
        if self.prompt_shown:
            self.stdout.write("\r\x1b[K")
        self.stdout.write("\n".join(lines) + "\n")
        if self.prompt_shown:
            self.stdout.write("Bạn: ")
        self.stdout.flush()

    def prompt(self, text: str = "Bạn: ") -> None:
        if self.interactive:
            self.stdout.write(text)
            self.stdout.flush()
            self.prompt_shown = True

    def typed(self, line: str, label: str = "Bạn: ") -> None:
        """Echo input that came from a pipe or file, so transcripts read like a chat."""
        self.prompt_shown = False
        if not self.interactive:
            self.stdout.write(f"{label}{line}\n")
            self.stdout.flush()


def _start_reader(stdin: TextIO, loop: asyncio.AbstractEventLoop) -> asyncio.Queue[str | None]:
    """Read lines on a daemon thread (so Ctrl-C never waits for Enter); None at end of input."""
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        for line in iter(stdin.readline, ""):
            loop.call_soon_threadsafe(queue.put_nowait, line.rstrip("\r\n"))
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=read, name="chat-stdin", daemon=True).start()
    return queue


class ChatSession:
    """One person's conversation: listen for the bot, turn typed lines into actions."""

    def __init__(
        self, client: SandboxClient, user_id: int, terminal: _Terminal, args: argparse.Namespace
    ) -> None:
        self.client = client
        self.user_id = user_id
        self.terminal = terminal
        self.args = args
        ansi = not args.no_color and _wants_color(terminal.stdout)
        self.view = Conversation(ansi=ansi, base_url=client.url)
        self.seq = 0
        self.last_event_at = 0.0
        self.activity = asyncio.Event()

    async def listen(self) -> None:
        """Long-poll the stand-in for what the bot does in this chat and print it."""
        loop = asyncio.get_running_loop()
        while True:
            try:
                found = await self.client.events(self.user_id, after=self.seq, timeout=20)
            except (httpx.HTTPError, SandboxError) as exc:
                self.terminal.show([f"(mất kết nối tới hộp cát: {exc}; thử lại...)"])
                await asyncio.sleep(1)
                continue
            for event in found["events"]:
                self.seq = max(self.seq, event["seq"])
                self.terminal.show(self.view.apply(event))
                if event["kind"] not in ("citizen_message", "button_press", "chat_action"):
                    self.last_event_at = loop.time()
                    self.activity.set()

    async def settle(self, started: float) -> None:
        """Wait for the bot's answer to an action taken at `started` (loop time): a first
        event, then a short quiet period."""
        loop = asyncio.get_running_loop()
        deadline = started + self.args.wait
        while loop.time() < deadline:
            self.activity.clear()
            answered = self.last_event_at > started
            if answered and loop.time() - self.last_event_at >= self.args.quiet_period:
                return
            timeout = self.args.quiet_period if answered else deadline - loop.time()
            try:
                await asyncio.wait_for(self.activity.wait(), max(timeout, 0.01))
            except TimeoutError:
                if answered:
                    return
        self.terminal.show([f"{INDENT}(bot chưa trả lời sau {self.args.wait:g} giây)"])

    async def handle(self, line: str, lines: asyncio.Queue[str | None]) -> bool:
        """Act on one typed line; False means leave."""
        if line.strip() == "/quit":
            return False
        started = asyncio.get_running_loop().time()
        acted = True
        if line.startswith("/contact"):
            await self.share_contact(line.removeprefix("/contact").strip() or None, lines)
        elif line.startswith("\\"):
            await self.client.send_text(self.user_id, line[1:])
        elif (button := self.view.reply_button(line)) is not None:
            acted = await self.reply_button(button, lines)
        elif (choice := self.view.choice(line.strip())) is not None:
            acted = await self.pick(choice, lines)
        else:
            await self.client.send_text(self.user_id, line)
        if acted:
            await self.settle(started)
        return True

    async def pick(self, choice: Choice, lines: asyncio.Queue[str | None]) -> bool:
        """Press the chosen button; False when nothing reaches the bot."""
        button = choice.button
        self.terminal.show([f"{INDENT}→ {button['text']}"])
        if choice.source == "reply":
            return await self.reply_button(button, lines)
        if choice.kind == "callback":
            await self.client.press_button(
                self.user_id, callback_data=button["callback_data"], message_id=choice.message_id
            )
            return True
        if choice.kind == "url":
            self.terminal.show([f"{INDENT}🔗 {button['url']}"])
        else:
            self.terminal.show([f"{INDENT}(nút loại {choice.kind} không dùng được trong hộp cát)"])
        return False

    async def reply_button(self, button: dict[str, Any], lines: asyncio.Queue[str | None]) -> bool:
        """Tap a reply-keyboard button: it sends its text, or the person's contact."""
        if button.get("request_contact"):
            await self.share_contact(None, lines)
        elif any(key.startswith("request_") or key == "web_app" for key in button):
            self.terminal.show([f"{INDENT}(nút này không dùng được trong hộp cát)"])
            return False
        else:
            await self.client.send_text(self.user_id, button["text"])
        return True

    async def share_contact(self, phone: str | None, lines: asyncio.Queue[str | None]) -> None:
        if phone is None:
            default = default_phone(self.user_id)
            label = f"{INDENT}Số điện thoại để chia sẻ (Enter = {default}): "
            self.terminal.prompt(label)
            typed = await lines.get()
            self.terminal.typed(typed or "", label)
            phone = (typed or "").strip() or default
        await self.client.share_contact(self.user_id, phone)
        self.terminal.show([f"{INDENT}📇 đã chia sẻ số {phone}"])

    async def run(self, lines: asyncio.Queue[str | None]) -> int:
        history = await self.client.messages(self.user_id)
        self.seq = (await self.client.events(self.user_id, after=0))["seq"]
        self.terminal.show(self.view.load_history(history))
        listener = asyncio.create_task(self.listen(), name="chat-listener")
        try:
            while True:
                self.terminal.prompt()
                line = await lines.get()
                if line is None:
                    return 0
                self.terminal.typed(line)
                if not line.strip():
                    continue
                try:
                    if not await self.handle(line, lines):
                        return 0
                except SandboxError as exc:
                    self.terminal.show([f"{INDENT}(không làm được: {exc})"])
        finally:
            listener.cancel()


def _wants_color(stdout: TextIO) -> bool:
    return stdout.isatty() and "NO_COLOR" not in os.environ


async def _chat(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    url = args.url or _default_url()
    terminal = _Terminal(stdout, interactive=stdin.isatty())
    async with SandboxClient(url) as client:
        try:
            health = await client.health()
        except httpx.HTTPError:
            stdout.write(f"Không kết nối được tới hộp cát tại {url}. Hãy chạy `make run` trước.\n")
            return 1
        citizen = await client.create_citizen(
            user_id=args.user_id,
            first_name=args.first_name,
            last_name=args.last_name,
            username=args.username,
        )
        name = " ".join(p for p in (citizen["last_name"], citizen["first_name"]) if p)
        terminal.show(
            [
                f"Trò chuyện với @{health['bot']['username']} trong hộp cát ({url})",
                f"Bạn là {name} (id {citizen['user_id']}).",
                HELP,
            ]
        )
        session = ChatSession(client, citizen["user_id"], terminal, args)
        return await session.run(_start_reader(stdin, asyncio.get_running_loop()))


def main(argv: list[str]) -> int:
    """Entry point for `python -m bot chat [--url URL] [--user-id N] ...`."""
    try:
        args = _parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    stdin, stdout = sys.stdin, sys.stdout
    try:
        return asyncio.run(_chat(args, stdin, stdout))
    except KeyboardInterrupt:
        stdout.write("\n")
        return 130

"""The NLU server's HTTP API never answers without its token (real Rasa server)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bot.nlu_client import NluClient
from bot.nlu_tools.rasa_process import RasaServer

pytestmark = pytest.mark.nlu_server


async def test_parse_and_model_loading_are_refused_without_the_token(
    nlu_server: RasaServer, tmp_path: Path
) -> None:
    body = {"text": "trợ cấp người cao tuổi bao nhiêu"}
    async with httpx.AsyncClient(base_url=nlu_server.url, timeout=30) as http:
        anonymous_parse = await http.post("/model/parse", json=body)
        wrong_token = await http.post("/model/parse", params={"token": "doan-bua"}, json=body)
        load_model = await http.put("/model", json={"model_file": str(tmp_path / "x.tar.gz")})
        unload_model = await http.delete("/model")
        status = await http.get("/status")
        still_serving = await http.post(
            "/model/parse", params={"token": nlu_server.auth_token}, json=body
        )
    for refused in (anonymous_parse, wrong_token, load_model, unload_model, status):
        assert refused.status_code in (401, 403), (refused.request.url.path, refused.text)
    assert still_serving.status_code == 200  # the model is still loaded: DELETE was refused
    assert still_serving.json()["intent"]["name"] == "allowance_amount"


async def test_the_bot_client_sends_the_token(nlu_server: RasaServer) -> None:
    async with NluClient(nlu_server.url, token=nlu_server.auth_token) as client:
        assert (await client.parse("xin chào")).intent == "greet"
        assert await client.healthy()
    async with NluClient(nlu_server.url) as anonymous:
        assert not await anonymous.healthy()


def test_the_token_is_not_on_any_command_line_and_the_server_is_on_loopback(
    nlu_server: RasaServer,
) -> None:
    assert nlu_server.url.startswith("http://127.0.0.1:")
    leaked = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if nlu_server.auth_token.encode() in cmdline:
            leaked.append(proc.name)
    assert leaked == []
    assert len(nlu_server.auth_token) >= 32

"""The HTTP face of the stand-in: `/bot<token>/<method>`, file downloads, `/_sandbox/...`.

Parameters are accepted every way the Bot API accepts them — query string, JSON body,
url-encoded or multipart form — because PTB switches to multipart as soon as a file is sent.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from telegram_standin import errors
from telegram_standin.control import control_routes
from telegram_standin.params import Params, Upload
from telegram_standin.simulation import Simulator

MAX_UPLOAD_PART = 50 * 1024 * 1024  # Telegram's limit for bots' uploads


async def read_params(request: Request) -> Params:
    """Merge query string and body into `Params`, keeping uploaded files' bytes."""
    values: dict[str, Any] = dict(request.query_params)
    uploads: dict[str, Upload] = {}
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method != "POST":
        return Params(values)
    if content_type == "application/json":
        body = await request.body()
        if body.strip():
            try:
                data = json.loads(body)
            except ValueError:
                raise errors.bad_request("can't parse JSON encoded request parameters") from None
            if isinstance(data, dict):
                values.update(data)
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        async with request.form(max_part_size=MAX_UPLOAD_PART) as form:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    content = await value.read()
                    uploads[key] = Upload(value.filename, value.content_type, content)
                else:
                    values[key] = value
    return Params(values, uploads)


def build_app(simulator: Simulator) -> Starlette:
    """The ASGI app for one stand-in."""
    engine = simulator.engine

    async def bot_api(request: Request) -> Response:
        try:
            params = await read_params(request)
        except errors.ApiError as exc:
            return JSONResponse(exc.payload(), status_code=exc.status)
        status, body = await engine.call(
            request.path_params["token"], request.path_params["method"], params
        )
        return JSONResponse(body, status_code=status)

    async def download(request: Request) -> Response:
        if request.path_params["token"] != engine.token:
            return JSONResponse(errors.unauthorized().payload(), status_code=401)
        file_id = str(request.path_params["file_path"]).removeprefix("documents/")
        stored = engine.world.files.get(file_id)
        if stored is None:
            return JSONResponse(errors.not_found().payload(), status_code=404)
        return Response(stored.content, media_type=stored.mime_type or "application/octet-stream")

    routes = [
        Route("/bot{token}/{method}", bot_api, methods=["GET", "POST"]),
        Route("/file/bot{token}/{file_path:path}", download, methods=["GET"]),
        *control_routes(simulator),
    ]
    return Starlette(routes=routes)

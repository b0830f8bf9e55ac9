"""Which trained model is current, and whether it still matches its inputs.

A model is retrained only when its inputs change: `config.yml`, anything under `nlu/`
(training data, lookups, custom components; not the experimental `nlu/pipelines/`), or the
pinned NLU dependencies. The hash of those files is the model's fingerprint and its name.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from bot.nlu_tools import rasa_process
from bot.settings import PROJECT_ROOT

CONFIG = PROJECT_ROOT / "config.yml"
NLU_DIR = PROJECT_ROOT / "nlu"
TRAINING_DATA = NLU_DIR / "data"
FINGERPRINT_FILE = rasa_process.MODELS_DIR / "fingerprint.json"
_EXCLUDED_PARTS = {"__pycache__", "pipelines"}


def model_inputs(root: Path = PROJECT_ROOT) -> list[Path]:
    """Every file whose change must retrain the model, in a stable order."""
    nlu_files = [
        p
        for p in sorted((root / "nlu").rglob("*"))
        if p.is_file() and not _EXCLUDED_PARTS.intersection(p.relative_to(root).parts)
    ]
    return [root / "config.yml", root / "requirements" / "nlu.lock", *nlu_files]


def fingerprint(root: Path = PROJECT_ROOT) -> str:
    """SHA-256 over the relative path and content of every model input."""
    digest = hashlib.sha256()
    for path in model_inputs(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class ModelRecord:
    """What `models/fingerprint.json` says about the current model."""

    fingerprint: str
    model: Path


def current_record() -> ModelRecord | None:
    """The recorded model, if the record and its file both exist."""
    try:
        data = json.loads(FINGERPRINT_FILE.read_text())
        record = ModelRecord(data["fingerprint"], rasa_process.MODELS_DIR / data["model"])
    except (OSError, ValueError, KeyError):
        return None
    return record if record.model.exists() else None


def current_model() -> Path:
    """Path of the current model; a clear error when none was trained."""
    record = current_record()
    if record is None:
        raise rasa_process.RasaError("no trained NLU model: run `make model`")
    return record.model


def ensure_trained(*, force: bool = False) -> tuple[Path, bool]:
    """Train when the inputs changed (or `force`); return (model, trained_now)."""
    wanted = fingerprint()
    record = current_record()
    if record is not None and record.fingerprint == wanted and not force:
        return record.model, False
    name = f"nlu-{wanted[:12]}"
    rasa_process.log(f"==> Training the NLU model ({name}); inputs changed since the last model")
    model = rasa_process.train(
        config=CONFIG, data=[TRAINING_DATA], out_dir=rasa_process.MODELS_DIR, model_name=name
    )
    for old in rasa_process.MODELS_DIR.glob("nlu-*.tar.gz"):
        if old != model:
            old.unlink()
    FINGERPRINT_FILE.write_text(json.dumps({"fingerprint": wanted, "model": model.name}) + "\n")
    return model, True

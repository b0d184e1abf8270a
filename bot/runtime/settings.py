"""Ports, paths and tokens of the run command, from the environment (see docs/operations.md)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Optional

from bot.settings import SettingsError, int_from_env

# For every Rasa process we start: no telemetry or error reports sent out (the
# shop's data stays on the machine, and there may be no network), less noise.
CHILD_ENVIRONMENT = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "PYTHONUNBUFFERED": "1",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
}


@dataclass(frozen=True)
class RuntimeSettings:
    root: Path
    host: str
    rasa_port: int
    action_port: int
    recommender_port: int
    console_port: int
    order_system_port: int
    alerts_port: int
    embedded_redis_port: int
    redis_url: Optional[str]
    redis_sentinels: Optional[str]
    data_dir: Path
    models_dir: Path
    config_file: Path
    model: Optional[Path]
    auth_token: Optional[str]
    customer_token_secret: Optional[str] = None
    order_system_url: Optional[str] = None

    @classmethod
    def from_env(cls, root: Path, environ: Mapping[str, str] = os.environ) -> "RuntimeSettings":
        root = Path(root).resolve()
        data_dir = Path(environ.get("SHOPBOT_DATA_DIR") or root / "data").resolve()
        ports = {
            name: int_from_env(environ, name, default)
            for name, default in (
                ("RASA_PORT", 5005),
                ("ACTION_PORT", 5055),
                ("RECOMMENDER_PORT", 5056),
                ("CONSOLE_PORT", 5057),
                ("ORDER_SYSTEM_PORT", 5058),
                ("ALERTS_PORT", 5059),
                ("EMBEDDED_REDIS_PORT", 6379),
            )
        }
        for name, port in ports.items():
            if not 0 < port < 65536:
                raise SettingsError(f"{name} must be a port number (1-65535), got {port}")
        model = environ.get("RASA_MODEL")
        return cls(
            root=root,
            host=environ.get("SHOPBOT_HOST", "0.0.0.0"),
            rasa_port=ports["RASA_PORT"],
            action_port=ports["ACTION_PORT"],
            recommender_port=ports["RECOMMENDER_PORT"],
            console_port=ports["CONSOLE_PORT"],
            order_system_port=ports["ORDER_SYSTEM_PORT"],
            alerts_port=ports["ALERTS_PORT"],
            embedded_redis_port=ports["EMBEDDED_REDIS_PORT"],
            redis_url=environ.get("REDIS_URL") or None,
            redis_sentinels=(environ.get("REDIS_SENTINELS") or "").strip() or None,
            data_dir=data_dir,
            models_dir=Path(environ.get("SHOPBOT_MODELS_DIR") or root / "models").resolve(),
            config_file=Path(environ.get("RASA_CONFIG") or root / "config.yml").resolve(),
            model=Path(model).resolve() if model else None,
            auth_token=environ.get("RASA_AUTH_TOKEN") or None,
            customer_token_secret=environ.get("CUSTOMER_TOKEN_SECRET") or None,
            order_system_url=(environ.get("ORDER_SYSTEM_URL") or "").strip() or None,
        )

    def auth_token_or_generate(self) -> str:
        """The HTTP API token: ``RASA_AUTH_TOKEN``, else one generated once and kept in the data dir."""
        return self.auth_token or self._kept_secret("rasa_auth_token", 24)

    def customer_token_secret_or_generate(self) -> str:
        """``CUSTOMER_TOKEN_SECRET`` (the shop's site signs customer tokens with it), else one kept for the demo."""
        return self.customer_token_secret or self._kept_secret("customer_token_secret", 32)

    def demo_order_system_token(self) -> str:
        """What the bot and the demo order system share, so only the bot's processes can call it."""
        return self._kept_secret("demo_order_system_token", 24)

    def action_server_token_or_generate(self) -> str:
        """``ACTION_SERVER_TOKEN`` (the action server refuses calls without it), else one kept in the data dir."""
        return os.environ.get("ACTION_SERVER_TOKEN") or self._kept_secret("action_server_token", 24)

    def privacy_key_or_generate(self) -> str:
        """``PRIVACY_KEY`` (seals the few personal values kept whole), else a Fernet key kept in the data dir."""
        from bot.store.sealing import Sealer

        return os.environ.get("PRIVACY_KEY") or self._kept_secret("privacy_key", 0, Sealer.new_key)

    def _kept_secret(self, name: str, size: int, make: Optional[Callable[[], str]] = None) -> str:
        secret_file = self.data_dir / name
        if secret_file.exists():
            return secret_file.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        secret = make() if make else secrets.token_urlsafe(size)
        secret_file.write_text(secret + "\n")
        secret_file.chmod(0o600)
        return secret

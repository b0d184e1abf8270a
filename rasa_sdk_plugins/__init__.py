"""rasa-sdk's plugin package (rasa_sdk/plugin.py looks for ``rasa_sdk_plugins``): the action server's guard.

With ``ACTION_SERVER_TOKEN`` set, a call without that token gets 401 and runs no
action (bot/identity/service_tokens.py); Rasa sends it from endpoints.yml.
"""

from __future__ import annotations

import pluggy
from sanic import Sanic, response

from bot.identity.service_tokens import allowed, configured, presented

hookimpl = pluggy.HookimplMarker("rasa_sdk")


class ActionServerGuard:
    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        expected = configured("ACTION_SERVER_TOKEN")
        if expected is None:
            return

        @app.middleware("request")
        async def require_token(request):
            given = presented(request.headers.get("Authorization"), request.args.get("token"))
            if not allowed(request.path, given, expected):
                return response.json({"error": "unauthorized", "message": "ACTION_SERVER_TOKEN required"},
                                     status=401)
            return None


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(ActionServerGuard())

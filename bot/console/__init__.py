"""The agents' console (客服工作台): an aiohttp process with a browser UI at ``/`` and a JSON API under ``/api/``.

The API is the contract of ``console-api.md`` (docs/console.md documents it
for shops that script against it).  Modules, each one job:

``accounts``    agent accounts in Redis: Argon2 hashes, roles, login lockout
``auth``        sessions (in Redis), CSRF, the 401/403 middleware
``transcript``  a conversation's messages from its tracker and the console's log
``handoff``     takeover, agent messages, handback, close, the idle return
``stream``      the server-sent event stream
``teaching``    the NLU inbox, annotations and their export to ``nlu_data/``
``api``         the HTTP handlers (thin: they check input and call the above)
``app``         ``make_app``: the aiohttp application and its dependencies
``__main__``    ``python -m bot.console [serve | agents add NAME --role ROLE]``
"""

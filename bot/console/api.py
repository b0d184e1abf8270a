"""The console's JSON API handlers (``console-api.md``; docs/console.md documents every route).

Thin: each handler checks its input, calls the index, the handoff desk or the
teaching store, and maps their refusals to clear 4xx answers.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Optional

from aiohttp import web

from bot.console import teaching
from bot.console.accounts import AccountError, LockedOut, check_name, check_password, check_role
from bot.console.auth import ACCOUNTS, csrf_token, current_agent, end_session, json_error, start_session
from bot.console.handoff import MAX_AGENT_MESSAGE_CHARS, Conflict, HandoffDesk, NotYours
from bot.console.stream import stream_events
from bot.console.reports import CHART_NAMES, Reports
from bot.console.tickets import TicketDesk, TicketNotYours
from bot.store.transcripts import transcript
from bot.analytics.report import as_json
from bot.service.tickets import TicketError
from bot.store.conversations import STATUSES, ConversationIndex, ConversationNotFound, cursor_score, iso_time
from bot.store.privacy_records import PrivacyRecords
from bot.store.redis_client import redis_unavailable, storable_json

INDEX = web.AppKey("index", ConversationIndex)
DESK = web.AppKey("desk", HandoffDesk)
TEACHING = web.AppKey("teaching", teaching.Teaching)
TICKETS = web.AppKey("tickets", TicketDesk)
REPORTS = web.AppKey("reports", Reports)
PRIVACY = web.AppKey("privacy", PrivacyRecords)
MAX_PAGE = 200
MAX_NOTE_CHARS = 2000
MAX_QUERY_CHARS = 200

routes = web.RouteTableDef()


class BadRequest(ValueError):
    pass


async def json_body(request: web.Request) -> Dict[str, Any]:
    if request.content_length is not None and request.content_length > 64 * 1024:
        raise BadRequest("the body is larger than 64 KiB")
    try:
        body = json.loads(await request.text() or "null")
    except (ValueError, UnicodeDecodeError, LookupError, RecursionError):  # LookupError: an unknown charset
        raise BadRequest("the body is not valid JSON") from None
    if not storable_json(body):
        raise BadRequest("the body holds a lone surrogate (like \\ud800), which is not text")
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    return body


def text_field(body: Dict[str, Any], name: str, max_chars: int) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f'"{name}" must be a non-empty string')
    if len(value) > max_chars:
        raise BadRequest(f'"{name}" is longer than {max_chars} characters')
    return value.strip()


def supervisor_only(request: web.Request) -> None:
    if not current_agent(request).is_supervisor:
        raise web.HTTPForbidden(text=json.dumps({"error": "supervisors only"}), content_type="application/json")


async def _conversation_json(request: web.Request, conversation_id: str,
                             originals: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    index = request.app[INDEX]
    conversation = await index.get(conversation_id)
    if conversation is None:
        raise ConversationNotFound(conversation_id)
    stored = await index.tracker_json(conversation_id)
    parts = transcript(stored, await index.log(conversation_id), originals)
    annotations = await request.app[TEACHING].annotations_of(conversation_id)
    for message in parts["messages"]:
        if message.get("role") == "customer" and message.get("id") in annotations:
            message["annotation"] = annotations[message["id"]]
    return {**conversation.item(), **parts,
            "queue_position": await index.queue_position(conversation_id) if conversation.status == "waiting"
            else None}


# ---- agents and sessions

@routes.post("/api/login")
async def login(request: web.Request) -> web.Response:
    body = await json_body(request)
    name, password = body.get("username"), body.get("password")
    if not isinstance(name, str) or not isinstance(password, str):
        raise BadRequest('send {"username": "...", "password": "..."}')
    try:
        account = await request.app[ACCOUNTS].authenticate(name, password)
    except LockedOut:
        return json_error(429, "too many failed logins for this name: try again in 15 minutes")
    if account is None:
        return json_error(401, "wrong name or password")
    token = await start_session(request, account)
    return web.json_response({"agent": account.as_dict(), "csrf_token": token})


@routes.post("/api/logout")
async def logout(request: web.Request) -> web.Response:
    await end_session(request)
    return web.json_response({"logged_out": True})


@routes.get("/api/me")
async def me(request: web.Request) -> web.Response:
    """The agent and the session's CSRF token (a reloaded page needs it; other sites cannot read it)."""
    return web.json_response({"agent": current_agent(request).as_dict(), "csrf_token": await csrf_token(request)})


@routes.get("/api/agents")
async def list_agents(request: web.Request) -> web.Response:
    supervisor_only(request)
    return web.json_response({"agents": [a.as_dict() for a in await request.app[ACCOUNTS].all()]})


@routes.post("/api/agents")
async def save_agent(request: web.Request) -> web.Response:
    supervisor_only(request)
    body = await json_body(request)
    try:
        account = await request.app[ACCOUNTS].save(check_name(body.get("name")), check_password(body.get("password")),
                                                   check_role(body.get("role") or "agent"))
    except AccountError as error:
        raise BadRequest(str(error)) from None
    return web.json_response({"agent": account.as_dict()})


# ---- conversations

def page_limit(request: web.Request) -> int:
    try:
        limit = int(request.query.get("limit") or 50)
    except ValueError:
        raise BadRequest("limit must be a whole number") from None
    if not 1 <= limit <= MAX_PAGE:
        raise BadRequest(f"limit must be between 1 and {MAX_PAGE}")
    return limit


@routes.get("/api/conversations")
async def list_conversations(request: web.Request) -> web.Response:
    query = request.query
    status = query.get("status") or None
    if status is not None and status not in STATUSES:
        raise BadRequest(f"status must be one of {', '.join(STATUSES)}")
    limit = page_limit(request)
    text = query.get("q") or None
    if text is not None and len(text) > MAX_QUERY_CHARS:
        raise BadRequest(f"q is longer than {MAX_QUERY_CHARS} characters")
    try:
        page = await request.app[INDEX].page(status=status, channel=query.get("channel") or None, query=text,
                                             limit=limit, cursor=query.get("cursor") or None)
    except ValueError as error:  # a cursor this API did not give out
        raise BadRequest(str(error)) from None
    return web.json_response({"conversations": [c.item() for c in page.conversations],
                              "next_cursor": page.next_cursor})


@routes.get("/api/conversations/{id}")
async def get_conversation(request: web.Request) -> web.Response:
    return web.json_response(await _conversation_json(request, request.match_info["id"]))


@routes.post("/api/conversations/{id}/unmask")
async def unmask_conversation(request: web.Request) -> web.Response:
    """The conversation with its personal data whole (supervisors only); every unmasking is audited."""
    supervisor_only(request)
    conversation_id = request.match_info["id"]
    records = request.app[PRIVACY]
    if records.sealer is None:
        return web.json_response({"error": "PRIVACY_KEY is not set: no originals are kept to unmask"}, status=409)
    originals = await records.originals(conversation_id)
    body = await _conversation_json(request, conversation_id, originals)
    await records.audit("unmask", current_agent(request).name, f"chat:{conversation_id}",
                        {"messages": len(originals)})
    return web.json_response({**body, "unmasked": len(originals)})


async def _status_change(request: web.Request, change) -> web.Response:
    """Runs ``change(desk)(conversation id, agent)`` and answers with the conversation after it."""
    conversation_id = request.match_info["id"]
    await change(request.app[DESK])(conversation_id, current_agent(request).name)
    return web.json_response(await _conversation_json(request, conversation_id))


@routes.post("/api/conversations/{id}/takeover")
async def take_over(request: web.Request) -> web.Response:
    return await _status_change(request, lambda desk: desk.take_over)


@routes.post("/api/conversations/{id}/messages")
async def send_message(request: web.Request) -> web.Response:
    body = await json_body(request)
    text = text_field(body, "text", MAX_AGENT_MESSAGE_CHARS)
    delivery = await request.app[DESK].send(request.match_info["id"], current_agent(request).name, text)
    return web.json_response(delivery.as_dict())


@routes.post("/api/conversations/{id}/handback")
async def hand_back(request: web.Request) -> web.Response:
    return await _status_change(request, lambda desk: desk.hand_back)


@routes.post("/api/conversations/{id}/close")
async def close(request: web.Request) -> web.Response:
    return await _status_change(request, lambda desk: desk.close)


@routes.post("/api/conversations/{id}/notes")
async def add_note(request: web.Request) -> web.Response:
    conversation_id = request.match_info["id"]
    body = await json_body(request)
    text = text_field(body, "text", MAX_NOTE_CHARS)
    index = request.app[INDEX]
    if await index.get(conversation_id) is None:
        raise ConversationNotFound(conversation_id)
    entry = await index.append_log(conversation_id, {"role": "note", "agent": current_agent(request).name,
                                                     "text": text})
    return web.json_response({"note": {**entry, "at": iso_time(entry["at"])}})


@routes.put("/api/conversations/{id}/tags")
async def set_tags(request: web.Request) -> web.Response:
    conversation_id = request.match_info["id"]
    body = await json_body(request)
    tags = body.get("tags")
    if not isinstance(tags, list) or len(tags) > 20 or not all(
            isinstance(tag, str) and 0 < len(tag.strip()) <= 30 for tag in tags):
        raise BadRequest('"tags" must be a list of at most 20 texts of 1-30 characters')
    index = request.app[INDEX]
    if await index.get(conversation_id) is None:
        raise ConversationNotFound(conversation_id)
    await index.set_tags(conversation_id, list(dict.fromkeys(tag.strip() for tag in tags)))
    return web.json_response((await index.get(conversation_id)).item())


@routes.post("/api/conversations/{id}/reviewed")
async def mark_reviewed(request: web.Request) -> web.Response:
    conversation_id = request.match_info["id"]
    body = await json_body(request)
    reviewed = body.get("reviewed", True)
    if not isinstance(reviewed, bool):
        raise BadRequest('"reviewed" must be true or false')
    index = request.app[INDEX]
    if await index.get(conversation_id) is None:
        raise ConversationNotFound(conversation_id)
    await index.set_fields(conversation_id, reviewed="1" if reviewed else "0")
    return web.json_response((await index.get(conversation_id)).item())


@routes.get("/api/stream")
async def stream(request: web.Request) -> web.StreamResponse:
    index = request.app[INDEX]
    return await stream_events(request, index.client, index.events_channel)


# ---- tickets

@routes.get("/api/tickets")
async def list_tickets(request: web.Request) -> web.Response:
    cursor = request.query.get("cursor") or None
    try:
        before = cursor_score(cursor) if cursor is not None else None
    except ValueError:
        raise BadRequest("cursor must be a next_cursor this API gave out") from None
    tickets, next_cursor = await request.app[TICKETS].store.page(request.query.get("status") or None,
                                                                 page_limit(request), before)
    return web.json_response({"tickets": [ticket.to_dict() for ticket in tickets],
                              "next_cursor": str(next_cursor) if next_cursor is not None else None})


@routes.get("/api/tickets/{id}")
async def get_ticket(request: web.Request) -> web.Response:
    desk = request.app[TICKETS]
    ticket = await desk.store.get(request.match_info["id"])
    if ticket is None:
        raise TicketError("not_found", "no ticket with that id")
    return web.json_response({**ticket.to_dict(), "history": await desk.store.history(ticket.id)})


@routes.post("/api/tickets/{id}/assign")
async def assign_ticket(request: web.Request) -> web.Response:
    body = await json_body(request)
    to = body.get("agent")
    if to is not None and (not isinstance(to, str) or not to.strip()):
        raise BadRequest('"agent" must be the name of an agent')
    if to and await request.app[ACCOUNTS].get(to.strip()) is None:
        raise BadRequest(f"no agent named {to.strip()!r}")
    change = await request.app[TICKETS].assign(request.match_info["id"], current_agent(request),
                                               to.strip() if to else None)
    return web.json_response(change.as_dict())


@routes.post("/api/tickets/{id}/update")
async def update_ticket(request: web.Request) -> web.Response:
    body = await json_body(request)
    status = body.get("status")
    if status is not None and not isinstance(status, str):
        raise BadRequest('"status" must be one of open, in_progress, waiting_customer, resolved')
    message = text_field(body, "message", MAX_AGENT_MESSAGE_CHARS) if body.get("message") else ""
    note = text_field(body, "note", MAX_NOTE_CHARS) if body.get("note") else ""
    change = await request.app[TICKETS].update(request.match_info["id"], current_agent(request), status or None,
                                               message, note)
    return web.json_response(change.as_dict())


# ---- reports (supervisors)

@routes.get("/api/reports")
async def report(request: web.Request) -> web.Response:
    """The retention report (docs/retention.md) as JSON; computed at most once a minute."""
    supervisor_only(request)
    built = await request.app[REPORTS].latest()
    return web.json_response({**as_json(built), "charts": sorted(CHART_NAMES)})


@routes.get("/api/reports/charts/{name}")
async def report_chart(request: web.Request) -> web.Response:
    supervisor_only(request)
    name = request.match_info["name"]
    if name not in CHART_NAMES:
        raise web.HTTPNotFound(text=json.dumps({"error": "no such chart"}), content_type="application/json")
    png = await request.app[REPORTS].chart(name)
    return web.Response(body=png, content_type="image/png", headers={"Cache-Control": "no-store"})


# ---- teaching

@routes.get("/api/nlu/inbox")
async def nlu_inbox(request: web.Request) -> web.Response:
    return web.json_response({"messages": await request.app[TEACHING].inbox(), "intents":
                              request.app[TEACHING].intents, "entities": request.app[TEACHING].entities})


@routes.post("/api/conversations/{id}/annotations")
async def annotate(request: web.Request) -> web.Response:
    conversation_id = request.match_info["id"]
    body = await json_body(request)
    message_id = body.get("message_id")
    if not isinstance(message_id, str):
        raise BadRequest('"message_id" must be the id of a customer message of this conversation')
    conversation = await _conversation_json(request, conversation_id)
    message = next((m for m in conversation["messages"] if m.get("role") == "customer"
                    and m.get("id") == message_id), None)
    if message is None:
        raise BadRequest("no customer message of this conversation has that id")
    try:
        annotation = await request.app[TEACHING].annotate(conversation_id, message_id, message["text"],
                                                          body.get("intent"), body.get("entities") or [],
                                                          current_agent(request))
    except teaching.AnnotationError as error:
        raise BadRequest(str(error)) from None
    return web.json_response({"annotation": annotation})


@routes.post("/api/nlu/annotations/accept")
async def accept_annotation(request: web.Request) -> web.Response:
    supervisor_only(request)
    body = await json_body(request)
    conversation_id, message_id = body.get("conversation_id"), body.get("message_id")
    if not isinstance(conversation_id, str) or not isinstance(message_id, str):
        raise BadRequest('send {"conversation_id": ..., "message_id": ...}')
    annotation = await request.app[TEACHING].accept(conversation_id, message_id, current_agent(request))
    if annotation is None:
        raise web.HTTPNotFound(text=json.dumps({"error": "no such annotation"}), content_type="application/json")
    return web.json_response({"annotation": annotation})


@routes.post("/api/nlu/export")
async def export_annotations(request: web.Request) -> web.Response:
    supervisor_only(request)
    result = await request.app[TEACHING].export()
    return web.json_response(result)


# ---- errors as JSON

@web.middleware
async def json_errors(request: web.Request, handler) -> web.StreamResponse:
    """Refusals and malformed input as ``{"error": ...}`` with a 4xx; never a 500 for bad input."""
    try:
        return await handler(request)
    except BadRequest as error:
        return json_error(400, str(error))
    except ConversationNotFound:
        return json_error(404, "no conversation with that id")
    except TicketError as error:
        return json_error(404 if error.code == "not_found" else 409 if error.code == "busy" else 400, str(error))
    except TicketNotYours as error:
        return json_error(403, str(error))
    except NotYours as error:
        return json_error(403, str(error))
    except Conflict as error:
        return json_error(409, str(error))
    except web.HTTPException as error:
        if request.path.startswith("/api/") and error.content_type != "application/json":
            return json_error(error.status, error.reason)
        raise
    except Exception as error:
        if redis_unavailable(error):
            return json_error(503, "the console's storage (Redis) is unavailable; try again shortly")
        raise


"""Agent accounts (客服账号) in Redis: Argon2 password hashes, roles and the login lockout.

Keys: ``<p>:console:agent:<name>`` hash (``name``, ``role``, ``hash``,
``created_at``, ``disabled``), ``<p>:console:agents`` set of names,
``<p>:console:fails:<name>`` failed logins in the current 15-minute window.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import List, Optional

import redis.asyncio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ROLES = ("agent", "supervisor")
MAX_FAILED_LOGINS = 5
LOCKOUT_SECONDS = 15 * 60
NAME_PATTERN = re.compile(r"^[\w.@-]{1,64}$")
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 1024


class AccountError(ValueError):
    """A name, role or password that cannot be used; the message says why."""


@dataclass(frozen=True)
class AgentAccount:
    name: str
    role: str

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"

    def as_dict(self) -> dict:
        return {"name": self.name, "role": self.role}


class LockedOut(RuntimeError):
    pass


def check_name(name: str) -> str:
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise AccountError("a name is 1-64 letters, digits, '.', '_', '-' or '@'")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    if not isinstance(password, str) or not (MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS):
        raise AccountError(f"a password has {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters")
    return password


class AgentAccounts:
    def __init__(self, client: redis.asyncio.Redis, key_prefix: str, hasher: Optional[PasswordHasher] = None,
                 clock=time.time) -> None:
        self._redis = client
        self._prefix = key_prefix
        self._hasher = hasher or PasswordHasher()
        self._clock = clock
        # Verifying against this when the name is unknown takes as long as a real check,
        # so the time of the answer does not tell which names exist.
        self._dummy_hash = self._hasher.hash("not a password of anyone")

    def _key(self, name: str) -> str:
        return f"{self._prefix}:console:agent:{name}"

    def _fails_key(self, name: str) -> str:
        return f"{self._prefix}:console:fails:{name}"

    async def save(self, name: str, password: str, role: str) -> AgentAccount:
        """Creates the account, or sets a new password and role for an existing one."""
        check_name(name), check_password(password), check_role(role)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._key(name), mapping={"name": name, "role": role, "hash": self._hasher.hash(password),
                                                "disabled": "0"})
            pipe.hsetnx(self._key(name), "created_at", repr(self._clock()))
            pipe.sadd(f"{self._prefix}:console:agents", name)
            pipe.delete(self._fails_key(name))
            await pipe.execute()
        return AgentAccount(name, role)

    async def get(self, name: str) -> Optional[AgentAccount]:
        fields = await self._redis.hgetall(self._key(name)) if NAME_PATTERN.match(name or "") else {}
        if not fields or fields.get("disabled") == "1" or fields.get("role") not in ROLES:
            return None
        return AgentAccount(fields["name"], fields["role"])

    async def all(self) -> List[AgentAccount]:
        names = sorted(await self._redis.smembers(f"{self._prefix}:console:agents"))
        accounts = [await self.get(name) for name in names]
        return [account for account in accounts if account is not None]

    async def disable(self, name: str) -> bool:
        if not await self._redis.exists(self._key(name)):
            return False
        await self._redis.hset(self._key(name), "disabled", "1")
        return True

    async def authenticate(self, name: str, password: str) -> Optional[AgentAccount]:
        """The account if the password is right; None if not; LockedOut after too many failures."""
        if not isinstance(name, str) or not isinstance(password, str) or len(name) > 64 \
                or len(password) > MAX_PASSWORD_CHARS:
            return None
        fails_key = self._fails_key(name if NAME_PATTERN.match(name) else "_invalid_")
        if int(await self._redis.get(fails_key) or 0) >= MAX_FAILED_LOGINS:
            raise LockedOut(name)
        fields = await self._redis.hgetall(self._key(name)) if NAME_PATTERN.match(name) else {}
        stored_hash = fields.get("hash") or self._dummy_hash
        try:
            self._hasher.verify(stored_hash, password)
            ok = bool(fields) and fields.get("disabled") != "1" and fields.get("role") in ROLES
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
        if not ok:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.set(fails_key, 0, ex=LOCKOUT_SECONDS, nx=True)  # the window starts at the first failure
                pipe.incr(fails_key)
                await pipe.execute()
            return None
        await self._redis.delete(fails_key)
        if self._hasher.check_needs_rehash(stored_hash):
            await self._redis.hset(self._key(name), "hash", self._hasher.hash(password))
        return AgentAccount(fields["name"], fields["role"])


def parse_agents_setting(raw: str) -> List[tuple]:
    """``CONSOLE_AGENTS="name:password:role,..."`` → [(name, password, role)]; raises AccountError."""
    accounts = []
    for item in (raw or "").split(","):
        item = item.strip()
        if not item:
            continue
        name, _, rest = item.partition(":")
        password, _, role = rest.rpartition(":")
        if not password:  # "name:password" without a role
            password, role = role, "agent"
        accounts.append((check_name(name), check_password(password), check_role(role or "agent")))
    return accounts

"""Local users for the dashboard: a YAML file of users with roles and salted password hashes.

Why a file and not a database table: operators keep it next to their deployment config, it can be
reviewed in version control without secrets (only hashes), and the dashboard never needs write access
to it. The format (see ``data/users.example.yaml``)::

    users:
      - username: admin
        name: Operations admin
        role: admin               # admin | manager | executive | vendor
        password_hash: "scrypt$16384$8$1$<salt hex>$<key hex>"
      - username: busan
        role: vendor
        center: BUSAN             # required for vendor users: the only center they see
        email: lead@busan-bpo.example   # optional: matches an OIDC (st.login) identity

Hash format: ``scrypt$N$r$p$salt_hex$key_hex`` (``hashlib.scrypt``, 16-byte random salt, 32-byte
key). Make one with ``python -m dashboard.auth hash`` (prompts twice) or
``printf 'secret' | python -m dashboard.auth hash --stdin``. This module imports neither streamlit
nor the store, so it works anywhere Python and PyYAML do.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import hmac
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from ops.errors import ConfigError

ROLES = ("admin", "manager", "executive", "vendor")
# Roles that may open the Data page (see what is loaded, import files).
DATA_ROLES = frozenset({"admin", "manager"})

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P, _KEY_LEN = 2**14, 8, 1, 32


@dataclass(frozen=True)
class User:
    """A dashboard user. ``center`` is set for vendor users: the only center they may see."""

    username: str
    role: str
    name: str = ""
    center: str | None = None
    email: str | None = None
    password_hash: str | None = None

    @property
    def display_name(self) -> str:
        return self.name or self.username

    @property
    def can_manage_data(self) -> bool:
        return self.role in DATA_ROLES


DEMO_ADMIN = User(username="demo", role="admin", name="Demo admin")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """Salted scrypt hash as ``scrypt$N$r$p$salt_hex$key_hex`` (N=2^14, r=8, p=1, 32-byte key)."""
    if not password:
        raise ConfigError("A password must not be empty.")
    salt = salt if salt is not None else secrets.token_bytes(16)
    key = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=_KEY_LEN
    )
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${key.hex()}"


def verify_password(password: str, encoded: str) -> bool:
    """True when ``password`` matches ``encoded`` (constant-time compare); False on any malformed hash."""
    try:
        algo, n, r, p, salt_hex, key_hex = encoded.split("$")
        if algo != "scrypt":
            return False
        expected = bytes.fromhex(key_hex)
        key = hashlib.scrypt(
            password.encode("utf-8"),
            salt=bytes.fromhex(salt_hex),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=256 * 1024 * 1024,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(key, expected)


def load_users(path: str | Path) -> dict[str, User]:
    """Read and validate the users file; keys are usernames.

    Raises :class:`ConfigError` naming the file and the entry when something is wrong, so an operator
    sees what to fix instead of a login that silently fails.
    """
    p = Path(path)
    if not p.exists():
        raise ConfigError(
            f"Users file {p} does not exist. Create it from data/users.example.yaml or unset "
            "CCOPS_USERS_FILE to run in demo mode."
        )
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise ConfigError(f"Users file {p} is not valid YAML: {e}") from e
    entries = raw.get("users") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"Users file {p} must have a non-empty 'users:' list.")
    users: dict[str, User] = {}
    for i, entry in enumerate(entries, start=1):
        where = f"{p}, user #{i}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: each user must be a mapping, got {entry!r}")
        username = str(entry.get("username") or "").strip()
        if not username:
            raise ConfigError(f"{where}: 'username' is required.")
        role = str(entry.get("role") or "").strip()
        if role not in ROLES:
            raise ConfigError(f"{where} ({username}): role must be one of {ROLES}, got {role!r}")
        center = entry.get("center")
        if role == "vendor" and not center:
            raise ConfigError(f"{where} ({username}): vendor users need 'center: <CENTER_ID>'.")
        pw = entry.get("password_hash")
        if pw is not None and not str(pw).startswith("scrypt$"):
            raise ConfigError(
                f"{where} ({username}): password_hash must be made by "
                "`python -m dashboard.auth hash` (scrypt$...), never a plain password."
            )
        if pw is None and not entry.get("email"):
            raise ConfigError(f"{where} ({username}): give a password_hash or an OIDC email.")
        if username in users:
            raise ConfigError(f"{where}: duplicate username {username!r}")
        users[username] = User(
            username=username,
            role=role,
            name=str(entry.get("name") or ""),
            center=str(center) if center else None,
            email=str(entry["email"]).lower() if entry.get("email") else None,
            password_hash=str(pw) if pw else None,
        )
    return users


def authenticate(users: dict[str, User], username: str, password: str) -> User | None:
    """The user when the password is right, else None (same work whether or not the name exists)."""
    user = users.get(username.strip())
    if user is None or not user.password_hash:
        # Hash anyway so a wrong username takes as long as a wrong password.
        verify_password(password, hash_password("x", salt=b"0" * 16))
        return None
    return user if verify_password(password, user.password_hash) else None


def user_for_email(users: dict[str, User], email: str | None) -> User | None:
    """The user whose ``email`` matches an OIDC identity (case-insensitive)."""
    if not email:
        return None
    email = email.lower()
    return next((u for u in users.values() if u.email == email), None)


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.auth", description="Make a password hash for the users file."
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    h = sub.add_parser("hash", help="Print a scrypt hash for a password.")
    h.add_argument("--stdin", action="store_true", help="Read the password from standard input.")
    args = parser.parse_args(argv)
    if args.cmd == "hash":
        if args.stdin:
            password = sys.stdin.read().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Again: ") != password:
                print("Passwords differ.", file=sys.stderr)
                return 1
        try:
            print(hash_password(password))
        except ConfigError as e:
            print(e, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())

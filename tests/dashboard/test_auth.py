"""Local users: scrypt hashes, users-file validation, and the scope each role gets."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import auth
from ops.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def test_hash_format_matches_hashlib_scrypt() -> None:
    # Independent recomputation with hashlib: the stored key is scrypt(password, salt, 2^14, 8, 1).
    salt = bytes(range(16))
    encoded = auth.hash_password("비밀번호-1", salt=salt)
    algo, n, r, p, salt_hex, key_hex = encoded.split("$")
    assert (algo, n, r, p, salt_hex) == ("scrypt", "16384", "8", "1", salt.hex())
    expected = hashlib.scrypt("비밀번호-1".encode(), salt=salt, n=16384, r=8, p=1, dklen=32)
    assert key_hex == expected.hex()


@settings(max_examples=5, deadline=None)
@given(st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=30))
def test_verify_accepts_only_the_right_password(pw: str, other: str) -> None:
    encoded = auth.hash_password(pw)
    assert auth.verify_password(pw, encoded)
    assert auth.verify_password(other, encoded) == (other == pw)


def test_malformed_hashes_never_verify() -> None:
    for bad in ("", "plain", "scrypt$1$2", "bcrypt$x$y$z$00$00", "scrypt$16384$8$1$zz$zz"):
        assert not auth.verify_password("x", bad)


def test_empty_password_is_refused() -> None:
    with pytest.raises(ConfigError):
        auth.hash_password("")


def test_example_users_file_loads_and_authenticates() -> None:
    users = auth.load_users(ROOT / "data" / "users.example.yaml")
    assert {u.role for u in users.values()} == set(auth.ROLES)
    assert users["busan"].center == "BUSAN"
    assert auth.authenticate(users, "busan", "busan-example") == users["busan"]
    assert auth.authenticate(users, "busan", "manila-example") is None
    assert auth.authenticate(users, "nobody", "x") is None


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("users: []", "non-empty"),
        ("users:\n  - role: admin\n    password_hash: 'scrypt$1'", "username"),
        ("users:\n  - username: a\n    role: boss\n    password_hash: 'scrypt$1'", "role must"),
        ("users:\n  - username: v\n    role: vendor\n    password_hash: 'scrypt$1'", "center"),
        ("users:\n  - username: a\n    role: admin\n    password_hash: hunter2", "never a plain"),
        ("users:\n  - username: a\n    role: admin", "password_hash or an OIDC"),
        ("users: [unclosed", "not valid YAML"),
    ],
)
def test_bad_users_files_name_the_problem(tmp_path: Path, body: str, fragment: str) -> None:
    p = tmp_path / "users.yaml"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=fragment):
        auth.load_users(p)


def test_missing_users_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="CCOPS_USERS_FILE"):
        auth.load_users(tmp_path / "nope.yaml")


def test_oidc_email_maps_to_a_user(tmp_path: Path) -> None:
    p = tmp_path / "u.yaml"
    p.write_text(
        "users:\n  - username: kim\n    role: manager\n    email: Kim@Example.com\n",
        encoding="utf-8",
    )
    users = auth.load_users(p)
    assert auth.user_for_email(users, "kim@example.com").username == "kim"
    assert auth.user_for_email(users, "lee@example.com") is None
    assert auth.authenticate(users, "kim", "anything") is None  # no password: SSO only


def test_scope_per_role() -> None:
    from dashboard.context import scope_for

    assert scope_for(auth.User("a", "admin")).is_all
    assert scope_for(auth.User("e", "executive")).is_all
    vendor = scope_for(auth.User("b", "vendor", center="BUSAN"))
    assert vendor.center_ids == frozenset({"BUSAN"})


def test_hash_command_line_helper() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "dashboard.auth", "hash", "--stdin"],
        input="s3cret\n",
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.strip()
    assert auth.verify_password("s3cret", out)

"""What every page shares: the store, the signed-in user and their scope, the filters, cached calls.

Why one module: the rules that keep a vendor user inside their own center live here once. Pages never
open the store or build a reader themselves; they call :func:`call`, which runs an ``ops`` service on
``store.reader(<the user's scope>)`` and caches the result under a key that includes the database,
the scope and every argument, so one user's cached frame is never served to another scope.
"""

from __future__ import annotations

import collections
import contextlib
import importlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import streamlit as st

from dashboard.auth import DEMO_ADMIN, User
from dashboard.i18n import t
from ops.config import get_settings
from ops.errors import CcopsError, ScopeError
from ops.store import Store
from ops.store.scope import Scope

log = logging.getLogger("ccops.dashboard")

USER_KEY = "auth_user"
_CACHE_ENTRIES = 512


# --- store -----------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False, max_entries=4)
def _open_store(path: str) -> Store:
    # Read-write: the Data page imports through this process's single writer (DuckDB allows one
    # read-write process per file, so a second, read-only connection could not coexist anyway).
    return Store.open(path)


def db_path() -> str:
    return str(get_settings().db_path)


def get_store() -> Store:
    """The process-wide store for ``CCOPS_DB_PATH`` (each thread uses its own cursor)."""
    return _open_store(db_path())


# --- user and scope --------------------------------------------------------------------------
#: The user the cache warm-up thread (``dashboard.warmup``) renders pages as: an admin, so every
#: center. Results are cached per scope, so they only reach users whose scope is every center.
WARM_USER = User(username="cache-warmup", role="admin", name="cache warm-up")
_background = threading.local()


@contextlib.contextmanager
def as_background_user() -> Iterator[None]:
    """Within this block, on this thread only, :func:`current_user` is :data:`WARM_USER` when no
    session has signed in. For ``dashboard.warmup``'s own thread, which has no session; never
    entered by a script run (a session's thread), so no visitor is ever signed in by it."""
    if threading.current_thread().name.startswith("ScriptRunner"):
        raise RuntimeError("as_background_user() is for background threads, not script runs")
    _background.user = WARM_USER
    try:
        yield
    finally:
        _background.user = None


def current_user() -> User:
    """The signed-in user; the demo admin only when no users file is configured.

    With a users file, a session without a signed-in user gets an error instead of a default, so a
    page reached any other way than through the sign-in of ``app.py`` shows nothing. (The cache
    warm-up's own thread renders as :data:`WARM_USER`, see :func:`as_background_user`.)
    """
    user = st.session_state.get(USER_KEY)
    if isinstance(user, User):
        return user
    if get_settings().users_file is None:
        return DEMO_ADMIN
    background = getattr(_background, "user", None)
    if isinstance(background, User):
        return background
    raise ScopeError("Sign in first: open the dashboard's start page.")


def scope_for(user: User) -> Scope:
    """Admins, managers and executives see every center; a vendor user only their own."""
    if user.role == "vendor":
        if not user.center:
            raise ScopeError(f"Vendor user {user.username!r} has no center in the users file.")
        return Scope.centers(user.center)
    return Scope.all()


def current_scope() -> Scope:
    return scope_for(current_user())


def _scope_key(scope: Scope) -> tuple[str, ...] | None:
    return None if scope.center_ids is None else tuple(sorted(scope.center_ids))


def _scope_from_key(key: tuple[str, ...] | None) -> Scope:
    return Scope.all() if key is None else Scope.centers(*key)


def reader():  # noqa: ANN201 - ScopedReader, imported lazily by the store
    """A reader of the store limited to the signed-in user's scope."""
    return get_store().reader(current_scope())


# --- cached service calls --------------------------------------------------------------------
def _qualname(fn: Callable[..., Any]) -> str:
    return f"{fn.__module__}:{fn.__qualname__}"


def _resolve(qualname: str) -> Callable[..., Any]:
    module, _, name = qualname.partition(":")
    obj: Any = importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


_DASHBOARD_DIGEST: list[str] = []


def dashboard_digest() -> str:
    """A digest of the dashboard's own source (``dashboard/**/*.py``): a result computed by other
    dashboard code (``dashboard.queries``) is never read back from the result cache."""
    if not _DASHBOARD_DIGEST:
        import hashlib
        from pathlib import Path

        h = hashlib.sha256()
        root = Path(__file__).resolve().parent
        for f in sorted(root.rglob("*.py")):
            h.update(str(f.relative_to(root)).encode())
            h.update(f.read_bytes())
        _DASHBOARD_DIGEST.append(h.hexdigest())
    return _DASHBOARD_DIGEST[0]


#: Results read back from the disk cache by this process: ``(function, args, kwargs)``; bounded.
DISK_HITS: collections.deque[tuple[str, tuple, dict]] = collections.deque(maxlen=256)


def _on_disk(store: Store, key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()``, or its result kept on disk for this database file's exact state
    (:class:`ops.store.resultdisk.ResultDisk`: a restarted server on an unchanged database reads
    its first pages back instead of computing them). The key holds the scope: a vendor's results
    are never another scope's."""
    disk = store.result_disk(dashboard_digest())
    if disk is None:
        return compute()
    value = disk.load(key)
    if not disk.is_missing(value):
        DISK_HITS.append((key[1], key[3], key[4]))
        return value
    value = compute()
    disk.save(key, value)
    return value


#: The latest cache misses of this process, oldest first: ``(function, args, kwargs)`` of each
#: call a visitor (or the warm-up) had to wait for. Read by the warm-up test; bounded.
CACHE_MISSES: collections.deque[tuple[str, tuple, dict]] = collections.deque(maxlen=256)


@st.cache_data(ttl=get_settings().cache_ttl_s, max_entries=_CACHE_ENTRIES, show_spinner=False)
def _cached_scoped(
    db: str, qualname: str, scope_key: tuple[str, ...] | None, args: tuple, kwargs: dict
) -> Any:
    CACHE_MISSES.append((qualname, args, kwargs))
    store = _open_store(db)
    return _on_disk(
        store,
        ("scoped", qualname, scope_key, args, kwargs),
        lambda: _resolve(qualname)(store.reader(_scope_from_key(scope_key)), *args, **kwargs),
    )


@st.cache_data(ttl=get_settings().cache_ttl_s, max_entries=_CACHE_ENTRIES, show_spinner=False)
def _cached_pure(qualname: str, args: tuple, kwargs: dict) -> Any:
    CACHE_MISSES.append((qualname, args, kwargs))
    return _resolve(qualname)(*args, **kwargs)


def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(reader, *args, **kwargs)`` on the user's scoped reader, cached per database/scope/args.

    ``fn`` must live in an importable module (an ops service or ``dashboard.queries``), not in a page
    script: the cache finds it again by module and name.
    """
    return _cached_scoped(db_path(), _qualname(fn), _scope_key(current_scope()), args, kwargs)


@st.cache_data(ttl=get_settings().cache_ttl_s, max_entries=_CACHE_ENTRIES, show_spinner=False)
def _cached_store(
    db: str, qualname: str, scope_key: tuple[str, ...] | None, args: tuple, kwargs: dict
) -> Any:
    CACHE_MISSES.append((qualname, args, kwargs))
    store = _open_store(db)
    return _on_disk(
        store,
        ("store", qualname, scope_key, args, kwargs),
        lambda: _resolve(qualname)(store, _scope_from_key(scope_key), *args, **kwargs),
    )


def call_store(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(store, scope, *args, **kwargs)`` for services that take the store and a scope (reports);
    the scope is always the signed-in user's. Cached like :func:`call`."""
    return _cached_store(db_path(), _qualname(fn), _scope_key(current_scope()), args, kwargs)


def call_pure(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` for services that need no data (staffing math), cached by arguments."""
    return _cached_pure(_qualname(fn), args, kwargs)


def service(module: str, name: str) -> Callable[..., Any] | None:
    """``module.name`` when that ops service exists (pages appear only when their engine does)."""
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    fn = getattr(mod, name, None)
    return fn if callable(fn) else None


# --- filters ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Filters:
    """The sidebar's shared filters. Empty tuples mean "all" (within the user's scope)."""

    start: date
    end: date
    centers: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    queues: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()

    def center_list(self) -> list[str] | None:
        return list(self.centers) or None

    def channel_list(self) -> list[str] | None:
        return list(self.channels) or None

    def queue_list(self) -> list[str] | None:
        return list(self.queues) or None

    def segment_list(self) -> list[str] | None:
        return list(self.segments) or None


FILTERS_KEY = "shared_filters"


def options() -> dict[str, Any]:
    """Filter choices for the signed-in user's scope (cached)."""
    from dashboard.queries import filter_options

    return call(filter_options)


DEFAULT_WINDOW_DAYS = 28


def default_window(first: date | None, last: date | None) -> tuple[date, date]:
    """The sidebar's default dates: the last four weeks of data (ending today when there is none)."""
    if last is None:  # empty database: a window ending today keeps pages drawable
        last = date.today()
        first = last - timedelta(days=DEFAULT_WINDOW_DAYS - 1)
    start = last - timedelta(days=DEFAULT_WINDOW_DAYS - 1)
    return (max(first, start) if first is not None else start), last


def get_filters() -> Filters:
    """The filters the sidebar set in this run; before the sidebar ran (or without a session, as
    in the cache warm-up), the sidebar's defaults: every center, the last four weeks of data."""
    f = st.session_state.get(FILTERS_KEY)
    if isinstance(f, Filters):
        return f
    opts = options()
    start, end = default_window(opts["first_day"], opts["last_day"])
    return Filters(start=start, end=end)


def set_filters(f: Filters) -> None:
    st.session_state[FILTERS_KEY] = f


# --- errors ----------------------------------------------------------------------------------
def show_error(e: CcopsError) -> None:
    """A CcopsError as an ``st.error`` box: title, what happened and what to do (no traceback)."""
    hint = getattr(e, "hint", None)
    body = f"**{e.title}** — {e.message}"
    if hint:
        body += "\n\n" + t("app.error_what_to_do", hint=hint)
    st.error(body, icon=":material/error:")


def guarded(render: Callable[[], None], name: str | None = None) -> None:
    """Run a page body; a CcopsError becomes an ``st.error``, anything else a generic message.

    Streamlit's own control flow (``st.rerun``/``st.stop``) derives from BaseException and passes.
    With a ``name`` (the pages), a footer then says how long the server took to draw the page
    (container key ``footer_<name>``, which the browser benchmark waits for).
    """
    t0 = time.perf_counter()
    if name:
        _page_runs_started()
    try:
        render()
    except CcopsError as e:
        show_error(e)
    except Exception:
        log.exception("dashboard page failed")
        st.error(t("app.unexpected"), icon=":material/error:")
    finally:
        if name:
            _page_runs_ended()
    if name:
        with st.container(key=f"footer_{name}"):
            st.caption(t("app.footer", seconds=f"{time.perf_counter() - t0:.2f}"))


# --- pages being drawn now (the cache warm-up gives way to them) ------------------------------
_page_runs = [0]
_page_runs_lock = threading.Lock()


def _page_runs_started() -> None:
    with _page_runs_lock:
        _page_runs[0] += 1


def _page_runs_ended() -> None:
    with _page_runs_lock:
        _page_runs[0] = max(0, _page_runs[0] - 1)


def pages_running() -> int:
    """How many page scripts of this process are drawing right now (any session)."""
    return _page_runs[0]


def require_role(*roles: str) -> bool:
    """False (and a message) when the signed-in user's role may not open this page."""
    user = current_user()
    if user.role in roles:
        return True
    st.error(t("app.not_allowed", role=t(f"role.{user.role}")), icon=":material/lock:")
    return False


# --- helpers for SLA-engine calls -------------------------------------------------------------
def metric_filters(f: Filters, *, with_queue: bool = True) -> dict[str, list[str]]:
    """The shared filters as ``ops.sla.metric_table`` filters (only the ones that are set)."""
    out: dict[str, list[str]] = {}
    if f.centers:
        out["center"] = list(f.centers)
    if f.channels:
        out["channel"] = list(f.channels)
    if f.queues and with_queue:
        out["queue"] = list(f.queues)
    if f.segments:
        out["segment"] = list(f.segments)
    return out


def metric_label(name: str) -> str:
    """A metric's label in the session language, from the metric registry (one definition)."""
    from dashboard.i18n import current_lang
    from ops.sla import get_metric

    m = get_metric(name)
    return m.label_ko if current_lang() == "ko" else m.label_en


def metric_formula(name: str, lang: str | None = None) -> str:
    """A metric's formula in the session language: the registry's text, or its Korean wording
    (``dashboard.i18n.METRIC_FORMULA_KO``) in the Korean UI."""
    from dashboard.i18n import METRIC_FORMULA_KO, current_lang
    from ops.sla import get_metric

    if (lang or current_lang()) == "ko" and name in METRIC_FORMULA_KO:
        return METRIC_FORMULA_KO[name]
    return str(get_metric(name).formula)


def metric_parameters(name: str, params: Any = None, lang: str | None = None) -> str:
    """The values of the parameters ``name``'s formula refers to, as a page computes it with
    ``params`` (registry defaults when None): T for service levels, the short-abandon cut-off
    for offered-based metrics. Empty when the formula has none."""
    from dashboard.i18n import current_lang
    from ops.sla import MetricParams, get_metric

    m, p = get_metric(name), params or MetricParams()
    ko = (lang or current_lang()) == "ko"
    parts = []
    if m.threshold_unit == "s":
        parts.append(f"T = {p.threshold_s:g}{'초' if ko else ' s'}")
    if "short_abandon" in m.formula or "short abandons" in m.formula:
        cut = f"{p.short_abandon_s:g}"
        parts.append(
            f"단기 포기 = 대기 {cut}초 미만" if ko else f"short abandon = wait under {cut} s"
        )
    if "sl_target" in m.formula:  # % intervals meeting SL
        parts.append(f"{'SL 목표' if ko else 'sl_target'} = {p.sl_target:.0%}")
    if "interval_minutes" in m.formula:
        n = p.interval_minutes
        parts.append(f"구간 = {n}분" if ko else f"interval = {n} min")
    return "; ".join(parts)


def center_names() -> dict[str, str]:
    """center_id -> display name in the session language, for the user's scope."""
    from dashboard.i18n import current_lang

    centers = options()["centers"]
    ko = current_lang() == "ko"
    return {
        r.center_id: (r.name_ko if ko and isinstance(r.name_ko, str) and r.name_ko else r.name)
        or r.center_id
        for r in centers.itertuples()
    }

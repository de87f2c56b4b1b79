"""Where apps plug into the shell without editing shared files.

- nav: menu entries (label, url name, predicate on the user, order)
- setup hooks: load an app's reference data in `canhgiac setup` (idempotent)
- demo hooks: add an app's synthetic sample data in `canhgiac demo`
API routers are found by convention: `canhgiac.<app>.api.router` (see canhgiac/api.py).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable[[object], bool]
    order: int = 100
    external: bool = False  # also offered to accounts without a staff role (a signer's own page)


NAV: list[NavItem] = []
SETUP_HOOKS: list[tuple[int, str, Callable]] = []
DEMO_HOOKS: list[tuple[int, str, Callable]] = []


def add_nav(
    label,
    url_name: str,
    visible: Callable[[object], bool] = lambda user: True,
    order: int = 100,
    external: bool = False,
):
    if not any(item.url_name == url_name for item in NAV):
        NAV.append(NavItem(label, url_name, visible, order, external))
        NAV.sort(key=lambda item: item.order)


def add_setup(name: str, fn: Callable, order: int = 100):
    """fn(provinces: list[str], stdout) -> None; must be idempotent."""
    if not any(n == name for _, n, _f in SETUP_HOOKS):
        SETUP_HOOKS.append((order, name, fn))
        SETUP_HOOKS.sort(key=lambda hook: hook[0])


def add_demo(name: str, fn: Callable, order: int = 100):
    """fn(rng: random.Random, stdout) -> None; runs after setup and after demo accounts exist."""
    if not any(n == name for _, n, _f in DEMO_HOOKS):
        DEMO_HOOKS.append((order, name, fn))
        DEMO_HOOKS.sort(key=lambda hook: hook[0])


PERIODIC_HOOKS: list[tuple[str, Callable]] = []


def add_periodic(name: str, fn: Callable) -> None:
    """fn(now: datetime) -> str | None (a one-line summary). Run by `canhgiac run-periodic` and by
    the worker every CANHGIAC_PERIODIC_SECONDS; must be idempotent (use notify's dedupe_key)."""
    if not any(n == name for n, _f in PERIODIC_HOOKS):
        PERIODIC_HOOKS.append((name, fn))


TICK_HOOKS: list[tuple[str, Callable]] = []


def add_tick(name: str, fn: Callable) -> None:
    """fn() -> None, run by the worker every CANHGIAC_AUDIT_SEAL_SECONDS (short, frequent work
    such as sealing audit events); must be cheap and idempotent."""
    if not any(n == name for n, _f in TICK_HOOKS):
        TICK_HOOKS.append((name, fn))


# URL namespaces open to external principals (business users); elsewhere they are served as an
# anonymous visitor (core.middleware.ExternalPrincipalMiddleware). EXTERNAL_HOME: where they land.
EXTERNAL_AREAS: set[str] = {"accounts", "api", "core"}
EXTERNAL_HOME: str = ""


def add_external_area(namespace: str, home: str = "") -> None:
    global EXTERNAL_HOME
    EXTERNAL_AREAS.add(namespace)
    if home:
        EXTERNAL_HOME = home

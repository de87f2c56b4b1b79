"""Home page figures. Every figure is counted from the database under the permission policy;
other apps add their own cards with `add_card`."""

from collections.abc import Callable
from dataclasses import dataclass

from canhgiac.core.policy import visible_to


@dataclass
class Card:
    label: str
    value: int | str
    url: str = ""
    note: str = ""


_CARD_PROVIDERS: list[tuple[int, Callable]] = []


def add_card(provider: Callable, order: int = 100) -> None:
    """provider(user) -> list[Card]"""
    if provider not in [p for _, p in _CARD_PROVIDERS]:
        _CARD_PROVIDERS.append((order, provider))
        _CARD_PROVIDERS.sort(key=lambda item: item[0])


def home_cards(user) -> list[Card]:
    cards: list[Card] = []
    for _order, provider in _CARD_PROVIDERS:
        cards.extend(provider(user))
    return cards


def directory_cards(user) -> list[Card]:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from canhgiac.directory.models import AdministrativeUnit, Agency, Responsibility

    units = visible_to(user, AdministrativeUnit.objects.exclude(parent=None)).count()
    member_agencies = (
        visible_to(user, Agency.objects.filter(is_active=True)).exclude(kind=Agency.Kind.COMMUNE).count()
    )
    overrides = visible_to(user, Responsibility.objects.exclude(unit__parent=None)).count()
    return [
        Card(_("Xã, phường trên địa bàn"), units),
        Card(_("Cơ quan thành viên"), member_agencies, reverse("directory:agencies")),
        Card(_("Phân công riêng của xã, phường"), overrides, reverse("directory:matrix")),
    ]

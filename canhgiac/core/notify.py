"""In-app notifications with optional email, deduplicated so periodic jobs can run again safely."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from canhgiac.core.models import Notification
from canhgiac.core.text import shorten


def notify(
    users, *, kind: str, title: str, body: str = "", url: str = "", dedupe_key: str = "", email: bool = True
) -> int:
    """Create one notification per user (skipping users already notified with the same
    dedupe_key) and email those with an address. Returns how many were created."""
    created = 0
    for user in users:
        try:
            with transaction.atomic():
                Notification.objects.create(
                    user=user,
                    kind=kind,
                    title=shorten(title, 200),
                    body=body,
                    url=url,
                    dedupe_key=dedupe_key[:200],
                )
        except IntegrityError:
            continue
        created += 1
        if email and user.email:
            link = f"\n\n{settings.CANHGIAC_BASE_URL}{url}" if url else ""
            send_mail(f"[Cảnh Giác 389] {title}", f"{body}{link}", None, [user.email], fail_silently=True)
    return created


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at=None).count()

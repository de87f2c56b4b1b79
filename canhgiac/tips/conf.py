"""Tip deadlines and limits. Each value is read from Django settings when present, else from the
environment, else the default written here (docs/tips.md, "Configuration")."""

from django.conf import settings

from canhgiac.core.env import env, envint

DEFAULTS = {
    # Calendar days from receipt.
    "TIP_ACCEPT_DAYS": 3,
    "TIP_RESOLVE_DAYS": 20,
    "TIP_MAX_RESOLVE_DAYS": 60,
    # Reminders go out this many hours before a deadline.
    "TIP_REMINDER_HOURS": 24,
    # Duplicates: same commune + goods category within this many days, with similar text.
    "TIP_DUPLICATE_DAYS": 7,
    "TIP_DUPLICATE_SIMILARITY": 60,
    # Uploads through the public form.
    "TIP_MAX_FILES": 5,
    "TIP_MAX_PHOTO_MB": 10,
    "TIP_MAX_VIDEO_MB": 25,
    # Wrong code/secret attempts allowed per source and hour on the follow-up page and API.
    "TIP_FOLLOW_ATTEMPTS_PER_HOUR": 60,
    # Communes, categories, fields and the matrix's agencies are cached per process this long
    # (a change made in another process reaches new tips within it); 0 turns the cache off.
    "TIP_LOOKUP_CACHE_SECONDS": 60,
    # When the database connection drops while a tip's transaction commits, wait up to this long
    # for the database to say whether the tip was stored (201) or not (503).
    "TIP_COMMIT_CHECK_SECONDS": 15,
}


def get(name: str) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = envint(name, DEFAULTS[name])
    return int(value)


def private_media_dir():
    """Tip attachments live outside MEDIA_ROOT so no static file server can ever expose them;
    they are streamed only to staff allowed to see the tip."""
    configured = getattr(settings, "TIP_MEDIA_DIR", None) or env("TIP_MEDIA_DIR")
    return configured or str(settings.VAR_DIR / "private" / "tips")

from canhgiac.core.registry import NAV


def shell(request):
    user = getattr(request, "user", None)
    items, unread = [], 0
    if user is not None and user.is_authenticated:
        from canhgiac.core.notify import unread_count

        items = [item for item in NAV if item.visible(user)]
        unread = unread_count(user)
    return {"nav_items": items, "unread_notifications": unread}

from canhgiac.core.registry import NAV


def shell(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items = [item for item in NAV if item.visible(user)]
    return {"nav_items": items, "current_url_name": getattr(request.resolver_match, "url_name", "")}

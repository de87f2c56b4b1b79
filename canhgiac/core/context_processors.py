from canhgiac.core import policy
from canhgiac.core.registry import EXTERNAL_AREAS, NAV


def shell(request):
    user = getattr(request, "user", None)
    items, unread, active = [], 0, ""
    if user is not None and user.is_authenticated:
        from django.urls import reverse

        from canhgiac.core.notify import unread_count

        items = [item for item in NAV if item.visible(user)]
        if not (policy.is_staff_member(user) or policy.is_national_viewer(user)):
            # a business user's or a signer's menu keeps to their own areas: the staff pages
            # would refuse them anyway
            items = [i for i in items if i.external or i.url_name.split(":")[0] in EXTERNAL_AREAS]
        unread = unread_count(user)
        # The longest menu address that starts the current path is the one highlighted.
        matches = [url for url in (reverse(item.url_name) for item in items) if request.path.startswith(url)]
        active = max(matches, key=len, default="")
    return {"nav_items": items, "unread_notifications": unread, "active_nav_url": active}

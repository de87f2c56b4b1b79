from django import template

from canhgiac.portal.menu import menu_items

register = template.Library()


@register.inclusion_tag("portal/menu.html", takes_context=True)
def portal_menu(context):
    request = context.get("request")
    path = request.path if request is not None else ""
    items = menu_items()
    matches = [i["url"] for i in items if path.startswith(i["url"].split("#")[0])]
    active = max(matches, key=len, default="")
    return {"items": items, "active": active}

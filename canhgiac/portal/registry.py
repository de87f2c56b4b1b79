"""Public pages other apps add to the portal home (tip form, follow-up, product check, warnings)."""

PORTAL_LINKS: list[dict] = []


def add_link(title, description, url_name: str, order: int = 100) -> None:
    if not any(link["url_name"] == url_name for link in PORTAL_LINKS):
        PORTAL_LINKS.append(
            {"title": title, "description": description, "url_name": url_name, "order": order}
        )
        PORTAL_LINKS.sort(key=lambda link: link["order"])

"""The Atom feed of public warnings and, when the goods app publishes them, recalls."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from canhgiac.portal import services


class WarningsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Cảnh Giác 389 — Cảnh báo và thu hồi sản phẩm")
    subtitle = _(
        "Cảnh báo phương thức, thủ đoạn buôn lậu, gian lận thương mại, hàng giả mới; sản phẩm bị thu hồi."
    )

    def link(self):
        return reverse("portal:warnings")

    def items(self):
        entries = [("warning", w, w.published_at) for w in services.warnings(50)]
        for r in services.recalls(50):
            entries.append(("recall", r, getattr(r, "published_at", None) or getattr(r, "created_at", None)))
        entries.sort(key=lambda e: (e[2] is not None, e[2]), reverse=True)
        return entries[:50]

    def item_title(self, item):
        kind, obj, _at = item
        return str(obj)  # a recall reads "Thu hồi: <product> — lô <lot>"

    def item_description(self, item):
        kind, obj, _at = item
        return getattr(obj, "body", "") or getattr(obj, "reason", "") or str(obj)

    def item_link(self, item):
        kind, obj, _at = item
        if kind == "recall" and hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
        return f"{reverse('portal:warnings')}#{kind}-{obj.pk}"

    def item_guid(self, item):
        kind, obj, _at = item
        return f"{kind}-{obj.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item[2]

    def item_updateddate(self, item):
        return getattr(item[1], "updated_at", None) or item[2]

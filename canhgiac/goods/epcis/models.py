"""EPCIS 2.0 events (issue 14): what happened to which objects, when, where and why.

One row per distinct event (recognised by the GS1 event hash), holding the event as given
(`body`, the JSON of the capture with the document's own namespaces in an `@context`), the fields
the query filters on in canonical form, and who sent it. `EpcisEpc` is the index of identifiers:
one row per (event, identifier, role), so `MATCH_anyEPC` and a lot's trace are index lookups.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from canhgiac.core.models import AuditedModel


class EpcisEvent(AuditedModel):
    class Type(models.TextChoices):
        OBJECT = "ObjectEvent", "ObjectEvent"
        AGGREGATION = "AggregationEvent", "AggregationEvent"
        TRANSACTION = "TransactionEvent", "TransactionEvent"
        TRANSFORMATION = "TransformationEvent", "TransformationEvent"
        ASSOCIATION = "AssociationEvent", "AssociationEvent"

    event_hash = models.CharField(_("Mã băm sự kiện"), max_length=100, unique=True)
    event_id = models.CharField(_("eventID"), max_length=300, blank=True, db_index=True)
    event_type = models.CharField(_("Loại sự kiện"), max_length=20, choices=Type.choices)
    event_time = models.DateTimeField(_("Thời điểm sự kiện"))
    record_time = models.DateTimeField(_("Thời điểm ghi nhận"), db_index=True)
    action = models.CharField(max_length=8, blank=True)
    biz_step = models.CharField(_("Bước nghiệp vụ"), max_length=300, blank=True)
    disposition = models.CharField(_("Trạng thái"), max_length=300, blank=True)
    read_point = models.CharField(_("Điểm đọc"), max_length=300, blank=True)
    biz_location = models.CharField(_("Địa điểm nghiệp vụ"), max_length=300, blank=True)
    # error declarations: a later capture of the same event with `errorDeclaration` marks it
    error_declared = models.BooleanField(_("Đã khai báo sai"), default=False)
    corrective_ids = models.JSONField(default=list, blank=True)
    # events about GTINs that the product registry does not know
    unregistered = models.BooleanField(_("Sản phẩm chưa đăng ký"), default=False)
    business = models.ForeignKey(
        "goods.Business", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    province = models.ForeignKey(
        "directory.AdministrativeUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.JSONField(_("Sự kiện"))

    audit_exclude = ("body",)

    class Meta:
        ordering = ["record_time", "id"]
        indexes = [
            models.Index(fields=["event_time", "id"], name="goods_epcis_time_idx"),
            # EQ_bizStep with a time window, one page in capture order: the ids come from this index
            # alone (province and id included: an index-only scan, then the page's bodies)
            models.Index(
                fields=["biz_step", "event_time", "province", "id"], name="goods_epcis_step_page_idx"
            ),
            models.Index(fields=["biz_location", "event_time"], name="goods_epcis_loc_idx"),
            models.Index(fields=["province", "record_time"], name="goods_epcis_prov_idx"),
        ]
        verbose_name = _("sự kiện EPCIS")
        verbose_name_plural = _("sự kiện EPCIS")

    def __str__(self):
        return f"{self.event_type} {self.event_time:%Y-%m-%d %H:%M} {self.event_hash[14:26]}"


class EpcisEpc(models.Model):
    """An identifier an event names, canonical (identifiers.canonical), with its role."""

    class Role(models.TextChoices):
        EPC = "e", "epcList"
        CHILD = "c", "childEPCs"
        PARENT = "p", "parentID"
        INPUT = "i", "inputEPCList"
        OUTPUT = "o", "outputEPCList"
        QUANTITY = "q", "quantityList"
        CHILD_QUANTITY = "k", "childQuantityList"
        INPUT_QUANTITY = "n", "inputQuantityList"
        OUTPUT_QUANTITY = "u", "outputQuantityList"

    event = models.ForeignKey(EpcisEvent, on_delete=models.CASCADE, related_name="epcs")
    epc = models.CharField(max_length=300)
    role = models.CharField(max_length=1, choices=Role.choices)
    # the lot (https://id.gs1.org/01/<gtin>/10/<lot>) an identifier names, for a lot's trace
    lot = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            # pattern opclass (PostgreSQL; ignored elsewhere): the same index answers `epc IN (…)` and
            # the prefix matches of `MATCH_epcClass=<GTIN>`, `urn:epc:idpat:…*` and a GTIN's trace,
            # which a default-collation index cannot (a sequential scan of every identifier row)
            models.Index(
                fields=["epc", "role"],
                opclasses=["varchar_pattern_ops", "varchar_ops"],
                name="goods_epcis_epc_pat_idx",
            ),
            models.Index(fields=["lot"], name="goods_epcis_lot_idx"),
        ]
        verbose_name = _("mã trong sự kiện EPCIS")
        verbose_name_plural = _("mã trong sự kiện EPCIS")

    def __str__(self):
        return f"{self.epc} ({self.get_role_display()})"

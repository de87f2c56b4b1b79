from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from canhgiac.core.models import AuditedModel, TimeStampedModel
from canhgiac.core.text import fold
from canhgiac.subjects import normalize


def normalize_identifier(value: str | None) -> str:
    """Citizen IDs and tax codes are compared without spaces, dots or dashes, upper case."""
    return "".join(ch for ch in (value or "") if ch.isalnum()).upper()


class Subject(AuditedModel, TimeStampedModel):
    """One agency's record of a person or an organisation involved in its cases or inspections.

    A record belongs to the agency that entered it (`recorded_by_agency`) and is seen with the
    visibility of the cases it appears in (see policy.py). An agency entering the same person again
    is matched to its own record on the exact identifier (citizen ID for a person, tax code for an
    organisation); another agency's record of that person is never merged or copied into it.
    Entity resolution across agencies comes later (issue 12)."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Cá nhân")
        ORGANISATION = "organisation", _("Tổ chức")
        ONLINE_ACCOUNT = "online_account", _("Tài khoản trực tuyến")
        VEHICLE = "vehicle", _("Phương tiện")

    class Origin(models.TextChoices):
        CASE = "case", _("Vụ việc")
        INSPECTION = "inspection", _("Kiểm tra")
        TIP = "tip", _("Tin báo")
        LISTING = "listing", _("Tin đăng trực tuyến")
        IMPORT = "import", _("Nhập từ tệp")

    kind = models.CharField(_("Loại đối tượng"), max_length=20, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("Họ tên / Tên tổ chức"), max_length=200)
    # searched with `contains` (LIKE '%…%'), which no B-tree index serves: no index (an unused
    # index and its LIKE twin cost every write of a record, the full run's entity update too)
    name_folded = models.CharField(max_length=200, editable=False)
    birth_date = models.DateField(_("Ngày sinh"), null=True, blank=True)
    # looked up by equality only: one index (Meta), without the LIKE twin db_index would add
    identifier = models.CharField(_("Số CCCD / Mã số thuế"), max_length=40, blank=True)
    phone = models.CharField(_("Số điện thoại"), max_length=20, blank=True)
    address = models.CharField(_("Địa chỉ"), max_length=300, blank=True)
    recorded_by_agency = models.ForeignKey(
        "directory.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Cơ quan ghi nhận"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Where the record came from: a case, an inspection, a tip, a listing or an import, with the
    # reference there (the import's `source_ref` is unique within the agency).
    origin = models.CharField(_("Nguồn"), max_length=12, choices=Origin.choices, default=Origin.CASE)
    origin_ref = models.CharField(_("Tham chiếu nguồn"), max_length=100, blank=True)
    source_ref = models.CharField(_("Mã hồ sơ của cơ quan"), max_length=60, blank=True)
    tax_code = models.CharField(_("Mã số thuế"), max_length=20, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("Năm sinh"), null=True, blank=True)
    email = models.CharField(_("Thư điện tử"), max_length=200, blank=True)
    bank_account = models.CharField(_("Tài khoản ngân hàng"), max_length=60, blank=True)
    platform = models.CharField(_("Nền tảng"), max_length=60, blank=True)
    handle = models.CharField(_("Tên tài khoản"), max_length=120, blank=True)
    url = models.URLField(_("Đường dẫn"), max_length=500, blank=True)
    plate = models.CharField(_("Biển số"), max_length=20, blank=True)
    unit = models.ForeignKey(
        "directory.AdministrativeUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Xã, phường"),
    )
    # Matching keys (normalize.py), kept so incremental matching finds candidates by index.
    name_key = models.CharField(max_length=200, blank=True, editable=False)
    # only ever looked up with the kind (the composite indexes below); an index of its own (and its
    # LIKE twin) cost every write of a record two more index entries, the full run's entity update too
    block_key = models.CharField(max_length=120, blank=True, editable=False)
    initials = models.CharField(max_length=20, blank=True, editable=False)
    address_key = models.CharField(max_length=300, blank=True, editable=False)
    # The resolved entity (cluster) this record belongs to; computed, never typed.
    entity = models.ForeignKey(
        "subjects.Entity", null=True, blank=True, on_delete=models.SET_NULL, related_name="records"
    )

    audit_exclude = (
        "name_folded",
        "created_at",
        "updated_at",
        "name_key",
        "block_key",
        "initials",
        "address_key",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["recorded_by_agency", "kind", "identifier"],
                condition=~models.Q(identifier="") & models.Q(source_ref=""),
                name="uniq_subject_agency_kind_identifier",
            ),
            models.UniqueConstraint(
                fields=["recorded_by_agency", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="uniq_subject_agency_source_ref",
            ),
        ]
        # incremental matching: the same name key with the same birth year or commune
        indexes = [
            models.Index(fields=["identifier"], name="subj_identifier"),
            models.Index(fields=["kind", "block_key", "birth_year"], name="subj_block_year"),
            models.Index(fields=["kind", "block_key", "unit"], name="subj_block_unit"),
            # incremental candidates: the same house, the same date of birth
            models.Index(fields=["kind", "address_key"], name="subj_kind_address"),
            models.Index(fields=["kind", "birth_date"], name="subj_kind_birth"),
        ]
        verbose_name = _("đối tượng")
        verbose_name_plural = _("đối tượng")

    def __str__(self):
        return self.name

    @property
    def is_person(self) -> bool:
        return self.kind == self.Kind.PERSON

    def save(self, *args, identifier_values: dict | None = None, **kwargs):
        """`identifier_values`: the record's fields as given (an import's row, whose document number
        may differ from `identifier`: an organisation's registration number when a tax code is
        also given), from which its Identifier rows are derived instead of the instance's fields."""
        self.identifier = normalize_identifier(self.identifier)
        self.name_folded = fold(self.name)
        for key, value in matching_keys(self.__dict__).items():
            setattr(self, key, value)
        super().save(*args, **kwargs)
        sync_identifiers(self, identifier_values)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("subjects:detail", args=[self.pk])


def matching_keys(values: dict) -> dict:
    """The derived matching columns of a record given its field values (a row dict or __dict__)."""
    key = normalize.name_key(values.get("kind") or "person", values.get("name") or "")
    birth_date = values.get("birth_date")
    year = values.get("birth_year") or (birth_date.year if birth_date else None)
    return {
        "name_key": key["name"][:200],
        "block_key": key["skeleton"][:120],
        "initials": key["initials"][:20],
        "address_key": normalize.address_key(values.get("address") or "")[:300],
        "birth_year": year,
    }


def identifier_rows(values: dict) -> list[tuple[str, str, str]]:
    """(scheme, value, as given) of a record's identifiers, from its field values."""
    kind = values.get("kind") or "person"
    return normalize.identifiers(
        kind,
        id_number=values.get("identifier") or "",
        tax=values.get("tax_code") or "",
        phone_=values.get("phone") or "",
        email_=values.get("email") or "",
        bank=values.get("bank_account") or "",
        plate_=values.get("plate") or "",
        platform=values.get("platform") or "",
        handle=values.get("handle") or "",
        url=values.get("url") or "",
    )


def sync_identifiers(subject: "Subject", values: dict | None = None) -> None:
    """Make the record's Identifier rows equal to what its fields (or `values`) say."""
    wanted = {(s, v): g for s, v, g in identifier_rows(subject.__dict__ if values is None else values)}
    have = {(i.scheme, i.value): i for i in subject.identifiers.all()}
    if (
        values is None
        and subject.kind != Subject.Kind.PERSON
        and normalize.BRN not in {s for s, _v in wanted}
    ):
        # an organisation's registration number given beside its tax code lives only in its
        # Identifier rows (`identifier` holds the tax code): a save from the fields keeps it
        wanted.update({key: row.given for key, row in have.items() if key[0] == normalize.BRN})
    for key, row in have.items():
        if key not in wanted:
            row.delete()
    Identifier.objects.bulk_create(
        [
            Identifier(subject=subject, scheme=s, value=v, given=g)
            for (s, v), g in wanted.items()
            if (s, v) not in have
        ]
    )


class Identifier(models.Model):
    """One identifier of a source record, normalised (normalize.py): a citizen ID, an old ID card,
    a passport, a tax code, a business registration number, a phone (+84…), an e-mail, a bank
    account, a plate, an online account, or any number "as given" (scheme `other`)."""

    class Scheme(models.TextChoices):
        CCCD = normalize.CCCD, _("Số CCCD")
        CMND = normalize.CMND, _("Số CMND")
        PASSPORT = normalize.PASSPORT, _("Hộ chiếu")
        TAX_CODE = normalize.TAX_CODE, _("Mã số thuế")
        BRN = normalize.BRN, _("Số đăng ký kinh doanh")
        PHONE = normalize.PHONE, _("Số điện thoại")
        EMAIL = normalize.EMAIL, _("Thư điện tử")
        BANK = normalize.BANK, _("Tài khoản ngân hàng")
        PLATE = normalize.PLATE, _("Biển số")
        ACCOUNT = normalize.ACCOUNT, _("Tài khoản trực tuyến")
        OTHER = normalize.OTHER, _("Số khác (như ghi)")

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=10, choices=Scheme.choices)
    value = models.CharField(max_length=120)
    given = models.CharField(max_length=120, blank=True)

    class Meta:
        indexes = [models.Index(fields=["scheme", "value"], name="subj_ident_scheme_value")]
        verbose_name = _("số định danh")
        verbose_name_plural = _("số định danh")

    def __str__(self):
        return f"{self.get_scheme_display()}: {self.value}"

    @property
    def branch(self) -> bool:
        """A 13-digit tax code is a branch of the 10-digit head office, not the head office."""
        return self.scheme == normalize.TAX_CODE and len(self.value) == 13


class Entity(TimeStampedModel):
    """A resolved entity: a cluster of source records that are the same person, organisation,
    account or vehicle. Its id is the cluster id, kept stable across resolution runs."""

    kind = models.CharField(max_length=20, choices=Subject.Kind.choices)
    # An entity whose records all went to another one (a merge) points there, so its page and
    # links follow; its id is never reused.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("thực thể")
        verbose_name_plural = _("thực thể")

    def __str__(self):
        return f"#{self.pk}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("subjects:entity", args=[self.pk])


class MatchModel(models.Model):
    """The trained probabilistic model (splink's settings with its m and u probabilities) and the
    thresholds. Stored in the database so that two databases never share one through a file."""

    created_at = models.DateTimeField(auto_now_add=True)
    settings = models.JSONField()
    auto_threshold = models.FloatField(default=0.8)
    review_threshold = models.FloatField(default=0.6)
    records = models.PositiveIntegerField(default=0)
    backend = models.CharField(max_length=20, default="duckdb")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"model {self.pk} ({self.records} records)"


class MatchPair(models.Model):
    """A pair of records found by the last run (or by an incremental match): joined automatically
    (`auto`: an exact identifier or a probability above the upper threshold) or waiting for
    review (`review`: between the two thresholds). Rewritten by each full run."""

    class Status(models.TextChoices):
        AUTO = "auto", _("Tự động ghép")
        REVIEW = "review", _("Chờ xem xét")

    left = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices)
    probability = models.FloatField()
    weight = models.FloatField(default=0)
    # the comparison levels that made the weight: [{"code", "weight"}], see resolution.explain
    reasons = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["left", "right"], name="uniq_matchpair")]
        indexes = [models.Index(fields=["status", "probability"], name="subj_pair_status_prob")]

    def __str__(self):
        return f"{self.left_id}–{self.right_id} {self.probability:.3f}"

    @property
    def percent(self) -> float:
        return self.probability * 100


class ReviewDecision(AuditedModel):
    """A reviewer's answer about a pair of records: the same (yes), not the same (no) or unsure.
    Every later run respects it: yes joins, no keeps apart (even through other records), unsure
    stays apart and leaves the queue. Changing the answer reverses the merge or the split."""

    class Decision(models.TextChoices):
        YES = "yes", _("Cùng một đối tượng")
        NO = "no", _("Khác đối tượng")
        UNSURE = "unsure", _("Chưa chắc")

    left = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(_("Kết luận"), max_length=10, choices=Decision.choices)
    note = models.CharField(_("Ghi chú"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["left", "right"], name="uniq_reviewdecision")]

    def __str__(self):
        return f"{self.left_id}–{self.right_id}: {self.decision}"


from canhgiac.subjects.models_links import LinkKey, Relation  # noqa: E402,F401  (links: issue 12)

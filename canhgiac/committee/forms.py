"""Forms of the committee's screens: Vietnamese labels, dates dd/mm/yyyy (core.forms), agency
choices limited to the province at hand. The services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from canhgiac.committee import models as m
from canhgiac.committee.logic.international import COUNTRIES
from canhgiac.core.forms import VNDateField, VNIntegerField
from canhgiac.directory.models import AdministrativeUnit, Agency


class ProvinceForm(forms.Form):
    """A form whose agency fields list the agencies of `province` only."""

    agency_fields: tuple[str, ...] = ()
    member_agencies_only: tuple[str, ...] = ()

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.province = province
        agencies = Agency.objects.filter(province=province, is_active=True).order_by("kind", "name")
        for name in self.agency_fields:
            qs = agencies.exclude(kind=Agency.Kind.COMMUNE) if name in self.member_agencies_only else agencies
            self.fields[name].queryset = qs


class CommitteeForm(ProvinceForm):
    unit = forms.ModelChoiceField(AdministrativeUnit.objects.none(), label=_("Xã, phường"))
    name = forms.CharField(label=_("Tên Ban Chỉ đạo (để trống: tự đặt)"), max_length=300, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else AdministrativeUnit.objects.none()


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại quyết định"), choices=m.Decision.Kind.choices)
    number = forms.CharField(label=_("Số quyết định"), max_length=60)
    signed_on = VNDateField(label=_("Ngày ký"))
    signer = forms.CharField(label=_("Người ký, cơ quan ban hành"), max_length=200, required=False)
    summary = forms.CharField(label=_("Trích yếu"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class MemberForm(ProvinceForm):
    agency_fields = ("agency",)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    role = forms.ChoiceField(label=_("Vai trò trong Ban Chỉ đạo"), choices=m.Member.Role.choices)
    title = forms.CharField(label=_("Chức vụ, đơn vị công tác"), max_length=300, required=False)
    agency = forms.ModelChoiceField(Agency.objects.none(), label=_("Cơ quan"), required=False)
    standing = forms.BooleanField(label=_("Thành viên thường trực"), required=False)
    decision = forms.ModelChoiceField(m.Decision.objects.none(), label=_("Theo quyết định"), required=False)
    since = VNDateField(label=_("Từ ngày (để trống: ngày ký quyết định)"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=40, required=False)

    def __init__(self, *args, committee=None, **kwargs):
        super().__init__(*args, **kwargs)
        if committee is not None:
            self.fields["decision"].queryset = committee.decisions.all()


class EndMemberForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    until = VNDateField(label=_("Thôi giữ chức từ ngày"))


class MeetingForm(ProvinceForm):
    agency_fields = ("attending_agencies",)
    committee = forms.ModelChoiceField(m.Committee.objects.none(), label=_("Ban Chỉ đạo"))
    kind = forms.ChoiceField(label=_("Loại cuộc họp"), choices=m.Meeting.Kind.choices)
    held_on = VNDateField(label=_("Ngày họp"))
    title = forms.CharField(label=_("Nội dung cuộc họp"), max_length=300)
    chair = forms.CharField(label=_("Người chủ trì"), max_length=200)
    attendees = forms.CharField(
        label=_("Thành phần dự họp"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    attending_agencies = forms.ModelMultipleChoiceField(
        Agency.objects.none(),
        label=_("Cơ quan dự họp"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    location = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    notice_number = forms.CharField(label=_("Số thông báo kết luận"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = m.Committee.objects.filter(province=self.province)


class ConclusionForm(ProvinceForm):
    agency_fields = ("lead", "coordinating")
    member_agencies_only = ("lead", "coordinating")
    text = forms.CharField(label=_("Nội dung kết luận, nhiệm vụ"), widget=forms.Textarea(attrs={"rows": 3}))
    lead = forms.ModelMultipleChoiceField(
        Agency.objects.none(), label=_("Cơ quan chủ trì"), widget=forms.SelectMultiple(attrs={"size": 5})
    )
    coordinating = forms.ModelMultipleChoiceField(
        Agency.objects.none(),
        label=_("Cơ quan phối hợp"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    due = VNDateField(label=_("Thời hạn"))


class NoticeForm(forms.Form):
    file = forms.FileField(label=_("Tệp thông báo kết luận (định dạng kế hoạch YAML, docs/plan-format.md)"))


class RegulationForm(ProvinceForm):
    agency_fields = ("parties",)
    title = forms.CharField(label=_("Tên quy chế"), max_length=400)
    number = forms.CharField(label=_("Số văn bản"), max_length=60)
    signed_on = VNDateField(label=_("Ngày ký"))
    effective_from = VNDateField(label=_("Hiệu lực từ"), required=False)
    review_on = VNDateField(label=_("Hạn rà soát"))
    parties = forms.ModelMultipleChoiceField(
        Agency.objects.none(), label=_("Các bên tham gia"), widget=forms.SelectMultiple(attrs={"size": 6})
    )
    parties_text = forms.CharField(
        label=_("Bên khác (không có trong danh bạ)"), max_length=400, required=False
    )
    document = forms.FileField(label=_("Văn bản (PDF, Word)"), required=False)


class ReviewForm(forms.Form):
    regulation = forms.IntegerField(widget=forms.HiddenInput)
    reviewed_on = VNDateField(label=_("Ngày rà soát"))
    review_note = forms.CharField(label=_("Kết quả rà soát"), max_length=2000)
    next_review_on = VNDateField(label=_("Hạn rà soát tiếp theo"))


class CourseForm(ProvinceForm):
    agency_fields = ("organiser",)
    title = forms.CharField(label=_("Tên lớp tập huấn"), max_length=300)
    starts_on = VNDateField(label=_("Từ ngày"))
    ends_on = VNDateField(label=_("Đến ngày"))
    organiser = forms.ModelChoiceField(Agency.objects.none(), label=_("Cơ quan tổ chức"))
    location = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    topics = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AttendanceForm(ProvinceForm):
    agency_fields = ("agency",)
    agency = forms.ModelChoiceField(Agency.objects.none(), label=_("Cơ quan, xã"))
    participants = VNIntegerField(
        label=_("Số người tham dự (0: bỏ dòng)"), min_value=0, max_value=100000, required=True
    )
    names = forms.CharField(
        label=_("Danh sách người tham dự"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class MaterialForm(ProvinceForm):
    kind = forms.ChoiceField(label=_("Loại tài liệu"), choices=m.Material.Kind.choices)
    title = forms.CharField(label=_("Tên tài liệu"), max_length=300)
    summary = forms.CharField(
        label=_("Tóm tắt, từ khóa"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    published_on = VNDateField(label=_("Ngày phát hành"))
    course = forms.ModelChoiceField(m.Course.objects.none(), label=_("Dùng tại lớp"), required=False)
    file = forms.FileField(label=_("Tệp"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = m.Course.objects.filter(province=self.province)


class BulletinForm(ProvinceForm):
    agency_fields = ("sender", "recipients")
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    body = forms.CharField(
        label=_("Nội dung cảnh báo (phương thức, thủ đoạn mới)"), widget=forms.Textarea(attrs={"rows": 5})
    )
    issued_on = VNDateField(label=_("Ngày phát hành"))
    sender = forms.ModelChoiceField(Agency.objects.none(), label=_("Cơ quan gửi"))
    recipients = forms.ModelMultipleChoiceField(
        Agency.objects.none(),
        label=_("Gửi đến các cơ quan, xã"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class CommendationForm(ProvinceForm):
    agency_fields = ("agency",)
    nominee_kind = forms.ChoiceField(label=_("Đối tượng"), choices=m.Commendation.Nominee.choices)
    agency = forms.ModelChoiceField(Agency.objects.none(), label=_("Cơ quan, đơn vị"))
    person_name = forms.CharField(label=_("Họ tên cá nhân"), max_length=200, required=False)
    award = forms.CharField(label=_("Hình thức khen thưởng"), max_length=200)
    achievements = forms.CharField(
        label=_("Thành tích (để trống: lấy từ kết quả ghi nhận trong hệ thống)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    results_from = VNDateField(label=_("Kết quả từ ngày"), required=False)
    results_to = VNDateField(label=_("Kết quả đến ngày"), required=False)
    proposed_on = VNDateField(label=_("Ngày đề nghị"))


class DecideForm(forms.Form):
    commendation = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[
            (m.Commendation.Status.AWARDED, _("Khen thưởng")),
            (m.Commendation.Status.DECLINED, _("Không khen thưởng")),
        ],
    )
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60, required=False)
    decided_on = VNDateField(label=_("Ngày quyết định"))


class FocalPointForm(ProvinceForm):
    agency_fields = ("agency",)
    member_agencies_only = ("agency",)
    country = forms.ChoiceField(label=_("Nước"), choices=list(COUNTRIES.items()))
    counterpart = forms.CharField(label=_("Cơ quan đối tác"), max_length=300)
    contact = forms.CharField(label=_("Đầu mối liên hệ (họ tên, chức vụ)"), max_length=300, required=False)
    channel = forms.CharField(label=_("Kênh liên lạc"), max_length=300, required=False)
    agency = forms.ModelChoiceField(Agency.objects.none(), label=_("Cơ quan đầu mối phía Việt Nam"))


class ExchangeForm(forms.Form):
    focal_point = forms.ModelChoiceField(m.FocalPoint.objects.none(), label=_("Đầu mối"))
    held_on = VNDateField(label=_("Ngày trao đổi"))
    kind = forms.CharField(
        label=_("Hình thức (hội đàm, trao đổi thông tin, tuần tra chung…)"), max_length=200
    )
    subject = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.CharField(label=_("Kết quả"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focal_point"].queryset = m.FocalPoint.objects.filter(province=province)


class EvidenceForm(forms.Form):
    task = forms.IntegerField(label=_("Nhiệm vụ của kế hoạch"))
    agency = forms.IntegerField(label=_("Báo cáo thay cơ quan"), required=False)
    note = forms.CharField(label=_("Ghi chú thêm"), max_length=1000, required=False)
    done = forms.BooleanField(label=_("Nhiệm vụ đã hoàn thành (cần tệp minh chứng)"), required=False)
    evidence_file = forms.FileField(label=_("Tệp minh chứng"), required=False)
    evidence_number = forms.CharField(label=_("Số văn bản minh chứng"), max_length=60, required=False)
    evidence_date = VNDateField(label=_("Ngày văn bản minh chứng"), required=False)

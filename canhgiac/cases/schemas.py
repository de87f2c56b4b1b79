import datetime as dt
from decimal import Decimal

from ninja import Schema


class GoodsIn(Schema):
    goods_category: str
    description: str
    brand: str = ""
    quantity: Decimal | None = None
    unit: str = ""
    value_vnd: int = 0
    disposition: str = ""
    product_gtin: str = ""


class SubjectIn(Schema):
    kind: str = "person"
    name: str
    identifier: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    address: str = ""
    role: str


class CaseIn(Schema):
    lead_agency_code: str | None = None
    agency_ref: str | None = None
    detected_on: dt.date | None = None
    unit_code: str | None = None
    address: str | None = None
    violation_type: str | None = None
    other_violation_types: list[str] | None = None
    summary: str | None = None
    online_platform: str | None = None
    online_url: str | None = None
    status: str | None = None
    outcome: str | None = None
    visibility: str | None = None
    shared_with: list[str] | None = None
    participating: list[str] | None = None
    sensitive: bool | None = None
    signs_of_crime: bool | None = None
    origin: str | None = None
    decision_no: str | None = None
    decision_date: dt.date | None = None
    issuing_body: str | None = None
    fine_vnd: int | None = None
    budget_revenue_vnd: int | None = None
    defendants: int | None = None
    goods: list[GoodsIn] | None = None
    subjects: list[SubjectIn] | None = None


class CaseOut(Schema):
    id: int
    reference: str
    url: str
    lead_agency: str
    agency_ref: str
    detected_on: dt.date
    unit_code: str
    unit_name: str
    violation_type: str
    summary: str
    status: str
    outcome: str
    goods_value_vnd: int
    fine_vnd: int
    budget_revenue_vnd: int
    defendants: int
    visibility: str
    sensitive: bool
    signs_of_crime: bool


class CasePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[CaseOut]

"""The probabilistic model: splink's comparisons, blocking rules and training, and a scorer in Python
that reads the same trained parameters for incremental matching (one record against the entities
already present, without starting a DuckDB or Spark session).

Each comparison level carries a code as its splink label (`name_exact`, `birth_year` …); the
Python scorer computes the same level for a pair and looks its m and u probabilities up by code,
so the two agree as long as each level's SQL and its Python twin say the same thing (a test
compares them on generated pairs).
"""

from __future__ import annotations

import math
import os

from django.utils.translation import gettext_lazy as _
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler, Levenshtein

# Columns each record brings to the model (features.py builds them).
COLUMNS = (
    "unique_id",
    "kind",
    "name",
    "given",
    "block_key",
    "initials",
    "middle",
    "abbrev",
    "birth_date",
    "birth_year",
    "doc",
    "doc_scheme",
    "phone",
    "email",
    "bank",
    "address",
    "unit",
    "org",
)

# Columns made from the others for blocking only (`frame`): a person's family name, an
# organisation's name and a house when few records bear them.
BLOCK_COLUMNS = ("family", "org_name", "house")
# An organisation name (without its form) or a house borne by more records than this makes no
# block of its own: a block of n records is n(n-1)/2 pairs, a generic name ("Hoàng Long", "Minh
# Phát") is borne by thousands of companies in a register of a million, and "12 Lê Duẩn" without
# its commune is a house in every town. Such records still meet on the tax code, the phone, the
# house with the commune, or the name key with the commune.
BLOCK_MAX = 100


def _rare(out, column: str):
    """The column's values borne by at most BLOCK_MAX records of a kind (None for the others)."""
    values = out[column].astype(object)
    size = out.groupby(["kind", column], dropna=False)["unique_id"].transform("size")
    keep = values.notna() & (size <= BLOCK_MAX)
    return [v if k else None for v, k in zip(values, keep, strict=True)]


def frame(rows):
    """The pandas frame of feature rows the backend reads: COLUMNS and the BLOCK_COLUMNS."""
    import pandas as pd

    out = pd.DataFrame(rows, columns=COLUMNS)
    out["birth_year"] = out["birth_year"].astype("Int64")
    names = out["name"].astype(object)
    person = out["org"].isna() & names.notna()
    out["family"] = [n.split(" ", 1)[0] if p else None for n, p in zip(names, person, strict=True)]
    out["org_name"] = [n if o else None for n, o in zip(_rare(out, "name"), out["org"].notna(), strict=True)]
    out["house"] = _rare(out, "address")
    return out


# One model per group of kinds: what a shared exact name, phone or address proves differs between a
# person and a company, and one model's m probabilities would mix them.
GROUPS = ("person", "other")


def group_of(kind: str) -> str:
    return "person" if kind == "person" else "other"


NAME_NEAR = 0.90
NAME_FAR = 0.80
# Vietnamese full names share family and middle names (a household, "Nguyễn Thị …"), so the
# similarity of the whole name is only evidence when the given names are alike too.
# the given names are the same, or one typo apart with the same first letter ("Huyền"/"Hyền",
# "Mai"/"Mia"), never "Hằng"/"Thắng" or "Khánh"/"Hạnh"
GIVEN_ALIKE = (
    "(given_l = given_r OR (substr(given_l, 1, 1) = substr(given_r, 1, 1) "
    "AND damerau_levenshtein(given_l, given_r) <= 1))"
)
ADDRESS_NEAR = 0.88
# a middle name cut to an initial that is not the other's ("Võ C. Nam", "Võ Ngọc Nam"): two people,
# however alike the rest of the names
INITIALS_CLASH = "(middle_l <> '' AND middle_r <> '' AND initials_l <> initials_r AND (abbrev_l OR abbrev_r))"
# one organisation name (two words or more) ends the other, word for word; never a branch ("Chi
# nhánh Cty … Kim Ngân" ends with its head office's name and is not it)
ORG_TAIL = (
    "org_l IS NOT NULL AND name_l NOT LIKE 'chi nhanh %' AND name_r NOT LIKE 'chi nhanh %' "
    "AND ((strpos(name_r, ' ') > 0 "
    "AND right(name_l, length(name_r) + 1) = concat(' ', name_r)) "
    "OR (strpos(name_l, ' ') > 0 AND right(name_r, length(name_l) + 1) = concat(' ', name_l)))"
)


def org_tail(left: str, right: str) -> bool:
    """The Python twin of ORG_TAIL."""
    if left.startswith("chi nhanh ") or right.startswith("chi nhanh "):
        return False
    return (" " in right and left.endswith(" " + right)) or (" " in left and right.endswith(" " + left))


# The namesake guard (see `namesake_prone`): the reason a pair above the upper threshold waits for
# review all the same.
NAMESAKE = "namesake"
# What a pair's evidence may hold for the guard to apply: only the name and the commune agree.
NAME_AND_COMMUNE = {"name_exact", "name_skeleton", "name_near", "name_far", "address_unit"}


def namesake_prone(kind: str, reasons) -> bool:
    """A pair of persons whose only agreement is the name and the commune (nothing of birth,
    document, phone, house or contact agrees): namesakes in one commune look exactly like that.
    Such a pair joins automatically only when no other person record of the commune bears either
    record's family and given name (`run.crowded`); otherwise it waits for review."""
    if kind != "person":
        return False
    agreeing = {code for code, _w in reasons if not code.endswith("_diff")}
    return agreeing <= NAME_AND_COMMUNE


# What each level means to a reader, in Vietnamese (explanations on the entity page and the queue).
REASONS = {
    "name_exact": _("cùng họ tên"),
    "name_exact_org": _("cùng tên (bỏ loại hình doanh nghiệp)"),
    "name_skeleton": _("cùng họ và tên gọi (tên đệm bỏ hoặc viết tắt)"),
    "name_tail_org": _("cùng tên (loại hình, ngành nghề viết khác)"),
    "name_near": _("tên gần giống"),
    "name_far": _("tên hơi giống"),
    "name_diff": _("tên khác"),
    "birth_exact": _("cùng ngày sinh"),
    "birth_year": _("cùng năm sinh"),
    "birth_diff": _("năm sinh khác"),
    "doc_exact": _("cùng số giấy tờ"),
    "doc_near": _("số giấy tờ gần giống (có thể gõ nhầm)"),
    "doc_diff": _("số giấy tờ khác"),
    "phone_exact": _("cùng số điện thoại"),
    "phone_diff": _("số điện thoại khác"),
    "address_exact": _("cùng địa chỉ"),
    "address_near": _("địa chỉ gần giống"),
    "address_unit": _("cùng xã, phường"),
    "address_diff": _("địa chỉ khác"),
    "contact_exact": _("cùng thư điện tử hoặc tài khoản ngân hàng"),
    "contact_diff": _("thư điện tử, tài khoản ngân hàng khác"),
    # exact identifier joins (before the model)
    "id:cccd": _("cùng số CCCD"),
    "id:cmnd": _("cùng số CMND"),
    "id:passport": _("cùng số hộ chiếu"),
    "id:mst": _("cùng mã số thuế"),
    "id:brn": _("cùng số đăng ký kinh doanh"),
    "id:plate": _("cùng biển số"),
    "id:account": _("cùng tài khoản trực tuyến"),
    "decision:yes": _("cán bộ đã xác nhận cùng một đối tượng"),
    NAMESAKE: _("chỉ trùng tên và xã, mà trong xã còn người khác cùng họ tên: cần cán bộ xem xét"),
}
DOC_REASONS = {
    "cccd": "id:cccd",
    "cmnd": "id:cmnd",
    "passport": "id:passport",
    "mst": "id:mst",
    "brn": "id:brn",
    "plate": "id:plate",
    "account": "id:account",
}


def reason_text(code: str) -> str:
    return str(REASONS.get(code, code))


def backend_name() -> str:
    name = os.environ.get("CANHGIAC_ER_BACKEND", "duckdb").strip().lower() or "duckdb"
    if name not in ("duckdb", "spark"):
        raise ValueError(f"CANHGIAC_ER_BACKEND must be duckdb or spark, not {name!r}")
    return name


def spark_session():
    """The local Spark session (`local[2]` unless SPARK_* settings say otherwise), with splink's
    similarity UDF jar and a checkpoint folder under the var folder. Made once per process: the
    first caller decides its configuration, so everything here goes through this function."""
    from django.conf import settings
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    # splink's Jaro-Winkler and other similarity functions are Scala UDFs in a jar it ships
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("canhgiac-er")
        .config("spark.jars", similarity_jar_location())
        .getOrCreate()
    )
    if not spark.sparkContext.getCheckpointDir():
        # splink checkpoints intermediate tables to cut Spark's lineage; it needs a folder
        folder = settings.VAR_DIR / "spark-checkpoints"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        spark.sparkContext.setCheckpointDir(str(folder))
    return spark


def db_api(spark=None):
    """splink's database API for the configured backend (DuckDB in process by default)."""
    if backend_name() == "spark":
        from splink import SparkAPI

        return SparkAPI(spark_session=spark or spark_session())
    import duckdb
    from splink import DuckDBAPI

    con = duckdb.connect()
    con.execute("SET threads TO 2")
    return DuckDBAPI(connection=con)


def _in_dialect(sql: str) -> tuple[str, str]:
    """A level's SQL, written for DuckDB, for the configured backend. splink translates DuckDB's
    SQL to Spark's (strpos, right, …) through sqlglot, but not Jaro-Winkler: on Spark that is
    splink's Scala UDF `jaro_winkler` (the jar `spark_session` loads)."""
    if backend_name() == "spark":
        return sql.replace("jaro_winkler_similarity(", "jaro_winkler("), "duckdb"
    return sql, "duckdb"


def input_table(frame):
    """The records as the backend's linker takes them. DuckDB reads the pandas frame; Spark infers
    a column's type from its values and refuses a column that is empty in every row (the "other"
    group often has no birth dates), so it gets a Spark frame with the schema given."""
    if backend_name() != "spark":
        return frame
    from pyspark.sql.types import BooleanType, LongType, StringType, StructField, StructType

    types = {"unique_id": LongType(), "birth_year": LongType(), "abbrev": BooleanType()}
    columns = [c for c in (*COLUMNS, *BLOCK_COLUMNS) if c in frame.columns]
    schema = StructType([StructField(c, types.get(c, StringType()), True) for c in columns])
    values = frame[columns].astype(object)
    rows = list(values.where(values.notna(), None).itertuples(index=False, name=None))
    return spark_session().createDataFrame(rows, schema)


def _trained_levels(trained: dict | None) -> dict[tuple[str, str], tuple[float, float]]:
    out = {}
    for comparison in (trained or {}).get("comparisons", []):
        for lvl in comparison["comparison_levels"]:
            if lvl.get("m_probability") is not None and lvl.get("u_probability") is not None:
                out[(comparison["output_column_name"], lvl["label_for_charts"])] = (
                    lvl["m_probability"],
                    lvl["u_probability"],
                )
    return out


def comparisons(trained: dict | None = None):
    """The comparisons, with the m and u probabilities of `trained` (a saved model) when given:
    the model is stored as probabilities per level code and rebuilt for whichever backend runs."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    known = _trained_levels(trained)
    current = {"column": ""}

    def probabilities(code, creator):
        mu = known.get((current["column"], code))
        if mu is None and trained is not None:
            # a level the saved model has no estimate for is no evidence either way (m = u), as the
            # incremental scorer reads it; left unset, splink would fill in its own defaults and the
            # full run and the incremental match would weigh the same pair differently
            mu = (0.5, 0.5)
        return creator.configure(m_probability=mu[0], u_probability=mu[1]) if mu else creator

    def level(sql, code):
        condition, dialect = _in_dialect(sql)
        creator = cll.CustomLevel(condition, label_for_charts=code, base_dialect_str=dialect)
        return probabilities(code, creator)

    def else_(code):
        return probabilities(code, cll.ElseLevel().configure(label_for_charts=code))

    def column(name, levels_):
        current["column"] = name
        return cl.CustomComparison(output_column_name=name, comparison_levels=levels_())

    def null(sql):
        condition, dialect = _in_dialect(sql)
        lvl = cll.CustomLevel(condition, label_for_charts="null", base_dialect_str=dialect)
        return lvl.configure(is_null_level=True)

    return [
        column(
            "name",
            lambda: [
                null("name_l IS NULL OR name_r IS NULL"),
                # a company's name without its form is nearly unique in a province; a person's
                # full name is shared by namesakes: the same exact name weighs differently
                level("name_l = name_r AND org_l IS NOT NULL", "name_exact_org"),
                level("name_l = name_r", "name_exact"),
                # a person's family and given name (middle names dropped or cut); an
                # organisation's last two words are often a place ("Miền Trung", "Đắk Lắk"),
                # shared by many companies: no level of their own
                # ("Nguyễn Lan", "Nguyễn T. Lan", "Nguyễn Thị Lan"; never "Nguyễn Thanh Mai" and
                # "Nguyễn Thùy Mai": two middle names written in full must be the same)
                level(
                    "block_key_l = block_key_r AND org_l IS NULL AND (middle_l = '' OR middle_r = '' "
                    "OR middle_l = middle_r OR (initials_l = initials_r AND (abbrev_l OR abbrev_r)))",
                    "name_skeleton",
                ),
                # an organisation whose name is the end of the other's: a form or trade word
                # mistyped ("Công ty C phần Nam Việt", "h kinh doanh Lâm Thanh Khánh") is left in
                level(ORG_TAIL, "name_tail_org"),
                level(
                    f"jaro_winkler_similarity(name_l, name_r) >= {NAME_NEAR} AND {GIVEN_ALIKE} "
                    f"AND NOT {INITIALS_CLASH}",
                    "name_near",
                ),
                level(
                    f"jaro_winkler_similarity(name_l, name_r) >= {NAME_FAR} AND {GIVEN_ALIKE} "
                    f"AND NOT {INITIALS_CLASH}",
                    "name_far",
                ),
                else_("name_diff"),
            ],
        ),
        column(
            "birth",
            lambda: [
                null("birth_year_l IS NULL OR birth_year_r IS NULL"),
                level("birth_date_l = birth_date_r", "birth_exact"),
                level("birth_year_l = birth_year_r", "birth_year"),
                else_("birth_diff"),
            ],
        ),
        column(
            "doc",
            lambda: [
                null("doc_l IS NULL OR doc_r IS NULL OR doc_scheme_l <> doc_scheme_r"),
                level("doc_l = doc_r", "doc_exact"),
                level("levenshtein(doc_l, doc_r) <= 1", "doc_near"),
                else_("doc_diff"),
            ],
        ),
        column(
            "phone",
            lambda: [
                null("phone_l IS NULL OR phone_r IS NULL"),
                level("phone_l = phone_r", "phone_exact"),
                else_("phone_diff"),
            ],
        ),
        column(
            "address",
            lambda: [
                # with the same phone the address says nothing more (a household shares both)
                null(
                    "((address_l IS NULL OR address_r IS NULL) AND (unit_l IS NULL OR unit_r IS NULL)) "
                    "OR phone_l = phone_r"
                ),
                level("address_l = address_r", "address_exact"),
                level(f"jaro_winkler_similarity(address_l, address_r) >= {ADDRESS_NEAR}", "address_near"),
                level("unit_l = unit_r", "address_unit"),
                else_("address_diff"),
            ],
        ),
        column(
            "contact",
            lambda: [
                null("(email_l IS NULL OR email_r IS NULL) AND (bank_l IS NULL OR bank_r IS NULL)"),
                level("email_l = email_r OR bank_l = bank_r", "contact_exact"),
                else_("contact_diff"),
            ],
        ),
    ]


def prediction_rules():
    """Blocking rules: which pairs are scored at all. Always within one kind; a common family and
    given name ("nguyen anh") alone would make blocks of tens of thousands, so the name key is
    combined with the birth year or the commune."""
    from splink import block_on

    return [
        block_on("kind", "block_key", "birth_year"),
        block_on("kind", "block_key", "unit"),
        # a typo in the family or given name: the same commune and birth year, and the other part
        # of the name (the commune and year alone make blocks that grow with the square of the
        # register)
        block_on("kind", "unit", "birth_year", "family"),
        block_on("kind", "unit", "birth_year", "given"),
        # an organisation without its form, commune or tax code: the same name, when few bear it
        # (BLOCK_MAX)
        block_on("kind", "org_name"),
        block_on("kind", "doc"),
        # the same house (a household shares it, so it is a block, never evidence with the phone):
        # alone when few records bear it (BLOCK_MAX), always with the commune
        block_on("kind", "house"),
        block_on("kind", "address", "unit"),
        # a typo in the name and no commune in common: the same date of birth
        block_on("kind", "birth_date"),
        block_on("kind", "phone"),
        block_on("kind", "email"),
        block_on("kind", "bank"),
    ]


def settings(trained: dict | None = None, levels: bool = False):
    """splink settings; with `trained` (a saved model), its parameters and prior. With `levels`,
    the predictions also carry each comparison's level (gamma_<comparison>; splink keeps it only
    with the compared columns, which the caller leaves in the backend)."""
    from splink import SettingsCreator

    kwargs = {}
    if trained and trained.get("probability_two_random_records_match"):
        kwargs["probability_two_random_records_match"] = trained["probability_two_random_records_match"]
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons(trained),
        blocking_rules_to_generate_predictions=prediction_rules(),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=levels,
        **kwargs,
    )


def em_rules(group: str):
    """The blocking rules of the EM sessions of a group's model. Each session cannot estimate the
    comparisons it blocks on, so together they must cover all. No session blocks on the phone:
    households share one, and EM would learn them as matches. Organisations have no birth date:
    a session blocked on the birth year finds no pair among them, and splink drops the comparisons
    such a failed session had set aside (the name) from the model it goes on training — so their
    sessions are the document (tax code, registration number) and the name key."""
    from splink import block_on

    if group == "person":
        return [block_on("kind", "block_key", "birth_year"), block_on("kind", "doc")]
    return [block_on("kind", "doc"), block_on("kind", "block_key")]


def train(linker, records: int, group: str = "person") -> None:
    """Estimate the model's parameters from the data: λ from exact identifier pairs, u by random
    sampling, m by expectation maximisation in the group's blocked sessions (`em_rules`)."""
    from splink import block_on

    try:
        linker.training.estimate_probability_two_random_records_match(
            [block_on("kind", "doc"), block_on("kind", "email")], recall=DOC_RECALL
        )
    except Exception:
        # too few exact pairs (a small register): keep splink's default prior
        pass
    linker.training.estimate_u_using_random_sampling(max_pairs=min(5e6, max(1e5, records * 5.0)), seed=389)
    for rule in em_rules(group):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule, fix_u_probabilities=True)
        except Exception:
            # a session with no pair to learn from (e.g. no documents at all) leaves its levels as they are
            continue


M_FLOOR = 0.001
# The share of true pairs that share a document number: about a third when officers record the
# citizen ID or the old card on half of the records (λ, the prior, is estimated from it).
DOC_RECALL = 0.35
U_FLOOR = 0.00001


def regularise(trained: dict) -> dict:
    """Floors on m and u: a level EM never saw among matches (m → 1e-21) would otherwise veto a
    pair on its own; a level never seen among random pairs would prove it."""
    for comparison in trained["comparisons"]:
        for lvl in comparison["comparison_levels"]:
            if lvl.get("is_null_level"):
                continue
            m, u = lvl.get("m_probability"), lvl.get("u_probability")
            if m is None and u is None:
                # never observed at all (no e-mails in the data): no evidence either way
                lvl["m_probability"] = lvl["u_probability"] = 0.5
                continue
            # a level never observed among matches (or among random pairs) gets the floor
            lvl["m_probability"] = max(m or 0.0, M_FLOOR)
            lvl["u_probability"] = max(u or 0.0, U_FLOOR)
    return trained


# ---------------------------------------------------------------- the same levels in Python


def _jw(a: str, b: str) -> float:
    return JaroWinkler.similarity(a, b, prefix_weight=0.1)


def levels(left: dict, right: dict) -> dict[str, str | None]:
    """The code of each comparison's level for a pair of feature rows (None: null level)."""

    def nul(*values):
        return any(v in (None, "") for v in values)

    out: dict[str, str | None] = {}
    ln, rn = left.get("name"), right.get("name")
    if nul(ln, rn):
        out["name"] = None
    elif ln == rn:
        out["name"] = "name_exact_org" if left.get("org") else "name_exact"
    elif (
        left["block_key"] == right["block_key"]
        and not left.get("org")
        and (
            not left.get("middle")
            or not right.get("middle")
            or left["middle"] == right["middle"]
            or (left["initials"] == right["initials"] and (left.get("abbrev") or right.get("abbrev")))
        )
    ):
        out["name"] = "name_skeleton"
    elif left.get("org") and org_tail(ln, rn):
        out["name"] = "name_tail_org"
    else:
        s = _jw(ln, rn)
        lg, rg = left.get("given") or "", right.get("given") or ""
        given = lg == rg or (lg[:1] == rg[:1] and DamerauLevenshtein.distance(lg, rg) <= 1)
        clash = (
            bool(left.get("middle"))
            and bool(right.get("middle"))
            and left["initials"] != right["initials"]
            and bool(left.get("abbrev") or right.get("abbrev"))
        )
        given = given and not clash
        out["name"] = (
            "name_near"
            if given and s >= NAME_NEAR
            else "name_far"
            if given and s >= NAME_FAR
            else "name_diff"
        )

    ly, ry = left.get("birth_year"), right.get("birth_year")
    if ly is None or ry is None:
        out["birth"] = None
    elif left.get("birth_date") and left.get("birth_date") == right.get("birth_date"):
        out["birth"] = "birth_exact"
    else:
        out["birth"] = "birth_year" if ly == ry else "birth_diff"

    ld, rd = left.get("doc"), right.get("doc")
    if nul(ld, rd) or left.get("doc_scheme") != right.get("doc_scheme"):
        out["doc"] = None
    elif ld == rd:
        out["doc"] = "doc_exact"
    else:
        out["doc"] = "doc_near" if Levenshtein.distance(ld, rd) <= 1 else "doc_diff"

    lp, rp = left.get("phone"), right.get("phone")
    out["phone"] = None if nul(lp, rp) else "phone_exact" if lp == rp else "phone_diff"

    la, ra = left.get("address"), right.get("address")
    lu, ru = left.get("unit"), right.get("unit")
    if (nul(la, ra) and nul(lu, ru)) or (not nul(lp, rp) and lp == rp):
        out["address"] = None
    elif not nul(la, ra) and la == ra:
        out["address"] = "address_exact"
    elif not nul(la, ra) and _jw(la, ra) >= ADDRESS_NEAR:
        out["address"] = "address_near"
    elif not nul(lu, ru) and lu == ru:
        out["address"] = "address_unit"
    else:
        out["address"] = "address_diff"

    le, re_ = left.get("email"), right.get("email")
    lb, rb = left.get("bank"), right.get("bank")
    if nul(le, re_) and nul(lb, rb):
        out["contact"] = None
    elif (not nul(le, re_) and le == re_) or (not nul(lb, rb) and lb == rb):
        out["contact"] = "contact_exact"
    else:
        out["contact"] = "contact_diff"
    return out


class Scorer:
    """Match weight and probability of a pair from the trained splink settings (a dict)."""

    def __init__(self, trained: dict):
        self.prior = trained.get("probability_two_random_records_match", 0.0001)
        self.bf: dict[tuple[str, str], float] = {}
        for comparison in trained["comparisons"]:
            column = comparison["output_column_name"]
            for lvl in comparison["comparison_levels"]:
                if lvl.get("is_null_level"):
                    continue
                m, u = lvl.get("m_probability"), lvl.get("u_probability")
                if m is None or u is None or u == 0 or m == 0:
                    bf = 1.0
                else:
                    bf = m / u
                self.bf[(column, lvl["label_for_charts"])] = bf

    def score(self, left: dict, right: dict) -> tuple[float, float, list]:
        """(probability, match weight, reasons [[code, weight] …] strongest first)."""
        weight = math.log2(self.prior / (1 - self.prior))
        reasons = []
        for column, code in levels(left, right).items():
            if code is None:
                continue
            w = math.log2(self.bf.get((column, code), 1.0))
            weight += w
            reasons.append([_doc_code(code, left), round(w, 2)])
        probability = 2**weight / (1 + 2**weight)
        reasons.sort(key=lambda r: -r[1])
        return probability, weight, reasons

    def level_weights(self) -> dict[tuple[str, str], float]:
        return {key: math.log2(bf) for key, bf in self.bf.items()}


def _doc_code(code: str, row: dict) -> str:
    """ "doc_exact" said as the document it is ("cùng số CCCD", "cùng mã số thuế")."""
    if code == "doc_exact":
        return DOC_REASONS.get(row.get("doc_scheme") or "", code)
    return code

"""Officers and consumers read the CBV's steps and dispositions in Vietnamese."""

from canhgiac.goods.epcis import validation, vocabulary


def test_every_cbv_step_and_disposition_of_the_bundled_schema_has_a_vietnamese_name():
    steps, _web, _urn = validation.vocabularies()["bizStep"]
    dispositions, _web, _urn = validation.vocabularies()["disposition"]
    assert steps and dispositions
    assert sorted(steps - set(vocabulary.BIZ_STEPS)) == []
    assert sorted(dispositions - set(vocabulary.DISPOSITIONS)) == []


def test_labels_read_web_uris_old_urns_and_leave_extensions_as_written():
    assert vocabulary.step_label("https://ref.gs1.org/cbv/BizStep-shipping") == "Xuất hàng"
    assert vocabulary.step_label("urn:epcglobal:cbv:bizstep:retail_selling") == "Bán lẻ"
    assert vocabulary.disposition_label("https://ref.gs1.org/cbv/Disp-in_transit") == "đang vận chuyển"
    assert vocabulary.step_label("https://example.vn/buoc/kiem-dich") == "https://example.vn/buoc/kiem-dich"
    assert vocabulary.step_label(None) == "" and vocabulary.disposition_label("") == ""

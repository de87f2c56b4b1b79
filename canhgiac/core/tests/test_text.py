from canhgiac.core.text import clean_name, fold


def test_fold_removes_diacritics_and_lowers_case():
    assert fold("Phường Buôn Ma Thuột") == "phuong buon ma thuot"


def test_fold_maps_d_with_stroke():
    assert fold("Đắk Lắk đường") == "dak lak duong"


def test_fold_collapses_whitespace():
    assert fold("  Sữa   bột\tgiả \n") == "sua bot gia"


def test_fold_handles_decomposed_input_and_empty():
    assert fold("Thuo\u0302\u0301c") == "thuoc"
    assert fold(None) == "" and fold("") == ""


def test_clean_name_keeps_diacritics_and_collapses_spaces():
    assert clean_name("Phường  Buôn Ma Thuột") == "Phường Buôn Ma Thuột"

from canhgiac.core.text import shorten


def test_shorten_never_cuts_inside_a_word():
    text = "Tăng cường công tác quản lý nhà nước về xử lý vi phạm hành chính"
    short = shorten(text, 30)
    assert len(short) <= 30 and short.endswith("…")
    assert text.startswith(short.removesuffix(" …"))
    assert text[len(short.removesuffix(" …"))] == " "
    assert shorten("Ngắn", 30) == "Ngắn"

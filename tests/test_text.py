from meetings.text import fold, given_name, vn_sort_key


def test_names_sort_by_given_name_in_vietnamese_order():
    names = ["Lê Văn Đức", "Nguyễn Văn Bình", "Trần Thị An", "Phạm Thị Dung", "Hoàng Văn Cường", "Bùi Thị Ân"]
    assert sorted(names, key=vn_sort_key) == [
        "Trần Thị An",
        "Bùi Thị Ân",
        "Nguyễn Văn Bình",
        "Hoàng Văn Cường",
        "Phạm Thị Dung",
        "Lê Văn Đức",
    ]


def test_same_given_name_sorts_by_family_then_middle():
    assert sorted(["Trần Văn An", "Lê Văn An"], key=vn_sort_key) == ["Lê Văn An", "Trần Văn An"]


def test_d_with_stroke_comes_after_d():
    assert vn_sort_key("A Dũng") < vn_sort_key("A Đạt")


def test_fold_strips_diacritics_and_punctuation():
    assert fold("Tự soi, tự sửa") == "tu soi tu sua"
    assert fold("ĐẢNG CỘNG SẢN") == "dang cong san"


def test_given_name():
    assert given_name("Nguyễn Thị Minh Khai") == "Khai"

from mechanisms.overlap import Overlap


def make_overlap() -> Overlap:
    return Overlap.build(
        mechanisms=["RCM", "CSM", "GCM", "MIRPS"],
        states=["MX", "AR", "CR"],
        pairs=[("RCM", "MX"), ("RCM", "CR"), ("CSM", "AR"), ("MIRPS", "MX"), ("MIRPS", "CR")],
    )


def test_mechanisms_without_listed_members_are_left_out_of_the_matrix():
    assert make_overlap().mechanisms == ["RCM", "CSM", "MIRPS"]


def test_state_rows_flag_each_membership_in_column_order():
    assert make_overlap().state_rows() == [
        ("MX", [True, False, True]),
        ("AR", [False, True, False]),
        ("CR", [True, False, True]),
    ]


def test_shared_rows_count_common_members_with_totals_on_the_diagonal():
    assert make_overlap().shared_rows() == [
        ("RCM", [2, 0, 2]),
        ("CSM", [0, 1, 0]),
        ("MIRPS", [2, 0, 2]),
    ]


def test_shared_names_the_common_states():
    overlap = make_overlap()
    assert overlap.shared("RCM", "MIRPS") == {"MX", "CR"}
    assert overlap.mechanisms_of("MX") == ["RCM", "MIRPS"]

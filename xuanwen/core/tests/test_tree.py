from xuanwen.core import tree


def test_common_ancestor_is_the_deepest_unit_holding_every_code() -> None:
    assert tree.common_ancestor(["331082001001", "331082001002"]) == "331082001"
    # Sharing more digits than a level does not make a unit: 3310820 is no code.
    assert tree.common_ancestor(["331082001001", "331082002001"]) == "331082"
    assert tree.common_ancestor(["331082001", "331082001001"]) == "331082001"
    assert tree.common_ancestor(["331082"]) == "331082"
    assert tree.common_ancestor(["33", "44"]) == ""

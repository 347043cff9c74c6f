from config.common.text import sort_key


def test_sort_key_ignores_accents_and_case():
    names = ["Perú", "panamá", "Paraguay", "Estados Unidos", "Ecuador"]
    assert sorted(names, key=sort_key) == [
        "Ecuador",
        "Estados Unidos",
        "panamá",
        "Paraguay",
        "Perú",
    ]

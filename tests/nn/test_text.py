import pytest

import nn
from nn.text import CharTokenizer, load_names


def test_load_names_reads_the_shipped_copy_of_makemores_names():
    names = load_names()
    assert len(names) == 32033 and names[:3] == ["emma", "olivia", "ava"]
    assert set("".join(names)) == set("abcdefghijklmnopqrstuvwxyz")
    assert nn.load_names is load_names


def test_the_tokenizer_numbers_sorted_characters_then_bos_last():
    tok = CharTokenizer(["emma", "bob"])
    assert tok.chars == "abemo" and tok.bos == 5 and tok.vocab_size == 6
    assert tok.encode("mob") == [3, 4, 1]
    assert tok.document("ab") == [5, 0, 1, 5]
    assert tok.decode([5, 3, 4, 1, 5]) == "mob"


def test_the_names_vocabulary_is_the_references():
    tok = CharTokenizer(load_names())
    assert tok.vocab_size == 27 and tok.bos == 26 and tok.encode("a") == [0]


def test_unknown_characters_and_bad_ids_are_clear_errors():
    tok = CharTokenizer(["emma"])
    with pytest.raises(ValueError, match=r"character 'z' at position 2 of 'emz' is not in the vocabulary"):
        tok.encode("emz")
    with pytest.raises(ValueError, match=r"ids\[1\] = 9 is not a token id \(0 … 3\)"):
        tok.decode([0, 9])
    with pytest.raises(TypeError, match=r"ids\[0\] must be an int"):
        tok.decode(["a"])
    with pytest.raises(TypeError, match="one str"):
        CharTokenizer("emma")
    with pytest.raises(ValueError, match="no characters"):
        CharTokenizer([""])

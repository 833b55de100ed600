"""A participant confirms a conversation with their initials: which initials are theirs."""

import pytest

from wpo.models import Person


def person(first_name, infix, last_name):
    return Person(first_name=first_name, infix=infix, last_name=last_name)


FATIMA = person("Fatima", "el", "Amrani")


@pytest.mark.parametrize("typed", ["FA", "F.A.", "f a", "F. A.", "fa."])
def test_first_name_and_surname_initial_in_any_case_with_dots_or_spaces(typed):
    assert FATIMA.has_initials(typed)


@pytest.mark.parametrize("typed", ["XQ", "AF", "F", "A", "FAX"])
def test_someone_elses_initials_are_not_hers(typed):
    assert not FATIMA.has_initials(typed)


@pytest.mark.parametrize("typed", ["FEA", "F.e.A."])
def test_the_infix_does_not_count(typed):
    assert not FATIMA.has_initials(typed)


@pytest.mark.parametrize("typed", ["F1A", "<FA>", "F_A", ""])
def test_initials_are_letters(typed):
    assert not FATIMA.has_initials(typed)


@pytest.mark.parametrize("typed", ["AV", "AMV", "A.V.B.", "amvb"])
def test_every_first_name_and_each_part_of_a_double_surname_may_count(typed):
    assert person("Anna Maria", "", "de Vries-Bakker").has_initials(typed)


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        (("Kees", "", "De Vries"), "KV"),
        (("Sanne", "", "'t Hart"), "SH"),
        (("Jan-Willem", "van der", "Berg"), "J.W.B."),
    ],
)
def test_an_infix_written_in_the_surname_does_not_count_either(name, typed):
    assert person(*name).has_initials(typed)


def test_accents_need_not_be_typed():
    assert person("Özlem", "", "Çelik").has_initials("OC")

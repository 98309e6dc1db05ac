"""The explanation grammar (rngindex.Grammar) builds element contents
lazily, so what it cannot model must be refused up front, as before."""

from __future__ import annotations

import pytest
from lxml import etree

from teikit.validation.rngindex import Grammar, SchemaUnsupported

R = "http://relaxng.org/ns/structure/1.0"


def _grammar(body: str) -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(f'<grammar xmlns="{R}">{body}</grammar>'))


@pytest.mark.parametrize(
    "body, reason",
    [
        (
            '<start><ref name="a"/></start><define name="a"><ref name="b"/></define>'
            '<define name="b"><choice><ref name="a"/><empty/></choice></define>',
            "recursive define a outside an element",
        ),
        ('<start><ref name="zz"/></start>', "undefined zz"),
        ('<start><element name="x"><ref name="zz"/></element></start>', "undefined zz"),
        ('<start><element name="x"><externalRef href="y.rng"/></element></start>', f"{{{R}}}externalRef"),
        ('<start><element name="x"><bogus/></element></start>', f"{{{R}}}bogus"),
    ],
)
def test_unsupported_grammars_are_refused_at_once(body, reason):
    with pytest.raises(SchemaUnsupported) as info:
        Grammar(_grammar(body))
    assert str(info.value) == reason


def test_recursion_through_an_element_is_fine_and_built_on_demand():
    g = Grammar(
        _grammar(
            '<start><ref name="a"/></start><define name="a"><element name="x">'
            '<optional><ref name="a"/></optional><element name="y"><text/></element></element></define>'
        )
    )
    assert [nc for nc, _ in g.elements] == [("name", "", "x"), ("name", "", "y")]
    assert g._content == {}  # nothing built before it is needed
    x = g.content(0)
    assert g.nullable(g.child(x, ("", "y")))
    assert not g.nullable(x)
    assert g.by_name == {("", "x"): [0], ("", "y"): [1]}

<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit critical apparatus, format-neutral: which app elements have an
  entry, their labels (a, b, ...), the reading shown in the text, the sigla.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <!-- ============ critical apparatus ============ -->
  <xsl:variable name="tk:apps" as="element()*" select="$tk:root/tei:text//tei:app[not(ancestor::tei:app)]"/>
  <xsl:variable name="tk:app-seq" as="map(xs:string, xs:integer)"
      select="map:merge(for $i in 1 to count($tk:apps) return map{generate-id($tk:apps[$i]): $i})"/>
  <!-- an entry's label: a, b, ..., z, aa, ab, ... (notes have numbers) -->
  <xsl:function name="tk:app-label" as="xs:string">
    <xsl:param name="app" as="element()"/>
    <xsl:variable name="i" select="$tk:app-seq(generate-id($app)) - 1"/>
    <xsl:sequence select="(if ($i ge 26) then codepoints-to-string(96 + $i idiv 26) else '') || codepoints-to-string(97 + $i mod 26)"/>
  </xsl:function>
  <!-- the reading shown in the text: the lemma, else the first reading -->
  <xsl:function name="tk:app-text" as="element()?">
    <xsl:param name="app" as="element()"/>
    <xsl:sequence select="($app/tei:lem, $app/tei:rdg, $app/tei:rdgGrp/(tei:lem, tei:rdg))[1]"/>
  </xsl:function>
  <!-- the sigla of a reading's witnesses: each witness's @n, abbr or id -->
  <xsl:function name="tk:sigla" as="xs:string">
    <xsl:param name="r" as="element()"/>
    <xsl:sequence select="string-join(for $t in tokenize(normalize-space(string-join(($r/@wit, $r/@source), ' ')), ' ')
        return (for $w in key('tk:id', substring-after($t, '#'), root($r))[1]
                return (normalize-space($w/@n), normalize-space($w/tei:abbr[1]), string($w/@xml:id))[. != ''][1],
                replace($t, '^.*#', ''))[1], ' ')"/>
  </xsl:function>

  <!-- "210 × 150 mm" -->
  <xsl:function name="tk:dimensions" as="xs:string">
    <xsl:param name="d" as="element()"/>
    <xsl:sequence select="normalize-space(string-join(($d/@type, string-join($d/*[normalize-space()] ! normalize-space(), ' × ') || ($d/@unit ! (' ' || .)),
        normalize-space(string-join($d/text(), ''))[. != '']), ' '))"/>
  </xsl:function>


</xsl:stylesheet>

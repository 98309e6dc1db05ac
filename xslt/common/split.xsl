<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit pages of a long document: an HTML page stays under about 1 MB.
  A document whose text weighs more than $tk:split-limit (characters, and 60 for each element), with one or
  more top-level divisions in its body, is cut between those divisions
  into parts of about $tk:part-size (a division too large for one is cut between its own divisions): part 1 is NAME.html (with
  the title block, contents and front matter), part N is NAME-partN.html
  (the back matter goes with the last).  Each part lists the notes called
  on it.  tk:part($node) says which part a node is on; meta.xsl reports it
  for each name, so the register links back to the right page.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <!-- the base name of the document's page ('' : never split; the build passes it for HTML) -->
  <xsl:param name="page-name" as="xs:string" select="''"/>

  <xsl:variable name="tk:split-limit" as="xs:integer" select="450000"/>
  <xsl:variable name="tk:part-size" as="xs:integer" select="300000"/>

  <xsl:function name="tk:weight" as="xs:integer">
    <!-- about the size of its HTML: its characters, and some for each element's markup -->
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="string-length(string($e)) + 60 * count($e//*)"/>
  </xsl:function>
  <!-- the units a long document is cut between: top-level divisions, and the divisions
       inside one too large for a part (volumes into chapters) -->
  <xsl:function name="tk:units" as="element()*">
    <xsl:param name="div" as="element()"/>
    <xsl:variable name="kids" select="$div/*[matches(local-name(), '^div\d?$')]"/>
    <xsl:sequence select="if (tk:weight($div) gt $tk:part-size and count($kids) ge 2) then $kids ! tk:units(.) else $div"/>
  </xsl:function>

  <xsl:variable name="tk:top-divs" as="element()*" select="$tk:root/tei:text/tei:body/*[matches(local-name(), '^div\d?$')]"/>
  <xsl:variable name="tk:split" as="xs:boolean" select="$page-name != '' and count($tk:top-divs) ge 1
      and tk:weight($tk:root/tei:text) gt $tk:split-limit"/>
  <xsl:variable name="tk:units" as="element()*" select="if ($tk:split) then $tk:top-divs ! tk:units(.) else ()"/>

  <!-- unit (generate-id) -> part number, filled greedily -->
  <xsl:variable name="tk:part-map" as="map(xs:string, xs:integer)">
    <xsl:iterate select="$tk:units">
      <xsl:param name="part" as="xs:integer" select="1"/>
      <xsl:param name="size" as="xs:integer" select="if ($tk:split) then tk:weight($tk:root/tei:text/(tei:front, .)[1]) else 0"/>
      <xsl:param name="map" as="map(xs:string, xs:integer)" select="map{}"/>
      <xsl:on-completion select="$map"/>
      <xsl:variable name="len" select="tk:weight(.)"/>
      <xsl:variable name="new" select="$size gt 0 and $size + $len gt $tk:part-size"/>
      <xsl:variable name="p" select="if ($new) then $part + 1 else $part"/>
      <xsl:next-iteration>
        <xsl:with-param name="part" select="$p"/>
        <xsl:with-param name="size" select="if ($new) then $len else $size + $len"/>
        <xsl:with-param name="map" select="map:put($map, generate-id(.), $p)"/>
      </xsl:next-iteration>
    </xsl:iterate>
  </xsl:variable>
  <xsl:variable name="tk:part-count" as="xs:integer" select="max((1, map:for-each($tk:part-map, function($k, $v) { $v })))"/>
  <!-- the divisions holding units (generate-id) -> the parts of their units -->
  <xsl:variable name="tk:holder-parts" as="map(xs:string, xs:integer*)" select="map:merge(
      for $u in $tk:units, $a in $u/ancestor::*[ancestor::tei:body] return map{generate-id($a): $tk:part-map(generate-id($u))},
      map{'duplicates': 'combine'})"/>

  <!-- the part a node of the text is on (a division holding units: the part of its first) -->
  <xsl:function name="tk:part" as="xs:integer">
    <xsl:param name="n" as="node()"/>
    <xsl:variable name="unit" select="$n/ancestor-or-self::*[map:contains($tk:part-map, generate-id())][1]"/>
    <xsl:sequence select="if (not($tk:split)) then 1
        else if ($unit) then $tk:part-map(generate-id($unit))
        else if ($n instance of element() and map:contains($tk:holder-parts, generate-id($n))) then min($tk:holder-parts(generate-id($n)))
        else if ($n/ancestor-or-self::tei:back) then $tk:part-count
        else if ($n/parent::* and $n/parent::*/ancestor-or-self::tei:body) then tk:part($n/parent::*)
        else 1"/>
  </xsl:function>
  <!-- the parts a node appears on: a division holding units is on each of theirs -->
  <xsl:function name="tk:parts-of" as="xs:integer*">
    <xsl:param name="n" as="element()"/>
    <xsl:sequence select="if ($tk:split and map:contains($tk:holder-parts, generate-id($n))) then distinct-values($tk:holder-parts(generate-id($n)))
        else tk:part($n)"/>
  </xsl:function>
  <!-- the page of a part -->
  <xsl:function name="tk:part-file" as="xs:string">
    <xsl:param name="part" as="xs:integer"/>
    <xsl:sequence select="if ($part = 1) then $page-name || '.html' else $page-name || '-part' || $part || '.html'"/>
  </xsl:function>
  <!-- a link to something on the page of the node it is on: '#id' on the same part, 'NAME-partN.html#id' on another -->
  <xsl:function name="tk:part-href" as="xs:string">
    <xsl:param name="target" as="node()"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="from" as="xs:integer"/>
    <xsl:variable name="p" select="tk:part($target)"/>
    <xsl:sequence select="(if ($p = $from) then '' else tk:part-file($p)) || '#' || $id"/>
  </xsl:function>
</xsl:stylesheet>

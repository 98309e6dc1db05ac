<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit pages of a long document: an HTML page stays under about 1 MB.
  A document whose text exceeds $tk:split-limit characters, with two or
  more top-level divisions in its body, is cut between those divisions
  into parts of about $tk:part-size characters: part 1 is NAME.html (with
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

  <xsl:variable name="tk:top-divs" as="element()*" select="$tk:root/tei:text/tei:body/*[matches(local-name(), '^div\d?$')]"/>
  <xsl:variable name="tk:split" as="xs:boolean" select="$page-name != '' and count($tk:top-divs) ge 2
      and string-length(string($tk:root/tei:text)) gt $tk:split-limit"/>

  <!-- top-level division (generate-id) -> part number, filled greedily -->
  <xsl:variable name="tk:part-map" as="map(xs:string, xs:integer)">
    <xsl:choose>
      <xsl:when test="$tk:split">
        <xsl:iterate select="$tk:top-divs">
          <xsl:param name="part" as="xs:integer" select="1"/>
          <xsl:param name="size" as="xs:integer" select="string-length(string($tk:root/tei:text/tei:front))"/>
          <xsl:param name="map" as="map(xs:string, xs:integer)" select="map{}"/>
          <xsl:on-completion select="$map"/>
          <xsl:variable name="len" select="string-length(string(.))"/>
          <xsl:variable name="new" select="$size gt 0 and $size + $len gt $tk:part-size"/>
          <xsl:variable name="p" select="if ($new) then $part + 1 else $part"/>
          <xsl:next-iteration>
            <xsl:with-param name="part" select="$p"/>
            <xsl:with-param name="size" select="if ($new) then $len else $size + $len"/>
            <xsl:with-param name="map" select="map:put($map, generate-id(.), $p)"/>
          </xsl:next-iteration>
        </xsl:iterate>
      </xsl:when>
      <xsl:otherwise><xsl:sequence select="map{}"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="tk:part-count" as="xs:integer" select="max((1, map:for-each($tk:part-map, function($k, $v) { $v })))"/>

  <!-- the part a node of the text is on -->
  <xsl:function name="tk:part" as="xs:integer">
    <xsl:param name="n" as="node()"/>
    <xsl:variable name="top" select="$n/ancestor-or-self::*[parent::tei:body][matches(local-name(), '^div\d?$')][1]"/>
    <xsl:sequence select="if (not($tk:split)) then 1
        else if ($top) then ($tk:part-map(generate-id($top)), 1)[1]
        else if ($n/ancestor-or-self::tei:back) then $tk:part-count
        else 1"/>
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

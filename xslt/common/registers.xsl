<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit registers at scale: which page of the register each entry is on.
  A register of up to $tk:register-max entries is one page ($register-href).
  A larger one is split by kind (persons, places, ...) and initial letter,
  a letter with more than $tk:register-chunk entries into numbered parts:
  register-place-b.html, register-place-s-2.html, ...  Every format that
  links to the register asks tk:register-page($id); the EPUB keeps its
  register in one file (epub.xsl sets $tk:register-split to false()).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <xsl:variable name="tk:register-max" as="xs:integer" select="400"/>
  <xsl:variable name="tk:register-chunk" as="xs:integer" select="200"/>
  <xsl:variable name="tk:list-names" as="xs:string*" select="('listPerson', 'listPlace', 'listOrg', 'listEvent', 'listBibl', 'listNym', 'listObject')"/>

  <!-- the register's lists that stand in no other list, and their entries -->
  <xsl:function name="tk:top-lists" as="element()*">
    <xsl:param name="root" as="node()?"/>
    <xsl:sequence select="$root//(tei:text | tei:standOff)//*[local-name() = $tk:list-names]
        [not(ancestor::*[starts-with(local-name(), 'list')])]"/>
  </xsl:function>
  <xsl:variable name="tk:register-lists" as="element()*" select="tk:top-lists($register)"/>
  <xsl:variable name="tk:register-entries" as="element()*" select="$tk:register-lists/*[not(self::tei:head)]"/>
  <xsl:variable name="tk:register-split" as="xs:boolean" select="count($tk:register-entries) gt $tk:register-max"/>

  <!-- the letter an entry is filed under: A-Z without accents, else 0 -->
  <xsl:function name="tk:initial" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="c" select="upper-case(substring(replace(normalize-unicode(tk:entry-label($entry), 'NFD'), '[^\p{L}]', ''), 1, 1))"/>
    <xsl:sequence select="if (matches($c, '^[A-Z]$')) then $c else '0'"/>
  </xsl:function>
  <!-- a sort key: letters without accents, lower case, leading digits and punctuation dropped -->
  <xsl:function name="tk:sort-key" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="lower-case(replace(normalize-unicode($s, 'NFD'), '\p{M}|^[^\p{L}]+', ''))"/>
  </xsl:function>
  <xsl:function name="tk:list-kind" as="xs:string">
    <xsl:param name="list" as="element()"/>
    <xsl:sequence select="lower-case(substring-after(local-name($list), 'list'))"/>
  </xsl:function>

  <!-- the pages of a split register: <page name="" kind="" letter="" part=""><e ref="ID"/>...</page>, in order -->
  <xsl:variable name="tk:register-plan" as="element()*">
    <xsl:if test="$tk:register-split">
      <xsl:for-each-group select="$tk:register-entries" group-by="tk:list-kind(..)">
        <xsl:variable name="kind" select="current-grouping-key()"/>
        <xsl:for-each-group select="current-group()" group-by="tk:initial(.)">
          <xsl:sort select="current-grouping-key()"/>
          <xsl:variable name="letter" select="current-grouping-key()"/>
          <xsl:variable name="group" select="sort(current-group(), (), function($e) { tk:sort-key(tk:entry-label($e)) })"/>
          <xsl:variable name="parts" select="(count($group) + $tk:register-chunk - 1) idiv $tk:register-chunk"/>
          <xsl:for-each select="1 to $parts">
            <xsl:variable name="k" select="."/>
            <page name="{'register-' || $kind || '-' || lower-case($letter) || (if ($k gt 1) then '-' || $k else '') || '.html'}"
                  kind="{$kind}" letter="{$letter}" part="{if ($parts gt 1) then $k else ''}">
              <xsl:for-each select="subsequence($group, ($k - 1) * $tk:register-chunk + 1, $tk:register-chunk)">
                <e ref="{generate-id()}"/>
              </xsl:for-each>
            </page>
          </xsl:for-each>
        </xsl:for-each-group>
      </xsl:for-each-group>
    </xsl:if>
  </xsl:variable>
  <!-- entry (by generate-id) -> page -->
  <xsl:variable name="tk:register-page-map" as="map(xs:string, xs:string)"
      select="map:merge(for $p in $tk:register-plan, $e in $p/e return map{string($e/@ref): string($p/@name)})"/>
  <!-- the entries of a page of the plan -->
  <xsl:variable name="tk:register-by-gid" as="map(xs:string, element())"
      select="if ($tk:register-split) then map:merge($tk:register-entries ! map{generate-id(.): .}) else map{}"/>
  <xsl:function name="tk:page-entries" as="element()*">
    <xsl:param name="page" as="element()"/>
    <xsl:sequence select="$page/e ! $tk:register-by-gid(string(@ref))"/>
  </xsl:function>

  <!-- the register page an entry (or anything inside one) is on -->
  <xsl:function name="tk:register-page" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:variable name="e" select="if ($tk:register-split) then key('tk:id', $id, root($register))[1] else ()"/>
    <xsl:variable name="top" select="$e/ancestor-or-self::*[parent::*[local-name() = $tk:list-names]][last()]"/>
    <xsl:sequence select="(if ($top) then $tk:register-page-map(generate-id($top)) else (), $register-href)[1]"/>
  </xsl:function>
</xsl:stylesheet>

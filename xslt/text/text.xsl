<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit plain text: TEI to UTF-8 text wrapped at $wrap columns.
  Stage 1 (#default mode) turns the TEI into <tk:b> blocks, each holding the
  whitespace-normalised text of one paragraph, line, heading or item; the
  inline text is joined without separators, so words inside inline markup
  are never broken apart.  Stage 2 (tk:lines) wraps and indents the blocks.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <xsl:import href="../common/contract.xsl"/>
  <xsl:import href="inline.xsl"/>

  <xsl:include href="genres.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <!-- wrap width in columns -->
  <xsl:param name="wrap" as="xs:string" select="'72'"/>
  <xsl:variable name="width" as="xs:integer" select="if ($wrap castable as xs:integer and xs:integer($wrap) ge 20) then xs:integer($wrap) else 72"/>

  <xsl:template match="/">
    <xsl:call-template name="tk:page"/>
  </xsl:template>

  <xsl:template name="tk:page">
    <xsl:variable name="blocks">
      <tk:doc>
        <xsl:call-template name="tk:title-block"/>
        <xsl:call-template name="tk:header-msdesc"/>
        <xsl:apply-templates select="$tk:root/tei:text | $tk:root/tei:TEI | $tk:root/tei:teiCorpus"/>
        <xsl:apply-templates select="$tk:root/tei:sourceDoc"/>
        <xsl:apply-templates select="$tk:root/tei:standOff//(tei:listPerson | tei:listPlace | tei:listOrg
            | tei:listEvent | tei:listBibl | tei:listNym)[not(ancestor::*[starts-with(local-name(), 'list')])]"/>
        <xsl:call-template name="tk:apparatus"/>
        <xsl:call-template name="tk:endnotes"/>
      </tk:doc>
    </xsl:variable>
    <xsl:value-of select="string-join(tk:render($blocks/tk:doc/*), '&#10;') || '&#10;'"/>
  </xsl:template>

  <!-- ============ title block ============ -->
  <xsl:template name="tk:title-block">
    <xsl:variable name="t" select="$tk:root"/>
    <tk:b kind="title" g="title"><xsl:value-of select="tk:title($t)"/></tk:b>
    <xsl:for-each select="tk:subtitle($t)"><tk:b tight="1" g="title"><xsl:value-of select="."/></tk:b></xsl:for-each>
    <xsl:if test="exists(tk:authors($t))"><tk:b tight="1" g="title"><xsl:value-of select="tk:msg('by') || ' ' || string-join(tk:authors($t), '; ')"/></tk:b></xsl:if>
    <xsl:if test="exists(tk:translators($t))"><tk:b tight="1" g="title"><xsl:value-of select="tk:msg('translated-by') || ' ' || string-join(tk:translators($t), '; ')"/></tk:b></xsl:if>
    <xsl:for-each select="tk:source($t)"><tk:b><xsl:value-of select="tk:msg('source') || ': ' || ."/></tk:b></xsl:for-each>
    <xsl:variable name="lic" select="(tk:licence($t), tk:licence-url($t))"/>
    <xsl:if test="exists($lic)"><tk:b tight="1" g="title"><xsl:value-of select="tk:msg('licence') || ': ' || string-join(distinct-values($lic), ' &lt;') || (if (count(distinct-values($lic)) gt 1) then '&gt;' else '')"/></tk:b></xsl:if>
  </xsl:template>

  <!-- ============ notes ============ -->
  <xsl:template name="tk:noteref">
    <xsl:param name="note" as="element()"/>
    <xsl:param name="pointer" as="element()?"/>
    <xsl:param name="first" as="xs:boolean" select="true()"/>
    <xsl:value-of select="'[' || tk:note-label($note) || ']'"/>
  </xsl:template>

  <xsl:template name="tk:endnotes">
    <xsl:if test="exists($tk:end-notes)">
      <tk:b kind="heading" level="2"><xsl:value-of select="$tk:notes-heading"/></tk:b>
      <xsl:call-template name="tk:note-list"><xsl:with-param name="list" select="$tk:end-notes"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template name="tk:note-list">
    <xsl:param name="list" as="element()*"/>
      <xsl:for-each select="$list">
        <xsl:variable name="prefix" select="'[' || tk:note-label(.) || '] '"/>
        <xsl:variable name="content" as="element()*">
          <xsl:call-template name="tk:blocks"/>
        </xsl:variable>
        <xsl:for-each select="$content">
          <tk:b>
            <xsl:copy-of select="@* except (@hang, @prefix)"/>
            <xsl:attribute name="hang" select="string-length($prefix) + xs:integer((@hang, 0)[1])"/>
            <xsl:if test="position() = 1"><xsl:attribute name="prefix" select="$prefix || @prefix"/></xsl:if>
            <xsl:if test="position() gt 1"><xsl:attribute name="tight" select="1"/><xsl:attribute name="g" select="'n' || generate-id(current())"/></xsl:if>
            <xsl:value-of select="."/>
          </tk:b>
        </xsl:for-each>
        <xsl:if test="empty($content)"><tk:b prefix="{$prefix}"/></xsl:if>
      </xsl:for-each>
  </xsl:template>

  <!-- ============ names: their text ============ -->
  <xsl:template name="tk:name"><xsl:apply-templates mode="tk:inline"/></xsl:template>

  <!-- ============ blocks ============ -->
  <!-- the children of the context element as blocks: block children in turn, inline runs as one block each -->
  <xsl:template name="tk:blocks">
    <xsl:param name="nodes" as="node()*" select="node()"/>
    <xsl:param name="kind" as="xs:string?" select="()"/>
    <xsl:for-each-group select="$nodes" group-adjacent="tk:is-block(.)">
      <xsl:choose>
        <xsl:when test="current-grouping-key()"><xsl:apply-templates select="current-group()"/></xsl:when>
        <xsl:otherwise>
          <xsl:variable name="s" select="tk:inline-lines(current-group())"/>
          <xsl:variable name="lines" select="tokenize($s, '&#xE000;') ! tk:trim(.)"/>
          <xsl:variable name="g" select="generate-id(current-group()[1]/..)"/>
          <xsl:for-each select="$lines[. != '']">
            <tk:b>
              <xsl:if test="$kind"><xsl:attribute name="kind" select="$kind"/></xsl:if>
              <xsl:if test="count($lines) gt 1"><xsl:attribute name="tight" select="1"/><xsl:attribute name="g" select="$g"/></xsl:if>
              <xsl:value-of select="."/>
            </tk:b>
          </xsl:for-each>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each-group>
  </xsl:template>

  <xsl:template match="tei:teiHeader | tei:facsimile | tei:standOff"/>

  <!-- a TEI (or teiCorpus) inside a teiCorpus: its title as a heading, then its text -->
  <xsl:template match="tei:TEI | tei:teiCorpus" priority="2">
    <tk:b kind="heading"><xsl:value-of select="tk:title(.)"/></tk:b>
    <xsl:apply-templates select="tei:text | tei:TEI | tei:teiCorpus"/>
  </xsl:template>

  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7" priority="2">
    <xsl:if test="not(tk:notes-only(.))"><xsl:call-template name="tk:blocks"/></xsl:if>
    <xsl:if test="some $s in $tk:note-sections satisfies $s is current()">
      <xsl:call-template name="tk:note-list"><xsl:with-param name="list" select="tk:section-notes(.)"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:head[parent::*[matches(local-name(), '^div\d?$') or self::tei:body or self::tei:front or self::tei:back or self::tei:floatingText]]" priority="2">
    <xsl:variable name="s" select="tk:inline(node())"/>
    <xsl:if test="$s"><tk:b kind="heading"><xsl:value-of select="$s"/></tk:b></xsl:if>
  </xsl:template>

  <!-- quoted documents and block quotations are indented -->
  <xsl:template match="tei:floatingText | tei:quote | tei:q | tei:said | tei:cit | tei:epigraph" priority="2">
    <xsl:call-template name="tk:shift"><xsl:with-param name="by" select="if (parent::tei:quote and count(../*) = 1) then 0 else 4"/></xsl:call-template>
  </xsl:template>
  <!-- verse: one line per l, no blank lines between them -->
  <xsl:template match="tei:lg" priority="2">
    <xsl:call-template name="tk:shift"><xsl:with-param name="by" select="2"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:l | tei:addrLine | tei:salute[parent::tei:opener or parent::tei:closer] | tei:signed | tei:dateline" priority="2">
    <xsl:variable name="content" as="element()*"><xsl:call-template name="tk:blocks"/></xsl:variable>
    <xsl:variable name="g" select="generate-id(..)"/>
    <xsl:for-each select="$content"><tk:b tight="1" g="{$g}"><xsl:copy-of select="@* except @g"/><xsl:value-of select="."/></tk:b></xsl:for-each>
  </xsl:template>

  <!-- lists: "* " or "1. " before each item, hanging indent -->
  <xsl:template match="tei:list | tei:castList" priority="2">
    <xsl:variable name="ordered" select="@type = ('ordered', 'numbered') or matches(@rend, 'numbered|ordered|decimal')"/>
    <xsl:apply-templates select="tei:head"/>
    <xsl:variable name="list" select="."/>
    <xsl:variable name="items" as="element()*">
      <xsl:for-each-group select="node()[not(self::tei:head)]" group-starting-with="tei:label | (tei:item | tei:castItem | tei:castGroup)[not(preceding-sibling::*[1][self::tei:label])]">
        <xsl:variable name="item" select="current-group()[self::tei:item or self::tei:castItem or self::tei:castGroup][1]"/>
        <xsl:variable name="label" select="current-group()[1][self::tei:label]"/>
        <xsl:variable name="content" as="element()*">
          <xsl:call-template name="tk:blocks">
            <xsl:with-param name="nodes" select="current-group()/(if (. is $item) then node() else if (. is $label) then () else .)"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:if test="exists($content) or $label">
          <tk:item><xsl:if test="$label"><xsl:attribute name="label" select="tk:inline($label)"/></xsl:if><xsl:sequence select="$content"/></tk:item>
        </xsl:if>
      </xsl:for-each-group>
    </xsl:variable>
    <xsl:for-each select="$items">
      <xsl:variable name="prefix" select="if (@label) then @label || ' ' else if ($ordered) then position() || '. ' else '* '"/>
      <xsl:if test="empty(*)"><tk:b indent="2" tight="1" g="{generate-id($list)}"><xsl:value-of select="@label"/></tk:b></xsl:if>
      <xsl:for-each select="*">
        <tk:b>
          <xsl:copy-of select="@* except (@hang, @prefix, @tight)"/>
          <xsl:if test="position() gt 1"><xsl:copy-of select="@prefix"/></xsl:if>
          <xsl:attribute name="indent" select="xs:integer((@indent, 0)[1]) + 2"/>
          <xsl:attribute name="hang" select="string-length($prefix) + xs:integer((@hang, 0)[1])"/>
          <xsl:attribute name="tight" select="1"/>
          <xsl:attribute name="g" select="generate-id($list)"/>
          <xsl:if test="position() = 1"><xsl:attribute name="prefix" select="$prefix || @prefix"/></xsl:if>
          <xsl:value-of select="."/>
        </tk:b>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:table" priority="2">
    <xsl:apply-templates select="tei:head"/>
    <xsl:for-each select="tei:row">
      <tk:b tight="1" g="{generate-id(..)}"><xsl:value-of select="string-join(for $c in * return tk:inline($c), ' | ')"/></tk:b>
    </xsl:for-each>
    <xsl:call-template name="tk:blocks"><xsl:with-param name="nodes" select="node()[not(self::tei:row or self::tei:head)]"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:listPerson | tei:listPlace | tei:listOrg | tei:listEvent | tei:listBibl | tei:listNym" priority="2">
    <xsl:call-template name="tk:blocks"/>
  </xsl:template>

  <!-- any other block: its children as blocks -->
  <xsl:template match="*">
    <xsl:choose>
      <xsl:when test="tk:is-block(.)"><xsl:call-template name="tk:blocks"/></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="s" select="tk:inline(.)"/>
        <xsl:if test="$s"><tk:b><xsl:value-of select="$s"/></tk:b></xsl:if>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="text()">
    <xsl:if test="normalize-space()"><tk:b><xsl:value-of select="normalize-space()"/></tk:b></xsl:if>
  </xsl:template>
  <xsl:template match="comment() | processing-instruction()"/>

  <!-- the blocks of the context element, indented by $by more -->
  <xsl:template name="tk:shift">
    <xsl:param name="by" as="xs:integer"/>
    <xsl:variable name="content" as="element()*"><xsl:call-template name="tk:blocks"/></xsl:variable>
    <xsl:for-each select="$content">
      <tk:b><xsl:copy-of select="@*"/><xsl:attribute name="indent" select="xs:integer((@indent, 0)[1]) + $by"/><xsl:value-of select="."/></tk:b>
    </xsl:for-each>
  </xsl:template>

  <!-- ============ stage 2: blocks to lines ============ -->
  <!-- $blocks: sibling tk:b elements of one temporary tree -->
  <xsl:function name="tk:render" as="xs:string*">
    <xsl:param name="blocks" as="element()*"/>
    <xsl:for-each select="$blocks">
      <xsl:variable name="i" select="position()"/>
      <xsl:variable name="b" select="."/>
      <xsl:variable name="prev" select="preceding-sibling::*[1]"/>
      <xsl:variable name="indent" select="xs:integer(($b/@indent, 0)[1])"/>
      <xsl:variable name="hang" select="xs:integer(($b/@hang, 0)[1])"/>
      <xsl:variable name="pad" select="tk:spaces($indent)"/>
      <xsl:if test="$i gt 1 and (not($b/@tight = '1' and $prev/@g = $b/@g)
          or $b/@kind = 'heading')"><xsl:sequence select="''"/></xsl:if>
      <xsl:choose>
        <xsl:when test="$b/@kind = ('title', 'heading')">
          <xsl:variable name="lines" select="tk:wrap(string($b), $width - $indent)"/>
          <xsl:sequence select="for $l in $lines return $pad || $l"/>
          <xsl:sequence select="$pad || tk:repeat(if ($b/@kind = 'title') then '=' else '-', max(for $l in $lines return string-length($l)))"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:variable name="lines" select="tk:wrap(string($b/@prefix) || string($b), $width - $indent - $hang)"/>
          <xsl:sequence select="for $j in 1 to count($lines) return
              (if ($j = 1) then $pad else $pad || tk:spaces($hang)) || $lines[$j]"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:function>

  <!-- greedy word wrap; words longer than the width stand alone, never broken.
       ";j": Saxon runs this regex with the Java engine, a third faster here -->
  <xsl:function name="tk:wrap" as="xs:string*">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="width" as="xs:integer"/>
    <xsl:variable name="w" select="max((10, $width))"/>
    <xsl:sequence select="tokenize(replace(normalize-space($text) || ' ', '(.{1,' || $w || '}) |(\S+) ', '$1$2&#10;', 's;j'), '&#10;')[. != '']"/>
  </xsl:function>

  <xsl:function name="tk:spaces" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="tk:repeat(' ', $n)"/>
  </xsl:function>
  <xsl:function name="tk:repeat" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="string-join((1 to $n) ! $s, '')"/>
  </xsl:function>
</xsl:stylesheet>

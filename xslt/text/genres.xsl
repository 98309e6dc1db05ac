<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit plain text for the genres: manuscript descriptions (headed
  sections), sourceDoc (a heading per surface, one line per line),
  dictionaries (numbered senses), the critical apparatus ("[a] lemma]
  A B; reading C") and the header's manuscript description.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <!-- the title once: a first heading repeating the title block's title is not given again -->
  <xsl:template match="tei:head[. is $tk:title-repeat] | tei:docTitle[. is $tk:title-repeat]" priority="6"/>

  <!-- manuscript descriptions: a heading, then each section under its own -->
  <xsl:template match="tei:msDesc | tei:msPart | tei:msFrag" priority="3">
    <xsl:variable name="id" select="tei:msIdentifier"/>
    <tk:b kind="heading"><xsl:value-of select="(normalize-space(string-join((
        string-join(($id/(tei:settlement, tei:institution, tei:repository, tei:collection, tei:idno))[normalize-space()] ! normalize-space(), ', '),
        ($id/tei:msName, tei:head)[normalize-space()][1] ! ('(' || normalize-space() || ')')), ' '))[. != ''], tk:msg('msdesc'))[1]"/></tk:b>
    <xsl:variable name="rest" select="tei:msIdentifier/(tei:altIdentifier | tei:msName[position() gt 1] | tei:region | tei:country)"/>
    <xsl:if test="exists($rest)"><tk:b><xsl:value-of select="string-join($rest ! tk:inline(.), '; ')"/></tk:b></xsl:if>
    <xsl:call-template name="tk:blocks"><xsl:with-param name="nodes" select="node() except (tei:msIdentifier, tei:head)"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:msContents | tei:physDesc | tei:history | tei:additional" priority="3">
    <tk:b kind="heading"><xsl:value-of select="tk:msg(if (self::tei:msContents) then 'msContents' else local-name())"/></tk:b>
    <xsl:call-template name="tk:blocks"/>
  </xsl:template>
  <xsl:template name="tk:header-msdesc">
    <xsl:variable name="ms" select="$tk:root/tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:msDesc"/>
    <xsl:if test="exists($ms) and not($tk:root/tei:text//tei:msDesc)"><xsl:apply-templates select="$ms"/></xsl:if>
  </xsl:template>

  <!-- sourceDoc: a diplomatic transcription -->
  <xsl:template match="tei:sourceDoc" priority="3">
    <tk:b kind="heading"><xsl:value-of select="tk:msg('transcription')"/></tk:b>
    <xsl:apply-templates select="*"/>
  </xsl:template>
  <xsl:template match="tei:sourceDoc//tei:surface" priority="3">
    <xsl:if test="normalize-space(@n)"><tk:b kind="heading"><xsl:value-of select="tk:msg('page') || ' ' || normalize-space(@n)"/></tk:b></xsl:if>
    <xsl:apply-templates select="*"/>
  </xsl:template>
  <xsl:template match="tei:sourceDoc//tei:zone" priority="3"><xsl:apply-templates select="*"/></xsl:template>
  <xsl:template match="tei:sourceDoc//tei:line" priority="3">
    <xsl:variable name="s" select="tk:inline(node())"/>
    <xsl:if test="$s"><tk:b tight="1" g="{generate-id(..)}"><xsl:value-of select="$s"/></tk:b></xsl:if>
  </xsl:template>
  <xsl:template match="tei:sourceDoc//tei:graphic" priority="3"/>

  <!-- dictionaries: senses numbered (1. 2. ..., nested a) b) ...) -->
  <xsl:template match="tei:sense" priority="3">
    <xsl:variable name="nested" select="exists(parent::tei:sense)"/>
    <xsl:variable name="n" select="(normalize-space(@n)[. != ''], if ($nested) then codepoints-to-string(96 + count(preceding-sibling::tei:sense) + 1) else string(count(preceding-sibling::tei:sense) + 1))[1]"/>
    <xsl:variable name="prefix" select="if (count(../tei:sense) gt 1 or @n) then $n || (if ($nested) then ') ' else '. ') else ''"/>
    <xsl:variable name="content" as="element()*"><xsl:call-template name="tk:blocks"/></xsl:variable>
    <xsl:for-each select="$content">
      <tk:b><xsl:copy-of select="@* except (@prefix, @indent, @hang)"/>
        <xsl:attribute name="indent" select="xs:integer((@indent, 0)[1]) + 2"/>
        <xsl:if test="position() = 1 and $prefix"><xsl:attribute name="prefix" select="$prefix"/><xsl:attribute name="hang" select="string-length($prefix)"/></xsl:if>
        <xsl:attribute name="tight" select="1"/><xsl:attribute name="g" select="'e' || generate-id(ancestor::*[last()])"/>
        <xsl:value-of select="."/></tk:b>
    </xsl:for-each>
  </xsl:template>

  <!-- the critical apparatus -->
  <xsl:template name="tk:apparatus">
    <xsl:if test="exists($tk:apps)">
      <tk:b kind="heading" level="2"><xsl:value-of select="tk:msg('apparatus')"/></tk:b>
      <xsl:for-each select="$tk:apps">
        <tk:b tight="1" g="tk-apparatus" prefix="{'[' || tk:app-label(.) || '] '}" hang="{string-length(tk:app-label(.)) + 3}">
          <xsl:value-of select="string-join(for $r in (tei:lem, tei:rdg, tei:rdgGrp/(tei:lem, tei:rdg)) return
              normalize-space(string-join(((if (normalize-space($r)) then tk:inline($r/node()) else tk:msg('omitted')) || (if ($r/self::tei:lem) then ']' else ''),
                  tk:sigla($r)), ' ')), '; ')"/>
        </tk:b>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>

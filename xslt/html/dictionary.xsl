<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit HTML dictionaries: entry (and entryFree, superEntry, re) laid out
  as a dictionary: the headword line (orth, pron, gramGrp, inflected
  forms), numbered senses (nested senses a, b, ...), definitions, examples
  and translations (cit/quote), usage labels, cross-references (xr) and
  the etymology.  A dictionary of more than a few entries gets an A-Z index.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <xsl:variable name="tk:entries" as="element()*" select="$tk:root/tei:text//(tei:entry | tei:entryFree)[not(ancestor::tei:entry or ancestor::tei:entryFree)]"/>

  <xsl:function name="tk:entry-id" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="if ($e/@xml:id and tk:first-with-id($e) and not(starts-with($e/@xml:id, 'tk-'))) then string($e/@xml:id) else 'tk-entry-' || $tk:entry-index(generate-id($e))"/>
  </xsl:function>
  <xsl:variable name="tk:entry-index" as="map(xs:string, xs:integer)" select="tk:index-map($tk:root/tei:text//(tei:entry | tei:entryFree))"/>
  <xsl:function name="tk:headword" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="normalize-space(($e/(tei:form[@type = ('lemma', 'headword')], tei:form)//tei:orth, $e//tei:orth, $e/tei:form)[1])"/>
  </xsl:function>

  <xsl:template match="tei:entry | tei:entryFree">
    <article id="{tk:entry-id(.)}"><xsl:call-template name="tk:attributes"><xsl:with-param name="id" select="false()"/></xsl:call-template>
      <xsl:variable name="head" select="tei:form[1] | tei:form[1]/following-sibling::*[self::tei:gramGrp or self::tei:form[not(@type = 'lemma')] or self::tei:pron or self::tei:hyph]
          except tei:form[1]/following-sibling::*[not(self::tei:gramGrp or self::tei:form or self::tei:pron or self::tei:hyph)][1]/following-sibling::*"/>
      <p class="tk-headword">
        <xsl:if test="parent::tei:superEntry"><sup class="tk-homograph"><xsl:value-of select="count(preceding-sibling::tei:entry) + 1"/></sup></xsl:if>
        <xsl:for-each select="$head">
          <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
          <xsl:apply-templates select="." mode="tk:dict"/>
        </xsl:for-each>
      </p>
      <xsl:variable name="senses" select="tei:sense"/>
      <xsl:for-each-group select="* except $head" group-adjacent="boolean(self::tei:sense)">
        <xsl:choose>
          <xsl:when test="current-grouping-key()">
            <ol class="{if (count($senses) gt 1) then 'tk-senses' else 'tk-senses tk-single'}">
              <xsl:apply-templates select="current-group()"/>
            </ol>
          </xsl:when>
          <xsl:otherwise><xsl:apply-templates select="current-group()" mode="tk:dict-block"/></xsl:otherwise>
        </xsl:choose>
      </xsl:for-each-group>
    </article>
  </xsl:template>

  <xsl:template match="tei:superEntry">
    <div><xsl:call-template name="tk:attributes"/><xsl:apply-templates select="*"/></div>
  </xsl:template>

  <!-- the headword line's parts -->
  <xsl:template match="tei:form" mode="tk:dict">
    <span><xsl:call-template name="tk:attributes"/>
      <xsl:for-each select="*"><xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if><xsl:apply-templates select="." mode="tk:dict"/></xsl:for-each>
      <xsl:apply-templates select="text()[normalize-space()]"/>
    </span>
  </xsl:template>
  <xsl:template match="tei:orth" mode="tk:dict"><b><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></b></xsl:template>
  <xsl:template match="tei:pron" mode="tk:dict"><span><xsl:call-template name="tk:attributes"/><xsl:value-of select="if (@notation = 'ipa') then '/' else ''"/><xsl:apply-templates/><xsl:value-of select="if (@notation = 'ipa') then '/' else ''"/></span></xsl:template>
  <xsl:template match="tei:gramGrp" mode="tk:dict">
    <span><xsl:call-template name="tk:attributes"/>
      <xsl:for-each select="*"><xsl:if test="position() gt 1"><xsl:text>, </xsl:text></xsl:if><span><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></span></xsl:for-each>
      <xsl:apply-templates select="text()[normalize-space()]"/>
    </span>
  </xsl:template>
  <xsl:template match="*" mode="tk:dict"><xsl:apply-templates select="."/></xsl:template>

  <!-- senses: numbered by @n or position; a sense within a sense by letter -->
  <xsl:template match="tei:sense">
    <xsl:variable name="nested" select="exists(parent::tei:sense)"/>
    <xsl:variable name="n" select="(normalize-space(@n)[. != ''], if ($nested) then codepoints-to-string(96 + count(preceding-sibling::tei:sense) + 1) else string(count(preceding-sibling::tei:sense) + 1))[1]"/>
    <li><xsl:call-template name="tk:attributes"/>
      <xsl:if test="count(../tei:sense) gt 1 or @n"><span class="tk-sense-n"><xsl:value-of select="$n || (if ($nested) then ')' else '.')"/></span><xsl:text> </xsl:text></xsl:if>
      <xsl:for-each-group select="node()" group-adjacent="boolean(self::tei:sense)">
        <xsl:choose>
          <xsl:when test="current-grouping-key()"><ol class="tk-senses tk-subsenses"><xsl:apply-templates select="current-group()"/></ol></xsl:when>
          <xsl:otherwise><xsl:apply-templates select="current-group()" mode="tk:sense-part"/></xsl:otherwise>
        </xsl:choose>
      </xsl:for-each-group>
    </li>
  </xsl:template>
  <xsl:template match="tei:cit" mode="tk:sense-part tk:dict-block">
    <span><xsl:call-template name="tk:attributes"/>
      <xsl:if test="@type = 'translation' and @xml:lang"><span class="tk-label"><xsl:value-of select="@xml:lang || ': '"/></span></xsl:if>
      <xsl:apply-templates/></span><xsl:text> </xsl:text>
  </xsl:template>
  <xsl:template match="tei:cit/tei:quote" priority="3"><q><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></q></xsl:template>
  <xsl:template match="tei:cit/tei:bibl" priority="3"><xsl:text> </xsl:text><span><xsl:call-template name="tk:attributes"/>(<xsl:apply-templates/>)</span></xsl:template>
  <xsl:template match="tei:usg | tei:lbl" mode="tk:sense-part tk:dict-block"><span><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></span><xsl:text> </xsl:text></xsl:template>
  <xsl:template match="tei:def" mode="tk:sense-part tk:dict-block"><span><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></span><xsl:text> </xsl:text></xsl:template>
  <xsl:template match="node()" mode="tk:sense-part"><xsl:apply-templates select="."/></xsl:template>

  <!-- after the senses: etymology, cross-references, related entries, each a paragraph -->
  <xsl:template match="tei:etym" mode="tk:dict-block">
    <p><xsl:call-template name="tk:attributes"/><span class="tk-label"><xsl:value-of select="tk:msg('etym') || ': '"/></span><xsl:apply-templates/></p>
  </xsl:template>
  <xsl:template match="tei:xr" mode="tk:dict-block"><p><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></p></xsl:template>
  <xsl:template match="tei:re" mode="tk:dict-block">
    <div><xsl:call-template name="tk:attributes"/><xsl:apply-templates select="." mode="tk:re"/></div>
  </xsl:template>
  <xsl:template match="tei:re" mode="tk:re">
    <p class="tk-headword"><xsl:apply-templates select="tei:form | tei:gramGrp" mode="tk:dict"/></p>
    <xsl:if test="tei:sense"><ol class="tk-senses"><xsl:apply-templates select="tei:sense"/></ol></xsl:if>
    <xsl:apply-templates select="* except (tei:form | tei:gramGrp | tei:sense)" mode="tk:dict-block"/>
  </xsl:template>
  <xsl:template match="node()" mode="tk:dict-block">
    <xsl:choose>
      <xsl:when test="self::text()[not(normalize-space())]"/>
      <xsl:when test="self::* and tk:is-block(.)"><xsl:apply-templates select="."/></xsl:when>
      <xsl:otherwise><p class="tk-run"><xsl:apply-templates select="."/></p></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A-Z: the first entry of each letter -->
  <xsl:template name="tk:dict-index">
    <xsl:if test="count($tk:entries) gt 1">
      <nav class="tk-az" aria-label="{tk:msg('index')}">
        <ul>
          <xsl:for-each-group select="$tk:entries" group-by="upper-case(substring(replace(normalize-unicode(tk:headword(.), 'NFD'), '[^\p{L}]', ''), 1, 1))">
            <xsl:sort select="current-grouping-key()"/>
            <li><a href="{'#' || tk:entry-id(current-group()[1])}"><xsl:value-of select="(current-grouping-key()[. != ''], '#')[1]"/></a></li>
          </xsl:for-each-group>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>

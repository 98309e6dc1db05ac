<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit HTML epigraphy: EpiDoc's Leiden conventions inside
  div type="edition", as EpiDoc's reference stylesheets give them:
    expan/ex       D(is)             supplied lost    [ae]
    supplied omitted ⟨et⟩            gap (n characters) [...] (one dot each), unknown [- - -]
    gap of lines   a line "- - - - - -"  unclear        letters with a dot below
    del erasure    ⟦Caesaris⟧        surplus          {s}
    add            `sibi´ (above: \sibi/)  space     vac.
    lb             a new line, numbered every fifth (break="no": no space)
  The translation, commentary and bibliography divisions follow with
  headings of their own (in the document's language).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <!-- the EpiDoc divisions: a heading from the message table when they have none -->
  <xsl:template match="tei:div[@type = ('edition', 'translation', 'commentary', 'bibliography', 'apparatus')][not(tei:head)]">
    <section><xsl:call-template name="tk:attributes"/>
      <xsl:element name="h{min((6, 2 + count(ancestor::*[matches(local-name(), '^div\d?$')])))}">
        <xsl:value-of select="tk:msg(if (@type = 'apparatus') then 'apparatus-div' else @type)"/></xsl:element>
      <xsl:call-template name="tk:blocks"/>
    </section>
  </xsl:template>

  <!-- in the edition text whitespace is collapsed: lines come from lb -->
  <xsl:template match="tei:div[@type = 'edition']//tei:ab | tei:div[@type = 'edition']//tei:p">
    <p><xsl:call-template name="tk:attributes"><xsl:with-param name="extra" select="'tk-leiden'"/></xsl:call-template><xsl:apply-templates/></p>
  </xsl:template>
  <xsl:template match="tei:div[@type = 'edition']//tei:lb" priority="3">
    <xsl:if test="preceding::tei:lb[ancestor::tei:div[@type = 'edition']] or preceding-sibling::node()[normalize-space()]"><br/></xsl:if>
    <xsl:variable name="n" select="normalize-space(@n)"/>
    <xsl:if test="$n and ($n = '1' or not($n castable as xs:integer) or xs:integer($n) mod 5 = 0)">
      <span class="tk-lineno" aria-hidden="true"><xsl:value-of select="$n"/></span>
    </xsl:if>
  </xsl:template>
  <xsl:template match="tei:div[@type = 'edition']//text()" priority="3">
    <xsl:value-of select="replace(., '\s+', ' ')"/>
  </xsl:template>

  <xsl:template match="tei:div[@type = 'edition']//tei:ex" priority="3">(<xsl:apply-templates/>)</xsl:template>
  <xsl:template match="tei:div[@type = 'edition']//tei:expan | tei:div[@type = 'edition']//tei:abbr" priority="3"><span><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></span></xsl:template>
  <xsl:template match="tei:div[@type = 'edition']//tei:supplied" priority="3">
    <xsl:variable name="signs" select="if (@reason = 'omitted') then ('⟨', '⟩') else if (@reason = 'subaudible') then ('(', ')') else ('[', ']')"/>
    <span class="tei-supplied tk-leiden-sign"><xsl:value-of select="$signs[1]"/><xsl:apply-templates/><xsl:value-of select="if (@cert = 'low') then '?' else ''"/><xsl:value-of select="$signs[2]"/></span>
  </xsl:template>
  <xsl:template match="tei:div[@type = 'edition']//tei:gap" priority="3">
    <xsl:variable name="q" select="if (@quantity castable as xs:integer) then xs:integer(@quantity) else 0"/>
    <xsl:variable name="body" select="if (@unit = 'line') then '- - - - - -'
        else if ($q gt 0 and $q le 20) then string-join((1 to $q) ! '.', '') else '- - -'"/>
    <span class="tei-gap tk-leiden-sign" title="{string-join((@reason, @quantity, @extent, @unit), ' ')}">
      <xsl:value-of select="if (@reason = 'illegible' or @unit = 'line') then $body else '[' || $body || ']'"/></span>
  </xsl:template>
  <xsl:template match="tei:div[@type = 'edition']//tei:unclear" priority="3">
    <span class="tei-unclear tk-leiden-sign"><xsl:value-of select="replace(string(.), '(\S)', '$1&#x323;')"/></span>
  </xsl:template>
  <xsl:template match="tei:div[@type = 'edition']//tei:del" priority="3">
    <span class="tei-del tk-leiden-sign">⟦<xsl:apply-templates/>⟧</span>
  </xsl:template>
  <xsl:template match="tei:div[@type = 'edition']//tei:surplus" priority="3">
    <span class="tei-surplus tk-leiden-sign">{<xsl:apply-templates/>}</span>
  </xsl:template>
  <xsl:template match="tei:div[@type = 'edition']//tei:add" priority="3">
    <xsl:variable name="signs" select="if (@place = 'above') then ('\', '/') else if (@place = 'below') then ('/', '\') else ('`', '´')"/>
    <span class="tei-add tk-leiden-sign"><xsl:value-of select="$signs[1]"/><xsl:apply-templates/><xsl:value-of select="$signs[2]"/></span>
  </xsl:template>
  <xsl:template match="tei:div[@type = 'edition']//tei:space" priority="3"><span class="tei-space tk-leiden-sign"> vac. </span></xsl:template>
  <xsl:template match="tei:div[@type = 'edition']//tei:choice" priority="3">
    <xsl:variable name="c" select="tk:chosen(.)"/>
    <span class="tei-choice"><xsl:value-of select="if ($c/self::tei:corr) then '⌜' else ''"/><xsl:apply-templates select="$c/node()"/><xsl:value-of select="if ($c/self::tei:corr) then '⌝' else ''"/></span>
  </xsl:template>
</xsl:stylesheet>

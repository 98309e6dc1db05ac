<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit HTML typography: hi and emph, space, line, page and column breaks,
  milestones.  @rend keywords become tk-KEYWORD classes (teikit.css styles
  the common ones), @rendition CSS a tk-r-ID class (the page's <style>),
  @style a style attribute (see ../common/rend.xsl).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <!-- hi: the element its main keyword asks for; emphasis (hi without a hint) is <em> -->
  <xsl:template match="tei:hi[not(tk:is-block(.))]">
    <xsl:variable name="r" select="tk:rend(.)"/>
    <xsl:element name="{if ($r = ('sup', 'superscript', 'super', 'exponent')) then 'sup'
        else if ($r = ('sub', 'subscript')) then 'sub'
        else if ($r = ('bold', 'b', 'strong')) then 'b'
        else if ($r = ('italic', 'italics', 'i', 'it')) then 'i'
        else if ($r = ('strikethrough', 'strike', 'overstrike', 'line-through')) then 's'
        else if (tk:is-emphasis(.)) then 'em' else 'span'}">
      <xsl:call-template name="tk:attributes"/><xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- space: visible space of the given extent, a plain space to copy -->
  <xsl:template match="tei:space">
    <xsl:variable name="q" select="if (@quantity castable as xs:decimal) then xs:decimal(@quantity) else 1"/>
    <xsl:variable name="vertical" select="matches(@unit, '^lines?$') or @dim = 'vertical'"/>
    <xsl:choose>
      <xsl:when test="$vertical and tk:is-block(.)">
        <div class="tei-space tk-vspace" style="height: {min((10, $q)) * 1.5}em"><xsl:text> </xsl:text></div>
      </xsl:when>
      <xsl:otherwise>
        <span class="tei-space" style="width: {min((40, $q)) * (if (matches(@unit, '^(chars?|characters?|letters?)$')) then 0.6 else 1)}em"><xsl:text> </xsl:text></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- line beginnings: break="no" joins the word; else a break with lines=diplomatic,
       in verse, headings and the parts of a letter, and a space elsewhere -->
  <xsl:template match="tei:lb">
    <xsl:choose>
      <xsl:when test="@break = 'no'"/>
      <xsl:when test="$lines = 'diplomatic' or ancestor::*[local-name() = $tk:kept-lines]">
        <br/><xsl:if test="$lines = 'diplomatic' and normalize-space(@n)"><span class="tk-lineno" aria-hidden="true"><xsl:value-of select="@n"/></span></xsl:if>
      </xsl:when>
      <xsl:otherwise><xsl:text> </xsl:text></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:variable name="tk:kept-lines" as="xs:string*" select="('opener', 'closer', 'address', 'dateline', 'signed', 'salute', 'byline',
      'docImprint', 'titlePart', 'head', 'l', 'postscript', 'addrLine', 'line')"/>

  <!-- page breaks: a marker with the page's number, linked to its facsimile when there is one -->
  <xsl:template match="tei:pb">
    <xsl:variable name="n" select="(normalize-space(@n)[. != ''], string(tk:page-number(.)))[1]"/>
    <xsl:variable name="facs" select="tk:facs-href(.)"/>
    <span id="{tk:page-id(.)}" class="tei-pb tk-pb" role="doc-pagebreak" data-n="{$n}" aria-label="{tk:msg('page') || ' ' || $n}">
      <xsl:call-template name="tk:pagebreak-extra"/>
      <xsl:value-of select="tk:msg('page-short') || ' ' || $n"/>
    </span>
    <xsl:if test="$facs"><a href="{$facs}" class="tk-facs-link" aria-label="{tk:msg('facsimile') || ', ' || tk:msg('page') || ' ' || $n}">↗</a></xsl:if>
  </xsl:template>

  <!-- a hook: the EPUB adds epub:type="pagebreak" -->
  <xsl:template name="tk:pagebreak-extra"/>

  <!-- where a pb/cb's @facs leads: a surface shown in this page's facsimile section, or an image URL -->
  <xsl:function name="tk:facs-href" as="xs:string?">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="f" select="tokenize(normalize-space($e/@facs), ' ')[1]"/>
    <xsl:sequence select="if (starts-with($f, '#') and key('tk:id', substring($f, 2), root($e))[ancestor::tei:facsimile][descendant-or-self::tei:graphic[tk:image-src(.)]])
          then '#' || substring($f, 2)
        else if (matches($f, '^(https?://[^\s&lt;&gt;&quot;{}|\\^`\[\]]+|[\w][\w./\-]*\.(png|jpe?g|gif|svg|webp|tiff?))$', 'i')) then $f else ()"/>
  </xsl:function>

  <!-- column breaks and milestones: small markers; a section milestone between blocks is a rule -->
  <xsl:template match="tei:cb">
    <span class="tei-cb tk-milestone"><xsl:value-of select="tk:msg('column') || ' ' || (normalize-space(@n)[. != ''], '')[1]"/></span>
  </xsl:template>
  <xsl:template match="tei:milestone">
    <xsl:variable name="label" select="normalize-space(string-join((@unit[. != 'unspecified'], @n), ' '))"/>
    <xsl:choose>
      <xsl:when test="tk:is-block(.)">
        <div role="separator"><xsl:call-template name="tk:attributes"><xsl:with-param name="extra" select="'tk-milestone-rule'"/></xsl:call-template>
          <xsl:if test="$label"><xsl:attribute name="aria-label" select="$label"/><span class="tk-milestone"><xsl:value-of select="$label"/></span></xsl:if>
        </div>
      </xsl:when>
      <xsl:when test="$label"><span class="tei-milestone tk-milestone"><xsl:value-of select="'[' || $label || ']'"/></span></xsl:when>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>

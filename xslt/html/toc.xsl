<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit HTML navigation inside a document: the table of contents from
  div/head (shown when there are at least two headed divisions), and the
  title once (a heading of the text that only repeats the title block's
  title is not shown again).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <xsl:function name="tk:div-id" as="xs:string">
    <xsl:param name="div" as="element()"/>
    <xsl:sequence select="if ($div/@xml:id and tk:first-with-id($div) and not(starts-with($div/@xml:id, 'tk-'))) then string($div/@xml:id)
        else 'tk-div-' || $tk:div-index(generate-id($div))"/>
  </xsl:function>
  <xsl:variable name="tk:div-index" as="map(xs:string, xs:integer)" select="tk:index-map($tk:root//*[matches(local-name(), '^div\d?$')])"/>

  <xsl:variable name="tk:toc-divs" as="element()*" select="$tk:root/tei:text//*[matches(local-name(), '^div\d?$')][tei:head[normalize-space()]]
      [not(tk:notes-only(.))][not(ancestor::tei:note)][not(ancestor::tei:floatingText)][count(ancestor::*[matches(local-name(), '^div\d?$')]) lt 3]"/>

  <xsl:template name="tk:toc">
    <xsl:if test="count($tk:toc-divs) ge 2">
      <nav class="tk-toc" role="doc-toc" aria-labelledby="tk-toc-heading">
        <h2 id="tk-toc-heading"><xsl:value-of select="tk:msg('contents')"/></h2>
        <xsl:call-template name="tk:toc-level">
          <xsl:with-param name="divs" select="$tk:toc-divs[not(ancestor::* intersect $tk:toc-divs)]"/>
        </xsl:call-template>
      </nav>
    </xsl:if>
  </xsl:template>
  <xsl:template name="tk:toc-level">
    <xsl:param name="divs" as="element()*"/>
    <ol>
      <xsl:for-each select="$divs">
        <xsl:variable name="div" select="."/>
        <li><a href="{tk:part-href(., tk:div-id(.), 1)}"><xsl:value-of select="normalize-space(string-join(tei:head[1]//text()[not(ancestor::tei:note)], ''))"/></a>
          <xsl:variable name="kids" select="$tk:toc-divs[ancestor::*[1] is $div or (ancestor::* intersect $div and not(ancestor::* intersect ($tk:toc-divs except $div)[ancestor::* intersect $div]))]"/>
          <xsl:if test="exists($kids)"><xsl:call-template name="tk:toc-level"><xsl:with-param name="divs" select="$kids"/></xsl:call-template></xsl:if>
        </li>
      </xsl:for-each>
    </ol>
  </xsl:template>

  <!-- the title once ($tk:title-repeat: ../common/common.xsl) -->
  <xsl:template match="tei:head | tei:docTitle" priority="5">
    <xsl:if test="not(. is $tk:title-repeat)"><xsl:next-match/></xsl:if>
  </xsl:template>
</xsl:stylesheet>

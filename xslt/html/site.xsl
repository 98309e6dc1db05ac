<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit HTML site pages: the edition's index.html and register.html.
  index:    input <tk:edition title="" lang=""><tk:doc html="" text="" epub="" title=""><tk:author/>*
            </tk:doc>* <tk:register href=""/>?</tk:edition>, built by the driver.
  register: input the register document (a TEI file, or a teiCorpus of several);
            $mentions = <mentions><m entry="ID" href="DOC.html#ANCHOR" label="TITLE"/>*</mentions>
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <xsl:import href="html.xsl"/>

  <xsl:param name="mentions" as="node()?" select="()"/>
  <xsl:key name="tk:mention" match="m" use="@entry"/>

  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="tk:edition"><xsl:apply-templates select="tk:edition"/></xsl:when>
      <xsl:otherwise><xsl:call-template name="tk:register-page"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="tk:site-page">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="lang" as="xs:string?"/>
    <xsl:param name="content" as="node()*"/>
    <html>
      <xsl:if test="$lang"><xsl:attribute name="lang" select="$lang"/></xsl:if>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/></title>
        <link rel="stylesheet" href="{$css}"/>
      </head>
      <body>
        <xsl:call-template name="tk:nav"/>
        <main><article class="tk-site"><h1><xsl:value-of select="$title"/></h1><xsl:sequence select="$content"/></article></main>
      </body>
    </html>
  </xsl:template>

  <!-- ============ index.html ============ -->
  <xsl:template match="tk:edition">
    <xsl:call-template name="tk:site-page">
      <xsl:with-param name="title" select="string(@title)"/>
      <xsl:with-param name="lang" select="@lang[. != '']/string()"/>
      <xsl:with-param name="content">
        <ul class="tk-documents">
          <xsl:for-each select="tk:doc">
            <li>
              <xsl:if test="@lang != ../@lang"><xsl:attribute name="lang" select="@lang"/></xsl:if>
              <a href="{@html}" class="tk-doc-title"><xsl:value-of select="@title"/></a>
              <xsl:if test="tk:author"><span class="tk-doc-author"><xsl:value-of select="' — ' || string-join(tk:author, '; ')"/></span></xsl:if>
              <xsl:if test="@text or @epub">
                <span class="tk-formats"> (<xsl:for-each select="@text, @epub">
                  <xsl:if test="position() gt 1">, </xsl:if>
                  <a href="{.}"><xsl:value-of select="if (name() = 'text') then 'plain text' else 'EPUB'"/></a>
                </xsl:for-each>)</span>
              </xsl:if>
            </li>
          </xsl:for-each>
        </ul>
        <xsl:for-each select="tk:register">
          <p class="tk-register-link"><a href="{@href}">Register of names</a></p>
        </xsl:for-each>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- ============ register.html ============ -->
  <xsl:template name="tk:register-page">
    <xsl:variable name="tei" select="(//tei:TEI)[1]"/>
    <xsl:call-template name="tk:site-page">
      <xsl:with-param name="title" select="if (count(//tei:TEI) = 1) then tk:title($tei) else 'Register'"/>
      <xsl:with-param name="lang" select="tk:lang($tei)"/>
      <xsl:with-param name="content">
        <xsl:apply-templates mode="tk:register" select="//(tei:text | tei:standOff)//(tei:listPerson | tei:listPlace | tei:listOrg
            | tei:listEvent | tei:listBibl | tei:listNym)[not(ancestor::*[starts-with(local-name(), 'list')])]">
          <xsl:with-param name="inline-notes" select="true()" tunnel="yes"/>
        </xsl:apply-templates>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- each entry links back to every mention, grouped by document -->
  <xsl:template name="tk:entry-mentions">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="ms" select="if ($entry/@xml:id and exists($mentions)) then key('tk:mention', string($entry/@xml:id), root($mentions)) else ()"/>
    <xsl:if test="exists($ms)">
      <p class="tk-mentions"><span class="tk-label">Mentioned in: </span>
        <xsl:for-each-group select="$ms" group-adjacent="string(@label)">
          <xsl:if test="position() gt 1"><xsl:text>; </xsl:text></xsl:if>
          <span class="tk-mention-doc"><xsl:value-of select="current-grouping-key()"/></span>
          <xsl:text> </xsl:text>
          <xsl:for-each select="current-group()">
            <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
            <a href="{@href}" class="tk-mention" aria-label="{current-grouping-key() || ', mention ' || position()}"><xsl:value-of select="position()"/></a>
          </xsl:for-each>
        </xsl:for-each-group>
      </p>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>

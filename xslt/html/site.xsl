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
    <xsl:param name="script" as="xs:boolean" select="false()"/>
    <html>
      <xsl:if test="$lang"><xsl:attribute name="lang" select="$lang"/></xsl:if>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/></title>
        <link rel="stylesheet" href="{$css}"/>
        <xsl:if test="$script"><script src="teikit.js" defer="defer"></script></xsl:if>
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
                  <a href="{.}"><xsl:value-of select="if (name() = 'text') then tk:msg('plain-text') else 'EPUB'"/></a>
                </xsl:for-each>)</span>
              </xsl:if>
            </li>
          </xsl:for-each>
        </ul>
        <xsl:for-each select="tk:register">
          <p class="tk-register-link"><a href="{@href}"><xsl:value-of select="tk:msg('register-of-names')"/></a></p>
        </xsl:for-each>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- ============ register.html (and its pages, when it is split) ============ -->
  <xsl:template name="tk:register-page">
    <xsl:variable name="tei" select="(//tei:TEI)[1]"/>
    <xsl:variable name="title" select="if (count(//tei:TEI) = 1) then tk:title($tei) else tk:msg('register')"/>
    <xsl:variable name="lang" select="tk:lang($tei)"/>
    <xsl:call-template name="tk:site-page">
      <xsl:with-param name="title" select="$title"/>
      <xsl:with-param name="lang" select="$lang"/>
      <xsl:with-param name="script" select="true()"/>
      <xsl:with-param name="content">
        <div class="tk-filter" data-tk-filter="{tk:msg('filter')}"></div>
        <xsl:choose>
          <xsl:when test="$tk:register-split"><xsl:call-template name="tk:register-overview"/></xsl:when>
          <xsl:otherwise>
            <xsl:apply-templates mode="tk:register" select="tk:top-lists(/)"><xsl:with-param name="inline-notes" select="true()" tunnel="yes"/></xsl:apply-templates>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
    <!-- the pages of a split register: captured by the build, which writes them beside register.html -->
    <xsl:for-each select="$tk:register-plan">
      <xsl:variable name="page" select="."/>
      <xsl:variable name="html">
        <xsl:call-template name="tk:site-page">
          <xsl:with-param name="title" select="$title || ': ' || tk:msg('list' || upper-case(substring(@kind, 1, 1)) || substring(@kind, 2)) || ', ' || tk:letter-label(@letter) || (if (@part != '') then ' (' || @part || ')' else '')"/>
          <xsl:with-param name="lang" select="$lang"/>
          <xsl:with-param name="script" select="true()"/>
          <xsl:with-param name="content">
            <xsl:call-template name="tk:letters"><xsl:with-param name="kind" select="string(@kind)"/><xsl:with-param name="current" select="string(@name)"/></xsl:call-template>
            <div class="tk-filter" data-tk-filter="{tk:msg('filter')}"></div>
            <ul class="tk-entries">
              <xsl:apply-templates select="tk:page-entries($page)" mode="tk:register"><xsl:with-param name="inline-notes" select="true()" tunnel="yes"/></xsl:apply-templates>
            </ul>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:variable>
      <xsl:result-document href="{@name}" method="text">
        <xsl:value-of select="serialize($html, map{'method': 'html', 'html-version': 5.0, 'include-content-type': false()})"/>
      </xsl:result-document>
    </xsl:for-each>
  </xsl:template>

  <xsl:function name="tk:letter-label" as="xs:string">
    <xsl:param name="letter" as="xs:string"/>
    <xsl:sequence select="if ($letter = '0') then '#' else $letter"/>
  </xsl:function>

  <!-- the letters of one kind of entry, as links to their pages -->
  <xsl:template name="tk:letters">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:param name="current" as="xs:string?" select="()"/>
    <nav aria-label="{tk:msg('list' || upper-case(substring($kind, 1, 1)) || substring($kind, 2))}">
      <ul class="tk-letters">
        <li><a href="register.html"><xsl:value-of select="tk:msg('index')"/></a></li>
        <xsl:for-each select="$tk:register-plan[@kind = $kind]">
          <li>
            <xsl:choose>
              <xsl:when test="@name = $current"><strong aria-current="page"><xsl:value-of select="tk:letter-label(@letter) || (if (@part != '') then @part else '')"/></strong></xsl:when>
              <xsl:otherwise><a href="{@name}"><xsl:value-of select="tk:letter-label(@letter) || (if (@part != '') then @part else '')"/></a></xsl:otherwise>
            </xsl:choose>
          </li>
        </xsl:for-each>
      </ul>
    </nav>
  </xsl:template>

  <!-- a split register's first page: per kind, the letters and every entry's name linking to its page -->
  <xsl:template name="tk:register-overview">
    <xsl:for-each-group select="$tk:register-plan" group-adjacent="string(@kind)">
      <xsl:variable name="kind" select="current-grouping-key()"/>
      <section class="tk-register-index">
        <h2><xsl:value-of select="tk:msg('list' || upper-case(substring($kind, 1, 1)) || substring($kind, 2))"/></h2>
        <xsl:call-template name="tk:letters"><xsl:with-param name="kind" select="$kind"/></xsl:call-template>
        <ul class="tk-name-index">
          <xsl:for-each select="current-group()">
            <xsl:variable name="name" select="string(@name)"/>
            <xsl:for-each select="tk:page-entries(.)">
              <li class="tk-entry tk-index-entry"><a href="{$name || '#' || @xml:id}"><xsl:value-of select="tk:entry-label(.)"/></a></li>
            </xsl:for-each>
          </xsl:for-each>
        </ul>
      </section>
    </xsl:for-each-group>
  </xsl:template>

  <!-- each entry links back to every mention, grouped by document -->
  <xsl:template name="tk:entry-mentions">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="ms" select="if ($entry/@xml:id and exists($mentions)) then key('tk:mention', string($entry/@xml:id), root($mentions)) else ()"/>
    <xsl:if test="exists($ms)">
      <p class="tk-mentions"><span class="tk-label"><xsl:value-of select="tk:msg('mentioned-in') || ': '"/></span>
        <xsl:for-each-group select="$ms" group-adjacent="string(@label)">
          <xsl:if test="position() gt 1"><xsl:text>; </xsl:text></xsl:if>
          <span class="tk-mention-doc"><xsl:value-of select="current-grouping-key()"/></span>
          <xsl:text> </xsl:text>
          <xsl:for-each select="current-group()">
            <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
            <a href="{@href}" class="tk-mention" aria-label="{current-grouping-key() || ', ' || tk:msg('mention') || ' ' || position()}"><xsl:value-of select="position()"/></a>
          </xsl:for-each>
        </xsl:for-each-group>
      </p>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>

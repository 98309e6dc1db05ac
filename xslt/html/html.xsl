<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit HTML: TEI to one HTML5 page per document.
  Blocks become section/div/p/blockquote/ul/table, everything else a span
  (or a, em, ...) with class="tei-NAME"; nothing is dropped.  The contract
  (named templates and modes) is in ../common/contract.xsl.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <xsl:import href="../common/contract.xsl"/>
  <xsl:import href="blocks.xsl"/>
  <xsl:import href="typography.xsl"/>
  <xsl:import href="verse.xsl"/>
  <xsl:import href="drama.xsl"/>
  <xsl:import href="documentary.xsl"/>
  <xsl:import href="apparatus.xsl"/>
  <xsl:import href="msdesc.xsl"/>
  <xsl:import href="dictionary.xsl"/>
  <xsl:import href="epigraphy.xsl"/>
  <xsl:import href="toc.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no" include-content-type="no"/>

  <!-- the stylesheet the page links to -->
  <xsl:param name="css" as="xs:string" select="'teikit.css'"/>
  <!-- the edition's contents page ('' for none) -->
  <xsl:param name="index-href" as="xs:string" select="'index.html'"/>
  <!-- 'yes': mark the elements that fall to the generic template (the build option report-unrendered) -->
  <xsl:param name="report-unrendered" as="xs:string" select="'no'"/>

  <xsl:template match="/">
    <xsl:call-template name="tk:page"/>
  </xsl:template>

  <!-- ============ page ============ -->
  <!-- the page; a long document's further parts as result documents (see ../common/split.xsl) -->
  <xsl:template name="tk:page">
    <xsl:call-template name="tk:html-page"><xsl:with-param name="part" select="1"/></xsl:call-template>
    <xsl:for-each select="2 to $tk:part-count">
      <xsl:variable name="html"><xsl:call-template name="tk:html-page"><xsl:with-param name="part" select="."/></xsl:call-template></xsl:variable>
      <xsl:result-document href="{tk:part-file(.)}" method="text">
        <xsl:value-of select="serialize($html, map{'method': 'html', 'html-version': 5.0, 'include-content-type': false()})"/>
      </xsl:result-document>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="tk:html-page">
    <xsl:param name="part" as="xs:integer"/>
    <xsl:variable name="lang" select="tk:lang($tk:root)"/>
    <html>
      <xsl:if test="$lang"><xsl:attribute name="lang" select="$lang"/></xsl:if>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="tk:title($tk:root) || (if ($part gt 1) then ' (' || $part || ')' else '')"/></title>
        <link rel="stylesheet" href="{$css}"/>
        <xsl:call-template name="tk:rendition-style"/>
        <xsl:call-template name="tk:head-extra"/>
      </head>
      <body>
        <xsl:call-template name="tk:nav"/>
        <main>
          <article class="{'tk-document tk-view-' || $view}">
            <xsl:call-template name="tk:parts-nav"><xsl:with-param name="part" select="$part"/></xsl:call-template>
            <xsl:choose>
              <xsl:when test="$part = 1">
                <xsl:call-template name="tk:document-content"><xsl:with-param name="part" select="1" tunnel="yes"/></xsl:call-template>
              </xsl:when>
              <xsl:otherwise>
                <xsl:apply-templates select="$tk:root/tei:text"><xsl:with-param name="part" select="$part" tunnel="yes"/></xsl:apply-templates>
                <xsl:call-template name="tk:endnotes"><xsl:with-param name="part" select="$part" tunnel="yes"/></xsl:call-template>
              </xsl:otherwise>
            </xsl:choose>
            <xsl:call-template name="tk:parts-nav"><xsl:with-param name="part" select="$part"/></xsl:call-template>
          </article>
        </main>
      </body>
    </html>
  </xsl:template>

  <!-- the parts of a long document, linked from each -->
  <xsl:template name="tk:parts-nav">
    <xsl:param name="part" as="xs:integer"/>
    <xsl:if test="$tk:part-count gt 1">
      <nav class="tk-parts" aria-label="{tk:msg('pages')}">
        <ul class="tk-letters">
          <xsl:for-each select="1 to $tk:part-count">
            <li>
              <xsl:choose>
                <xsl:when test=". = $part"><strong aria-current="page"><xsl:value-of select="."/></strong></xsl:when>
                <xsl:otherwise><a href="{tk:part-file(.)}"><xsl:value-of select="."/></a></xsl:otherwise>
              </xsl:choose>
            </li>
          </xsl:for-each>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>

  <!-- each part shows its own divisions (front matter on the first, back matter on the last) -->
  <xsl:template match="tei:text/tei:body/* | tei:text/tei:front | tei:text/tei:back" priority="20">
    <xsl:param name="part" as="xs:integer" tunnel="yes" select="1"/>
    <xsl:if test="not($tk:split) or $part = tk:parts-of(.)"><xsl:next-match/></xsl:if>
  </xsl:template>
  <!-- inside a division cut between parts, each child shows on its own part -->
  <xsl:template match="*[parent::*[map:contains($tk:holder-parts, generate-id())]]" priority="20">
    <xsl:param name="part" as="xs:integer" tunnel="yes" select="1"/>
    <xsl:if test="$part = tk:parts-of(.)"><xsl:next-match/></xsl:if>
  </xsl:template>

  <!-- what a document's page holds, in order (the EPUB uses it too) -->
  <xsl:template name="tk:document-content">
    <xsl:call-template name="tk:title-block"/>
    <xsl:call-template name="tk:header-msdesc"/>
    <xsl:call-template name="tk:toc"/>
    <xsl:call-template name="tk:ms-index"/>
    <xsl:call-template name="tk:dict-index"/>
    <xsl:call-template name="tk:header-witnesses"/>
    <xsl:apply-templates select="$tk:root/tei:text | $tk:root/tei:TEI | $tk:root/tei:teiCorpus"/>
    <xsl:call-template name="tk:source-doc"/>
    <xsl:apply-templates mode="tk:register" select="$tk:root/tei:standOff//(tei:listPerson | tei:listPlace | tei:listOrg
        | tei:listEvent | tei:listBibl | tei:listNym)[not(ancestor::*[starts-with(local-name(), 'list')])]"/>
    <xsl:call-template name="tk:facsimile"/>
    <xsl:call-template name="tk:apparatus"/>
    <xsl:call-template name="tk:legend"/>
    <xsl:call-template name="tk:endnotes"/>
  </xsl:template>

  <!-- the CSS of the renditions the document uses -->
  <xsl:template name="tk:rendition-style">
    <xsl:for-each select="tk:rendition-css($tk:root)"><style><xsl:value-of select="."/></style></xsl:for-each>
  </xsl:template>

  <xsl:template name="tk:head-extra"/>

  <xsl:template name="tk:nav">
    <xsl:if test="$index-href or exists($register)">
      <nav class="tk-nav" aria-label="{tk:msg('edition-nav')}">
        <xsl:if test="$index-href"><a href="{$index-href}"><xsl:value-of select="tk:msg('contents')"/></a></xsl:if>
        <xsl:if test="$index-href and exists($register)"><xsl:text> · </xsl:text></xsl:if>
        <xsl:if test="exists($register)"><a href="{$register-href}"><xsl:value-of select="tk:msg('register')"/></a></xsl:if>
      </nav>
    </xsl:if>
  </xsl:template>

  <xsl:template name="tk:title-block">
    <xsl:variable name="t" select="$tk:root"/>
    <header class="tk-titleblock">
      <h1><xsl:value-of select="tk:title($t)"/></h1>
      <xsl:for-each select="tk:subtitle($t)"><p class="tk-subtitle"><xsl:value-of select="."/></p></xsl:for-each>
      <xsl:if test="exists(tk:authors($t))">
        <p class="tk-author"><xsl:value-of select="tk:msg('by') || ' ' || string-join(tk:authors($t), '; ')"/></p>
      </xsl:if>
      <xsl:if test="exists(tk:translators($t))">
        <p class="tk-translator"><xsl:value-of select="tk:msg('translated-by') || ' ' || string-join(tk:translators($t), '; ')"/></p>
      </xsl:if>
      <xsl:for-each select="tk:source($t)">
        <p class="tk-source"><span class="tk-label"><xsl:value-of select="tk:msg('source') || ': '"/></span><xsl:value-of select="."/></p>
      </xsl:for-each>
      <xsl:variable name="lic" select="tk:licence($t)"/>
      <xsl:variable name="url" select="tk:licence-url($t)"/>
      <xsl:if test="$lic or $url">
        <p class="tk-licence"><span class="tk-label"><xsl:value-of select="tk:msg('licence') || ': '"/></span>
          <xsl:choose>
            <xsl:when test="$url"><a href="{$url}"><xsl:value-of select="($lic, $url)[1]"/></a></xsl:when>
            <xsl:otherwise><xsl:value-of select="$lic"/></xsl:otherwise>
          </xsl:choose>
        </p>
      </xsl:if>
    </header>
  </xsl:template>

  <!-- ============ notes ============ -->
  <xsl:template name="tk:noteref">
    <xsl:param name="note" as="element()"/>
    <xsl:param name="pointer" as="element()?"/>
    <xsl:param name="first" as="xs:boolean" select="true()"/>
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="label" select="if ($pointer/self::tei:ref and normalize-space($pointer)) then normalize-space($pointer) else tk:note-label($note)"/>
    <sup class="tk-noteref">
      <xsl:choose>
        <xsl:when test="$in-link">
          <span><xsl:if test="$first"><xsl:attribute name="id" select="tk:noteref-id($note)"/></xsl:if><xsl:value-of select="$label"/></span>
        </xsl:when>
        <xsl:otherwise>
          <a href="#{tk:note-id($note)}" role="doc-noteref">
            <xsl:if test="$first"><xsl:attribute name="id" select="tk:noteref-id($note)"/></xsl:if>
            <xsl:value-of select="$label"/>
          </a>
        </xsl:otherwise>
      </xsl:choose>
    </sup>
  </xsl:template>

  <xsl:template name="tk:endnotes">
    <xsl:param name="part" as="xs:integer" tunnel="yes" select="1"/>
    <xsl:variable name="list" select="if ($tk:split) then $tk:end-notes[tk:part(tk:note-caller(.)) = $part] else $tk:end-notes"/>
    <xsl:if test="exists($list)">
      <section class="tk-endnotes" role="doc-endnotes" aria-labelledby="tk-notes-heading">
        <h2 id="tk-notes-heading"><xsl:value-of select="$tk:notes-heading"/></h2>
        <xsl:call-template name="tk:note-list"><xsl:with-param name="list" select="$list"/></xsl:call-template>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- notes=footnotes: a division's notes at its end -->
  <xsl:template name="tk:section-notes">
    <xsl:variable name="list" select="tk:section-notes(.)"/>
    <xsl:if test="exists($list)">
      <section class="tk-footnotes" role="doc-endnotes" aria-label="{$tk:notes-heading}">
        <xsl:call-template name="tk:note-list"><xsl:with-param name="list" select="$list"/></xsl:call-template>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template name="tk:note-list">
    <xsl:param name="list" as="element()*"/>
        <ol class="tk-notes">
          <xsl:for-each select="$list">
            <li id="{tk:note-id(.)}">
              <xsl:call-template name="tk:attributes"><xsl:with-param name="id" select="false()"/></xsl:call-template>
              <a href="#{tk:noteref-id(.)}" role="doc-backlink" class="tk-backlink"
                 aria-label="{tk:msg('back-to-reference') || ' ' || tk:note-label(.)}"><xsl:value-of select="tk:note-label(.)"/></a>
              <xsl:text> </xsl:text>
              <xsl:call-template name="tk:blocks"><xsl:with-param name="wrap" select="true()"/></xsl:call-template>
            </li>
          </xsl:for-each>
        </ol>
  </xsl:template>

  <!-- notes: a reference here, the text in the endnotes; with $inline-notes (register entries) in place -->
  <xsl:template match="tei:note">
    <xsl:param name="inline-notes" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="numbered" select="map:contains($tk:note-seq, generate-id()) and not($inline-notes)"/>
    <xsl:if test="not($numbered)">
      <xsl:element name="{if (*[tk:is-block(.)]) then 'div' else 'span'}">
        <xsl:call-template name="tk:attributes"/><xsl:call-template name="tk:blocks"/>
      </xsl:element>
    </xsl:if>
    <xsl:if test="$numbered and empty(tk:note-pointers(.))">
      <xsl:call-template name="tk:noteref"><xsl:with-param name="note" select="."/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:ref[tk:pointed-note(.)] | tei:ptr[tk:pointed-note(.)]" priority="2">
    <xsl:call-template name="tk:noteref">
      <xsl:with-param name="note" select="tk:pointed-note(.)"/>
      <xsl:with-param name="pointer" select="."/>
      <xsl:with-param name="first" select="tk:first-pointer(.)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- ============ names ============ -->
  <xsl:template match="tei:persName[@ref] | tei:placeName[@ref] | tei:orgName[@ref] | tei:name[@ref] | tei:rs[@ref]">
    <xsl:call-template name="tk:name"/>
  </xsl:template>

  <xsl:template name="tk:name">
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="href" select="tk:name-href(.)"/>
    <xsl:choose>
      <xsl:when test="tk:is-block(.)"><xsl:next-match/></xsl:when>
      <xsl:when test="$href and not($in-link)">
        <a href="{$href}">
          <!-- names in the text are mentions the register links back to; names in the header are not -->
          <xsl:for-each select="tk:mention-id(.)"><xsl:attribute name="id" select="."/></xsl:for-each>
          <xsl:call-template name="tk:attributes"><xsl:with-param name="id" select="false()"/></xsl:call-template>
          <xsl:for-each select="tk:register-entry(.)"><xsl:attribute name="title" select="tk:entry-label(.)"/></xsl:for-each>
          <xsl:apply-templates><xsl:with-param name="in-link" select="true()" tunnel="yes"/></xsl:apply-templates>
        </a>
      </xsl:when>
      <xsl:otherwise><xsl:next-match/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============ register entries (register page, EPUB back matter, lists in a document) ============ -->
  <xsl:template match="tei:listPerson | tei:listPlace | tei:listOrg | tei:listEvent | tei:listNym">
    <xsl:apply-templates select="." mode="tk:register"/>
  </xsl:template>
  <xsl:template match="tei:listPerson | tei:listPlace | tei:listOrg | tei:listEvent | tei:listBibl | tei:listNym" mode="tk:register">
    <xsl:variable name="entries" select="*[not(self::tei:head)]"/>
    <xsl:if test="exists($entries)">
      <section class="tk-register {tk:class(.)}">
        <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
        <h2><xsl:value-of select="(normalize-space(tei:head[1])[. != ''], tk:msg(local-name()))[1]"/></h2>
        <ul class="tk-entries"><xsl:apply-templates select="$entries" mode="tk:register"/></ul>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:listPerson/* | tei:listPlace/* | tei:listOrg/* | tei:listEvent/* | tei:listBibl/* | tei:listNym/*" mode="tk:register">
    <li class="tk-entry {tk:class(.)}">
      <xsl:if test="@xml:id and tk:first-with-id(.)"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:if test="@xml:lang and (@xml:lang = '' or tk:bcp47(@xml:lang) != '')"><xsl:attribute name="lang" select="tk:bcp47(@xml:lang)"/></xsl:if>
      <xsl:variable name="name" select="tk:entry-name(.)"/>
      <xsl:variable name="variants" select="*[local-name() = local-name($name)][not(. is $name)]"/>
      <xsl:variable name="dates" select="tei:birth | tei:death | tei:floruit | tei:date[not(. is $name)]"/>
      <p class="tk-entry-label"><strong><xsl:value-of select="tk:entry-label(.)"/></strong>
        <xsl:if test="exists($dates)"><xsl:text> </xsl:text><span class="tk-entry-dates"><xsl:value-of select="'(' || string-join($dates ! tk:entry-date(.), '; ') || ')'"/></span></xsl:if>
      </p>
      <xsl:if test="exists($variants)">
        <p class="tk-entry-variants"><span class="tk-label"><xsl:value-of select="tk:msg('also') || ': '"/></span>
          <xsl:for-each select="$variants"><xsl:if test="position() gt 1"><xsl:text>; </xsl:text></xsl:if><span><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></span></xsl:for-each>
        </p>
      </xsl:if>
      <xsl:variable name="rest" select="*[not(self::tei:listPerson or self::tei:listPlace or self::tei:listOrg)] except ($name, $variants, $dates)"/>
      <xsl:if test="exists($rest)">
        <div class="tk-entry-body">
          <xsl:for-each select="$rest">
            <xsl:choose>
              <xsl:when test="tk:is-block(.)"><xsl:apply-templates select="."/></xsl:when>
              <xsl:otherwise><p class="{'tk-entry-field ' || tk:class(.)}"><xsl:apply-templates select="."/></p></xsl:otherwise>
            </xsl:choose>
          </xsl:for-each>
        </div>
      </xsl:if>
      <xsl:call-template name="tk:entry-mentions"><xsl:with-param name="entry" select="."/></xsl:call-template>
      <xsl:apply-templates select="tei:listPerson | tei:listPlace | tei:listOrg" mode="tk:register"/>
    </li>
  </xsl:template>

  <!-- "born 1862, Wien" -->
  <xsl:function name="tk:entry-date" as="xs:string">
    <xsl:param name="d" as="element()"/>
    <xsl:variable name="text" select="normalize-space(string-join($d//text()[not(ancestor::tei:note)], ' '))"/>
    <xsl:variable name="when" select="($d/@when, $d/@from, $d/@notBefore)[1]"/>
    <xsl:variable name="value" select="if ($text) then $text else string-join(($when, $d/@to, $d/@notAfter)[1 = 1] ! string(), '–')"/>
    <xsl:sequence select="normalize-space((if ($d/self::tei:birth) then tk:msg('born') || ' ' else if ($d/self::tei:death) then tk:msg('died') || ' ' else '') || $value)"/>
  </xsl:function>

  <!-- links back to every mention: overridden by register.xsl, which knows them -->
  <xsl:template name="tk:entry-mentions">
    <xsl:param name="entry" as="element()"/>
  </xsl:template>
</xsl:stylesheet>

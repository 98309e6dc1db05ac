<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit EPUB 3: the XHTML content documents of an EPUB.
  Imports the HTML stylesheets and overrides what an EPUB needs
  (see ../common/contract.xsl and ../README.md):

    tk:page        an XHTML page with the epub: namespace, no edition links
    tk:noteref     epub:type="noteref" + role="doc-noteref" (pop-up footnotes)
    tk:endnotes    each note an <aside epub:type="footnote" role="doc-footnote">
    tk:entry-mentions  register back matter: links back to the mentions in
                   this EPUB (the package code passes them as $epub-mentions)

  Parameters (set by src/teikit/publish/epub.py):
    epub-part      'text' (a TEI document) or 'register' (the back matter)
    epub-mentions  <mentions><m entry="ID" href="FILE#ANCHOR" label="TITLE"/>...</mentions>
    epub-entries   'all' or 'mentioned': which register entries the back matter keeps
  The package code (epub_package.tidy) puts elements in the XHTML
  namespace and checks every id and link once more.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    xmlns:epub="http://www.idpf.org/2007/ops"
    exclude-result-prefixes="xs tei tk">

  <xsl:import href="../html/html.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="no"/>

  <xsl:param name="epub-part" as="xs:string" select="'text'"/>
  <xsl:param name="epub-mentions" as="node()?" select="()"/>
  <!-- register entries in the back matter: 'all' (the edition) or 'mentioned' (one document) -->
  <xsl:param name="epub-entries" as="xs:string" select="'all'"/>
  <!-- an EPUB has no contents page of its own: the reading system's navigation serves -->
  <xsl:param name="index-href" as="xs:string" select="''"/>
  <xsl:param name="css" as="xs:string" select="'style.css'"/>

  <!-- the register is one back-matter file -->
  <xsl:variable name="tk:register-split" as="xs:boolean" select="false()"/>
  <!-- images would have to be packaged: the EPUB shows their descriptions only -->
  <xsl:function name="tk:image-src" as="xs:string?">
    <xsl:param name="g" as="element()"/>
    <xsl:sequence select="()"/>
  </xsl:function>
  <!-- the header's manuscript description stays out of the EPUB: its names would link to the
       register without a mention to link back to -->
  <xsl:template name="tk:header-msdesc"/>
  <!-- the reading system's navigation is the table of contents -->
  <xsl:template name="tk:toc"/>
  <xsl:template name="tk:pagebreak-extra"><xsl:attribute name="epub:type" select="'pagebreak'"/></xsl:template>

  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="$epub-part = 'register'"><xsl:call-template name="tk:epub-register"/></xsl:when>
      <xsl:otherwise><xsl:call-template name="tk:page"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="tk:epub-html">
    <xsl:param name="content" as="node()*"/>
    <xsl:param name="title" as="xs:string" select="tk:title($tk:root)"/>
    <xsl:variable name="lang" select="tk:lang($tk:root)"/>
    <html>
      <xsl:if test="$lang"><xsl:attribute name="lang" select="$lang"/></xsl:if>
      <head>
        <meta charset="utf-8"/>
        <title><xsl:value-of select="$title"/></title>
        <link rel="stylesheet" type="text/css" href="{$css}"/>
        <xsl:call-template name="tk:rendition-style"/>
      </head>
      <body>
        <xsl:sequence select="$content"/>
      </body>
    </html>
  </xsl:template>

  <!-- ============ a document ============ -->
  <xsl:template name="tk:page">
    <xsl:call-template name="tk:epub-html">
      <xsl:with-param name="content">
        <section class="{'tk-document tk-view-' || $view}" epub:type="bodymatter">
          <xsl:call-template name="tk:document-content"/>
        </section>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="tk:nav"/>

  <!-- ============ notes: pop-up footnotes ============ -->
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
          <a href="#{tk:note-id($note)}" epub:type="noteref" role="doc-noteref">
            <xsl:if test="$first"><xsl:attribute name="id" select="tk:noteref-id($note)"/></xsl:if>
            <xsl:value-of select="$label"/>
          </a>
        </xsl:otherwise>
      </xsl:choose>
    </sup>
  </xsl:template>

  <xsl:template name="tk:endnotes">
    <xsl:if test="exists($tk:notes)">
      <section class="tk-endnotes" epub:type="endnotes" role="doc-endnotes" aria-labelledby="tk-notes-heading">
        <h2 id="tk-notes-heading"><xsl:value-of select="$tk:notes-heading"/></h2>
        <xsl:for-each select="$tk:notes">
          <aside id="{tk:note-id(.)}" epub:type="footnote" role="doc-footnote">
            <xsl:call-template name="tk:attributes"><xsl:with-param name="id" select="false()"/></xsl:call-template>
            <p class="tk-note-label">
              <a href="#{tk:noteref-id(.)}" role="doc-backlink" class="tk-backlink"
                 aria-label="{tk:msg('back-to-reference') || ' ' || tk:note-label(.)}"><xsl:value-of select="tk:note-label(.)"/></a>
            </p>
            <xsl:call-template name="tk:blocks"><xsl:with-param name="wrap" select="true()"/></xsl:call-template>
          </aside>
        </xsl:for-each>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- ============ the register as back matter ============ -->
  <xsl:template name="tk:epub-register">
    <xsl:call-template name="tk:epub-html">
      <xsl:with-param name="title" select="tk:epub-register-title()"/>
      <xsl:with-param name="content">
        <section class="tk-register-page" epub:type="backmatter">
          <h1><xsl:value-of select="tk:epub-register-title()"/></h1>
          <xsl:apply-templates mode="tk:register" select="$tk:root/descendant-or-self::tei:TEI/(tei:text | tei:standOff)//(tei:listPerson | tei:listPlace | tei:listOrg
              | tei:listEvent | tei:listBibl | tei:listNym)[not(ancestor::*[starts-with(local-name(), 'list')])]"/>
          <xsl:call-template name="tk:endnotes"/>
        </section>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- the register's title; a teiCorpus of several register files joins theirs -->
  <xsl:function name="tk:epub-register-title" as="xs:string">
    <xsl:sequence select="if ($tk:root/self::tei:TEI) then tk:title($tk:root)
        else string-join($tk:root/descendant::tei:TEI/tk:title(.), '; ')"/>
  </xsl:function>

  <!-- one document's EPUB keeps only the entries its names point to -->
  <xsl:function name="tk:epub-kept" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="$epub-entries = 'all'
        or (some $id in $e/descendant-or-self::*/@xml:id satisfies $id = $epub-mentions//m/@entry)"/>
  </xsl:function>

  <xsl:template match="tei:listPerson | tei:listPlace | tei:listOrg | tei:listEvent | tei:listBibl | tei:listNym
      | tei:listPerson/* | tei:listPlace/* | tei:listOrg/* | tei:listEvent/* | tei:listBibl/* | tei:listNym/*" mode="tk:register">
    <xsl:if test="tk:epub-kept(.)"><xsl:next-match/></xsl:if>
  </xsl:template>

  <xsl:template name="tk:entry-mentions">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="id" select="string($entry/@xml:id)"/>
    <xsl:variable name="ms" select="$epub-mentions//m[@entry = $id]"/>
    <xsl:if test="$id and exists($ms)">
      <p class="tk-mentions">
        <xsl:for-each-group select="$ms" group-adjacent="string(@label)">
          <xsl:if test="position() gt 1"><xsl:text>; </xsl:text></xsl:if>
          <span class="tk-mention-doc"><xsl:value-of select="current-grouping-key()"/></span>
          <xsl:text>: </xsl:text>
          <xsl:for-each select="current-group()">
            <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
            <a href="{@href}" class="tk-mention"><xsl:value-of select="position()"/></a>
          </xsl:for-each>
        </xsl:for-each-group>
      </p>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>

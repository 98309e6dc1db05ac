<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit HTML manuscript descriptions: msDesc rendered whole.  The
  heading is the identifier (settlement, repository, collection, idno)
  and the name or head; then contents (msItem with locus, author, title,
  incipit, explicit, ...), physical description, history, additional
  information and the parts (msPart, msFrag), each under its own heading.
  A msDesc in the header's sourceDesc is shown after the title block.
  A catalogue (several msDesc in the text) gets an index of them.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <xsl:function name="tk:ms-title" as="xs:string">
    <xsl:param name="ms" as="element()"/>
    <xsl:variable name="id" select="$ms/tei:msIdentifier"/>
    <xsl:sequence select="normalize-space(string-join((
        string-join(($id/(tei:settlement, tei:institution, tei:repository, tei:collection, tei:idno))[normalize-space()] ! normalize-space(), ', '),
        ($id/tei:msName, $ms/tei:head)[normalize-space()][1] ! ('(' || normalize-space() || ')')), ' '))"/>
  </xsl:function>
  <xsl:function name="tk:ms-id" as="xs:string">
    <xsl:param name="ms" as="element()"/>
    <xsl:sequence select="if ($ms/@xml:id and tk:first-with-id($ms)) then string($ms/@xml:id) else 'tk-ms-' || $tk:ms-index(generate-id($ms))"/>
  </xsl:function>
  <xsl:variable name="tk:ms-index" as="map(xs:string, xs:integer)" select="tk:index-map($tk:root//(tei:msDesc | tei:msPart | tei:msFrag))"/>

  <xsl:template match="tei:msDesc | tei:msPart | tei:msFrag">
    <xsl:variable name="level" select="min((6, 2 + count(ancestor::*[self::tei:msDesc or self::tei:msPart or self::tei:msFrag])
        + count(ancestor::*[matches(local-name(), '^div\d?$')][tei:head])))"/>
    <section id="{tk:ms-id(.)}"><xsl:call-template name="tk:attributes"><xsl:with-param name="id" select="false()"/></xsl:call-template>
      <xsl:element name="h{$level}">
        <xsl:value-of select="(if (self::tei:msDesc) then () else tk:msg('msPart') || ': ') || (tk:ms-title(.)[. != ''], string(@n), tk:msg('msdesc'))[. != ''][1]"/>
      </xsl:element>
      <xsl:apply-templates select="tei:msIdentifier" mode="tk:ms"/>
      <xsl:for-each select="tei:msContents | tei:physDesc | tei:history | tei:additional">
        <section class="{tk:class(.)}">
          <xsl:element name="h{min((6, $level + 1))}"><xsl:value-of select="tk:msg(if (self::tei:msContents) then 'msContents' else local-name())"/></xsl:element>
          <xsl:call-template name="tk:ms-fields"/>
        </section>
      </xsl:for-each>
      <xsl:apply-templates select="* except (tei:msIdentifier | tei:msContents | tei:physDesc | tei:history | tei:additional | tei:head)"/>
    </section>
  </xsl:template>

  <!-- the identifier's other parts (former shelfmarks, names) under the heading -->
  <xsl:template match="tei:msIdentifier" mode="tk:ms">
    <xsl:variable name="rest" select="tei:altIdentifier | tei:msName[position() gt 1] | tei:region | tei:country"/>
    <xsl:if test="exists($rest)">
      <p class="tei-msIdentifier"><xsl:for-each select="$rest">
        <xsl:if test="position() gt 1"><xsl:text>; </xsl:text></xsl:if>
        <span class="{tk:class(.)}"><xsl:value-of select="normalize-space(string-join((@type, string-join(.//text(), ' ')), ': '))"/></span>
      </xsl:for-each></p>
    </xsl:if>
  </xsl:template>

  <!-- a section's fields, each a paragraph of its own; groups (objectDesc, supportDesc...) open up -->
  <xsl:template name="tk:ms-fields">
    <xsl:for-each-group select="node()" group-adjacent="boolean(self::* and not(self::tei:locus or self::tei:title or self::tei:hi or self::tei:persName or self::tei:name or self::tei:date or self::tei:ref))">
      <xsl:choose>
        <xsl:when test="current-grouping-key()">
          <xsl:for-each select="current-group()">
            <xsl:choose>
              <xsl:when test="self::tei:msItem or self::tei:msItemStruct"><xsl:call-template name="tk:ms-item"/></xsl:when>
              <xsl:when test="self::tei:objectDesc or self::tei:supportDesc or self::tei:layoutDesc or self::tei:handDesc or self::tei:decoDesc
                  or self::tei:bindingDesc or self::tei:adminInfo or self::tei:recordHist or self::tei:scriptDesc or self::tei:musicNotation
                  or self::tei:additions or self::tei:accMat or self::tei:sealDesc or self::tei:surrogates or self::tei:custodialHist">
                <div class="{tk:class(.)}"><xsl:call-template name="tk:ms-fields"/></div>
              </xsl:when>
              <xsl:when test="self::tei:listBibl or self::tei:p or self::tei:list or self::tei:table or self::tei:msPart"><xsl:apply-templates select="."/></xsl:when>
              <xsl:when test="self::tei:dimensions"><p class="tei-dimensions"><xsl:value-of select="tk:dimensions(.)"/></p></xsl:when>
              <xsl:otherwise><xsl:call-template name="tk:ms-para"/></xsl:otherwise>
            </xsl:choose>
          </xsl:for-each>
        </xsl:when>
        <xsl:when test="normalize-space(string-join(current-group(), '')) or current-group()/self::*"><p class="tk-run"><xsl:apply-templates select="current-group()"/></p></xsl:when>
      </xsl:choose>
    </xsl:for-each-group>
  </xsl:template>
  <xsl:template match="tei:dimensions"><span class="tei-dimensions"><xsl:value-of select="' ' || tk:dimensions(.)"/></span></xsl:template>

  <xsl:template name="tk:ms-item">
    <div><xsl:call-template name="tk:attributes"/>
      <p class="tk-ms-item-head">
        <xsl:if test="@n"><span class="tk-ms-n"><xsl:value-of select="@n || '. '"/></span></xsl:if>
        <xsl:for-each select="(tei:locus | tei:locusGrp | tei:author | tei:title | tei:rubric | tei:incipit | tei:explicit | tei:finalRubric | tei:colophon | tei:textLang)">
          <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
          <span><xsl:call-template name="tk:attributes"/>
            <xsl:if test="self::tei:incipit or self::tei:explicit"><span class="tk-label"><xsl:value-of select="tk:msg(local-name()) || ' '"/></span></xsl:if>
            <xsl:apply-templates/></span><xsl:if test="self::tei:author or self::tei:title or self::tei:locus">
            <xsl:text>.</xsl:text></xsl:if>
        </xsl:for-each>
      </p>
      <xsl:for-each select="* except (tei:locus | tei:locusGrp | tei:author | tei:title | tei:rubric | tei:incipit | tei:explicit | tei:finalRubric | tei:colophon | tei:textLang)">
        <xsl:choose>
          <xsl:when test="self::tei:msItem or self::tei:msItemStruct"><xsl:call-template name="tk:ms-item"/></xsl:when>
          <xsl:when test="tk:is-block(.)"><xsl:apply-templates select="."/></xsl:when>
          <xsl:otherwise><xsl:call-template name="tk:ms-para"/></xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </div>
  </xsl:template>
  <!-- a field: a paragraph, or a division when it holds blocks -->
  <xsl:template name="tk:ms-para">
    <xsl:choose>
      <xsl:when test="*[tk:is-block(.)]"><div><xsl:call-template name="tk:attributes"/><xsl:call-template name="tk:blocks"><xsl:with-param name="wrap" select="true()"/></xsl:call-template></div></xsl:when>
      <xsl:otherwise><p><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></p></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the header's manuscript description(s), after the title block -->
  <xsl:template name="tk:header-msdesc">
    <xsl:variable name="ms" select="$tk:root/tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:msDesc"/>
    <xsl:if test="exists($ms) and not($tk:root/tei:text//tei:msDesc)">
      <details class="tk-header-msdesc">
        <summary><xsl:value-of select="tk:msg('msdesc')"/></summary>
        <xsl:apply-templates select="$ms"/>
      </details>
    </xsl:if>
  </xsl:template>

  <!-- a catalogue: an index of its descriptions -->
  <xsl:template name="tk:ms-index">
    <xsl:variable name="ms" select="$tk:root/tei:text//tei:msDesc[not(ancestor::tei:msDesc)]"/>
    <xsl:if test="count($ms) gt 1">
      <nav class="tk-ms-index" aria-labelledby="tk-ms-index-heading">
        <h2 id="tk-ms-index-heading"><xsl:value-of select="tk:msg('manuscripts')"/></h2>
        <ul><xsl:for-each select="$ms"><li><a href="{'#' || tk:ms-id(.)}"><xsl:value-of select="(tk:ms-title(.)[. != ''], tk:msg('msdesc'))[1]"/></a></li></xsl:for-each></ul>
      </nav>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>

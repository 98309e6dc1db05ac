<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit HTML critical apparatus (parallel segmentation): each app shows
  its lemma (else its first reading) in the text with a lettered
  reference; the apparatus lists, for each, the lemma and its witnesses,
  then the other readings ("om." for an empty one), linked both ways.
  listWit (in the text or the header's sourceDesc) gives the sigla table.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <xsl:template match="tei:app">
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="label" select="tk:app-label(.)"/>
    <span class="tei-app" id="{'tk-app-' || $label}">
      <xsl:apply-templates select="tk:app-text(.)/node()"/>
      <xsl:if test="not(ancestor::tei:app)">
        <sup class="tk-appref">
          <xsl:choose>
            <xsl:when test="$in-link"><xsl:value-of select="$label"/></xsl:when>
            <xsl:otherwise><a href="{'#tk-appnote-' || $label}" role="doc-noteref"><xsl:value-of select="$label"/></a></xsl:otherwise>
          </xsl:choose>
        </sup>
      </xsl:if>
    </span>
  </xsl:template>
  <xsl:template match="tei:lem | tei:rdg | tei:rdgGrp"><xsl:apply-templates/></xsl:template>
  <xsl:template match="tei:wit"/>

  <xsl:template name="tk:apparatus">
    <xsl:if test="exists($tk:apps)">
      <section class="tk-apparatus" aria-labelledby="tk-apparatus-heading">
        <h2 id="tk-apparatus-heading"><xsl:value-of select="tk:msg('apparatus')"/></h2>
        <ol class="tk-app-entries">
          <xsl:for-each select="$tk:apps">
            <xsl:variable name="label" select="tk:app-label(.)"/>
            <li id="{'tk-appnote-' || $label}">
              <a href="{'#tk-app-' || $label}" role="doc-backlink" class="tk-backlink"
                 aria-label="{tk:msg('back-to-reference') || ' ' || $label}"><xsl:value-of select="$label"/></a>
              <xsl:text> </xsl:text>
              <xsl:for-each select="(tei:lem, tei:rdg, tei:rdgGrp/(tei:lem, tei:rdg))">
                <xsl:if test="position() gt 1"><xsl:text>; </xsl:text></xsl:if>
                <span class="{'tk-' || local-name()}">
                  <xsl:choose>
                    <xsl:when test="normalize-space() or *"><xsl:apply-templates/></xsl:when>
                    <xsl:otherwise><i><xsl:value-of select="tk:msg('omitted')"/></i></xsl:otherwise>
                  </xsl:choose>
                </span>
                <xsl:if test="self::tei:lem">]</xsl:if>
                <xsl:variable name="sigla" select="tk:sigla(.)"/>
                <xsl:if test="$sigla"><xsl:text> </xsl:text><span class="tk-sigla"><xsl:value-of select="$sigla"/></span></xsl:if>
              </xsl:for-each>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- the sigla table -->
  <xsl:template match="tei:listWit" mode="tk:sigla #default">
    <section class="tei-listWit">
      <xsl:choose>
        <xsl:when test="tei:head"><xsl:apply-templates select="tei:head"/></xsl:when>
        <xsl:otherwise><h2><xsl:value-of select="tk:msg('witnesses')"/></h2></xsl:otherwise>
      </xsl:choose>
      <table class="tk-sigla-table">
        <tbody>
          <xsl:for-each select=".//tei:witness">
            <tr>
              <xsl:if test="@xml:id and tk:first-with-id(.)"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
              <th scope="row"><xsl:value-of select="(normalize-space(@n), normalize-space(tei:abbr[1]), string(@xml:id))[. != ''][1]"/></th>
              <td><xsl:apply-templates select="node() except (tei:abbr[1][empty(current()/@n)], tei:listWit)"/></td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </section>
  </xsl:template>
  <xsl:template name="tk:header-witnesses">
    <xsl:if test="exists($tk:apps) and not($tk:root/tei:text//tei:listWit)">
      <xsl:apply-templates select="($tk:root/tei:teiHeader//tei:sourceDesc//tei:listWit[not(ancestor::tei:listWit)])[1]" mode="tk:sigla"/>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>

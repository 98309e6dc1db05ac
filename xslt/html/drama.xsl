<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit HTML drama: the cast list (castItem, castGroup, role, roleDesc),
  speeches (sp with speaker; prose and verse), stage directions (inline and
  block), acts and scenes (div type="act"/"scene": headings centred by
  teikit.css), as printed plays set them.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <xsl:template match="tei:castList">
    <section><xsl:call-template name="tk:attributes"/>
      <xsl:choose>
        <xsl:when test="tei:head"><xsl:apply-templates select="tei:head"/></xsl:when>
        <xsl:otherwise><p class="tk-cast-head"><xsl:value-of select="tk:msg('cast')"/></p></xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="tk:cast-items"/>
    </section>
  </xsl:template>

  <xsl:template name="tk:cast-items">
    <xsl:variable name="items" select="tei:castItem | tei:castGroup | tei:castList"/>
    <xsl:if test="exists($items)">
      <ul class="tk-cast">
        <xsl:for-each select="$items"><li><xsl:call-template name="tk:attributes"/><xsl:apply-templates select="." mode="tk:cast"/></li></xsl:for-each>
      </ul>
    </xsl:if>
    <xsl:apply-templates select="* except ($items | tei:head)"/>
  </xsl:template>

  <xsl:template match="tei:castItem" mode="tk:cast"><xsl:apply-templates/></xsl:template>
  <!-- a group: its members, with what they share (roleDesc, head) beside them -->
  <xsl:template match="tei:castGroup | tei:castList" mode="tk:cast">
    <xsl:apply-templates select="tei:head"/>
    <div class="tk-cast-group">
      <xsl:call-template name="tk:cast-items"/>
    </div>
  </xsl:template>
  <xsl:template match="tei:castGroup/tei:roleDesc" priority="3">
    <p class="tei-roleDesc tk-group-desc"><xsl:apply-templates/></p>
  </xsl:template>
  <xsl:template match="tei:castGroup/tei:head | tei:castList/tei:castList/tei:head" priority="3">
    <p class="tei-head tk-cast-head"><xsl:apply-templates/></p>
  </xsl:template>
  <xsl:template match="tei:role">
    <span><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></span>
  </xsl:template>
  <xsl:template match="tei:roleDesc">
    <span><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></span>
  </xsl:template>

  <!-- a speech: the speaker, then what is said -->
  <xsl:template match="tei:sp">
    <div><xsl:call-template name="tk:attributes"/>
      <xsl:for-each-group select="node()" group-adjacent="boolean(self::tei:speaker)">
        <xsl:choose>
          <xsl:when test="current-grouping-key()"><xsl:apply-templates select="current-group()"/></xsl:when>
          <xsl:when test="normalize-space(string-join(current-group(), '')) or current-group()/self::*">
            <div class="tk-speech"><xsl:call-template name="tk:blocks"><xsl:with-param name="wrap" select="true()"/>
              <xsl:with-param name="nodes" select="current-group()"/></xsl:call-template></div>
          </xsl:when>
        </xsl:choose>
      </xsl:for-each-group>
    </div>
  </xsl:template>
  <xsl:template match="tei:speaker">
    <p><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></p>
  </xsl:template>

  <!-- stage directions: a paragraph of their own between speeches, italic inside a line -->
  <xsl:template match="tei:stage">
    <xsl:choose>
      <xsl:when test="tk:is-block(.) and not(*[tk:is-block(.)])"><p><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></p></xsl:when>
      <xsl:when test="tk:is-block(.)"><div><xsl:call-template name="tk:attributes"/><xsl:call-template name="tk:blocks"><xsl:with-param name="wrap" select="true()"/></xsl:call-template></div></xsl:when>
      <xsl:otherwise><span><xsl:call-template name="tk:attributes"><xsl:with-param name="extra" select="'tk-inline-stage'"/></xsl:call-template><xsl:apply-templates/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>

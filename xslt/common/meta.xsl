<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit meta: what the build driver needs to know about a document, as XML:
  <tk:meta title=".." lang=".."><tk:author/>*<tk:translator/>*<tk:m id ref/>*</tk:meta>
  tk:m lists the names that link to the register (id = the anchor in the HTML).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">
  <xsl:import href="common.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:template match="/">
    <tk:meta title="{tk:title($tk:root)}">
      <xsl:for-each select="tk:lang($tk:root)"><xsl:attribute name="lang" select="."/></xsl:for-each>
      <xsl:for-each select="tk:authors($tk:root)"><tk:author><xsl:value-of select="."/></tk:author></xsl:for-each>
      <xsl:for-each select="tk:translators($tk:root)"><tk:translator><xsl:value-of select="."/></tk:translator></xsl:for-each>
      <xsl:if test="exists($register)">
        <xsl:for-each select="$tk:mentions[exists(tk:register-entry(.))]">
          <tk:m id="{tk:mention-id(.)}" ref="{tk:ref-id(@ref)}" part="{tk:part(.)}"><xsl:value-of select="normalize-space(.)"/></tk:m>
        </xsl:for-each>
      </xsl:if>
    </tk:meta>
  </xsl:template>
</xsl:stylesheet>

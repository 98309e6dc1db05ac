<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit HTML verse: lg and l.  A line shows its number when it is a
  multiple of five: its @n when that is a number, else its place in the
  poem (the nearest division, or the outermost lg); a non-numeric @n is
  always shown.  Split lines (@part M, F) are indented by teikit.css.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <!-- the number a line shows, if any (context: the l) -->
  <xsl:template name="tk:line-number" as="xs:string?">
    <xsl:variable name="n" select="normalize-space(@n)"/>
    <xsl:variable name="pos" as="xs:string">
      <xsl:number level="any" count="tei:l[not(@part = ('M', 'F'))]"
          from="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7 | tei:body | tei:front | tei:back | tei:floatingText"/>
    </xsl:variable>
    <xsl:sequence select="if ($n != '' and not($n castable as xs:integer)) then $n
        else if ($n castable as xs:integer) then (if (xs:integer($n) mod 5 = 0) then $n else ())
        else if (@part = ('M', 'F')) then ()
        else if ($pos castable as xs:integer and xs:integer($pos) mod 5 = 0) then $pos else ()"/>
  </xsl:template>

  <xsl:template match="tei:l[tk:is-block(.)]">
    <xsl:variable name="n" as="xs:string?"><xsl:call-template name="tk:line-number"/></xsl:variable>
    <xsl:element name="{if (*[tk:is-block(.)]) then 'div' else 'p'}">
      <xsl:call-template name="tk:attributes"><xsl:with-param name="extra" select="@part[. = ('I', 'M', 'F')] ! ('tk-' || .)"/></xsl:call-template>
      <xsl:if test="$n"><span class="tk-lineno" aria-hidden="true"><xsl:value-of select="$n"/></span></xsl:if>
      <xsl:choose>
        <xsl:when test="*[tk:is-block(.)]"><xsl:call-template name="tk:blocks"><xsl:with-param name="wrap" select="true()"/></xsl:call-template></xsl:when>
        <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
      </xsl:choose>
    </xsl:element>
  </xsl:template>
</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit format contract: the named templates and modes every output
  format supplies.  A format stylesheet imports this file (html/html.xsl
  does; text/text.xsl does; epub/ imports html/html.xsl and overrides
  what it needs).  The defaults here stop the transform with a clear
  message, so a format that forgets one fails loudly.  See xslt/README.md.

  Named templates (context item: any node of the TEI document)
    tk:page        the whole output document for the TEI root
    tk:title-block the header's title, author, translator, source, licence
    tk:noteref     param $note (tei:note), $pointer (element()? - the ref/ptr
                   calling it, empty for a note standing in place), $first
                   (xs:boolean - carries the back-link target)
    tk:endnotes    all notes of the document ($tk:notes), numbered, each
                   linking back to its first reference
    tk:name        a persName/placeName/orgName/name/rs: a link to its
                   register entry (tk:name-href) when there is one
    tk:apparatus   the critical apparatus (app/lem/rdg), lettered a, b, ...
    tk:header-msdesc the header's manuscript description, whole
  Modes
    #default       TEI text content to the format (blocks and inline)
    tk:register    a register entry (person/place/org/...) for the
                   register page or back matter
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <xsl:import href="common.xsl"/>

  <xsl:mode name="tk:register" on-no-match="shallow-skip"/>

  <xsl:template name="tk:page">
    <xsl:message terminate="yes">teikit: this format does not supply the named template tk:page</xsl:message>
  </xsl:template>
  <xsl:template name="tk:title-block">
    <xsl:message terminate="yes">teikit: this format does not supply the named template tk:title-block</xsl:message>
  </xsl:template>
  <xsl:template name="tk:noteref">
    <xsl:param name="note" as="element()"/>
    <xsl:param name="pointer" as="element()?"/>
    <xsl:param name="first" as="xs:boolean" select="true()"/>
    <xsl:message terminate="yes">teikit: this format does not supply the named template tk:noteref</xsl:message>
  </xsl:template>
  <xsl:template name="tk:endnotes">
    <xsl:message terminate="yes">teikit: this format does not supply the named template tk:endnotes</xsl:message>
  </xsl:template>
  <xsl:template name="tk:apparatus">
    <xsl:message terminate="yes">teikit: this format does not supply the named template tk:apparatus</xsl:message>
  </xsl:template>
  <xsl:template name="tk:header-msdesc">
    <xsl:message terminate="yes">teikit: this format does not supply the named template tk:header-msdesc</xsl:message>
  </xsl:template>
  <xsl:template name="tk:name">
    <xsl:message terminate="yes">teikit: this format does not supply the named template tk:name</xsl:message>
  </xsl:template>
</xsl:stylesheet>

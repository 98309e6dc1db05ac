<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit plain text: inline content to a string (mode tk:inline).
  Inline text is concatenated without separators (so "Tau<g>s</g>end" stays
  one word); line breaks become spaces unless @break="no"; whitespace is
  normalised by tk:inline().
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <!-- supplied text: "brackets" ([text]) or "plain" -->
  <xsl:param name="supplied" as="xs:string" select="'brackets'"/>
  <!-- deletions, additions and emphasis: signs (⟦deleted⟧ ⸌added⸍ *emphasis*), labels ([del: deleted] [add: added]
       *emphasis*) or none (unmarked).  Every word is kept once in each; view=reading leaves deletions out. -->
  <xsl:param name="marks" as="xs:string" select="'signs'"/>
  <xsl:variable name="tk:mark-signs" as="map(xs:string, xs:string*)" select="
      if ($marks = 'none') then map{'del': ('', ''), 'add': ('', ''), 'emph': ('', '')}
      else if ($marks = 'labels') then map{'del': ('[del: ', ']'), 'add': ('[add: ', ']'), 'emph': ('*', '*')}
      else map{'del': ('⟦', '⟧'), 'add': ('⸌', '⸍'), 'emph': ('*', '*')}"/>
  <xsl:template name="tk:marked">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:variable name="s" select="$tk:mark-signs($kind)"/>
    <xsl:variable name="inner" as="xs:string*"><xsl:apply-templates mode="tk:inline"/></xsl:variable>
    <xsl:variable name="inner" select="string-join($inner, '')"/>
    <!-- the signs hug the words: spaces at the edges stay outside -->
    <!-- inside a word (letters touch it on either side) the signs would break the word: left out -->
    <xsl:variable name="before" select="string(preceding-sibling::node()[1][self::text()])"/>
    <xsl:variable name="after" select="string(following-sibling::node()[1][self::text()])"/>
    <xsl:variable name="in-word" select="matches($before, '\w$') and not(matches($inner, '^\s')) or matches($after, '^\w') and not(matches($inner, '\s$'))"/>
    <xsl:sequence select="if (not(normalize-space($inner)) or $in-word) then $inner
        else (if (matches($inner, '^\s')) then ' ' else '') || $s[1] || replace(replace($inner, '^\s+', ''), '\s+$', '') || $s[2]
             || (if (matches($inner, '\s$')) then ' ' else '')"/>
  </xsl:template>

  <xsl:mode name="tk:inline" on-no-match="text-only-copy"/>

  <!-- the whitespace-normalised text of inline nodes -->
  <xsl:function name="tk:inline" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:sequence select="tk:trim(translate(tk:inline-lines($nodes), '&#xE000;', ' '))"/>
  </xsl:function>
  <!-- the same, with kept line breaks marked by U+E000 -->
  <xsl:function name="tk:inline-lines" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:apply-templates select="$nodes" mode="tk:inline"/>
    </xsl:variable>
    <xsl:sequence select="tk:trim(string-join($parts, ''))"/>
  </xsl:function>
  <!-- whitespace normalised, and no stray no-break (or other) spaces at the ends or standing alone -->
  <xsl:function name="tk:trim" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:variable name="n" select="normalize-space($s)"/>
    <xsl:sequence select="if (not(matches($n, '[&#xA0;&#x1680;&#x2000;-&#x200A;&#x202F;&#x205F;&#x3000;]'))) then $n
        else replace(replace($n, '\p{Zs}*[ ]\p{Zs}*', ' ', ';j'), '^\p{Zs}+|\p{Zs}+$', '', ';j')"/>
  </xsl:function>

  <!-- fields of element-only content (a form's orth and pron, dimensions) meet with a space between them -->
  <xsl:template match="*[tk:needs-space(.)]" mode="tk:inline" priority="10">
    <xsl:sequence select="' '"/><xsl:next-match/>
  </xsl:template>
  <xsl:template match="text()" mode="tk:inline"><xsl:sequence select="string(.)"/></xsl:template>
  <xsl:template match="comment() | processing-instruction() | tei:teiHeader" mode="tk:inline"/>
  <!-- a line break is a space; in the parts of a letter and in addresses it keeps its line (U+E000 marks it) -->
  <xsl:template match="tei:lb" mode="tk:inline">
    <xsl:sequence select="if (@break = 'no') then ''
        else if ($lines = 'diplomatic') then '&#xE000;'
        else if (ancestor::*[self::tei:opener or self::tei:closer or self::tei:address or self::tei:dateline or self::tei:signed
                             or self::tei:salute or self::tei:byline or self::tei:docImprint or self::tei:titlePart])
        then '&#xE000;' else ' '"/>
  </xsl:template>
  <!-- empty by definition; should one hold text anyway, its text is kept -->
  <xsl:template match="tei:pb | tei:cb | tei:milestone | tei:anchor | tei:graphic" mode="tk:inline"><xsl:apply-templates mode="tk:inline"/></xsl:template>
  <xsl:template match="tei:dimensions" mode="tk:inline"><xsl:sequence select="' ' || tk:dimensions(.) || ' '"/></xsl:template>
  <xsl:template match="tei:space" mode="tk:inline"><xsl:sequence select="' '"/></xsl:template>
  <xsl:template match="tei:del" mode="tk:inline">
    <xsl:if test="$view != 'reading'"><xsl:call-template name="tk:marked"><xsl:with-param name="kind" select="'del'"/></xsl:call-template></xsl:if>
  </xsl:template>
  <xsl:template match="tei:add" mode="tk:inline">
    <xsl:choose>
      <xsl:when test="$view = 'reading'"><xsl:apply-templates mode="tk:inline"/></xsl:when>
      <xsl:otherwise><xsl:call-template name="tk:marked"><xsl:with-param name="kind" select="'add'"/></xsl:call-template></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:hi[tk:is-emphasis(.)] | tei:emph" mode="tk:inline">
    <xsl:call-template name="tk:marked"><xsl:with-param name="kind" select="'emph'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:app" mode="tk:inline">
    <xsl:apply-templates select="tk:app-text(.)/node()" mode="tk:inline"/>
    <xsl:if test="not(ancestor::tei:app)"><xsl:sequence select="'[' || tk:app-label(.) || ']'"/></xsl:if>
  </xsl:template>
  <xsl:template match="tei:wit" mode="tk:inline"/>
  <xsl:template match="tei:gap" mode="tk:inline"><xsl:sequence select="'[…]'"/><xsl:apply-templates mode="tk:inline"/></xsl:template>
  <xsl:template match="tei:choice" mode="tk:inline"><xsl:apply-templates select="tk:chosen(.)" mode="tk:inline"/></xsl:template>
  <xsl:template match="tei:supplied" mode="tk:inline">
    <xsl:sequence select="if ($supplied = 'plain') then '' else '['"/>
    <xsl:apply-templates mode="tk:inline"/>
    <xsl:sequence select="if ($supplied = 'plain') then '' else ']'"/>
  </xsl:template>
  <xsl:template match="tei:note" mode="tk:inline">
    <xsl:choose>
      <xsl:when test="not(map:contains($tk:note-seq, generate-id()))">
        <xsl:sequence select="' ('"/><xsl:apply-templates mode="tk:inline"/><xsl:sequence select="') '"/>
      </xsl:when>
      <xsl:when test="empty(tk:note-pointers(.))">
        <xsl:call-template name="tk:noteref"><xsl:with-param name="note" select="."/></xsl:call-template>
      </xsl:when>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:ref[tk:pointed-note(.)] | tei:ptr[tk:pointed-note(.)]" mode="tk:inline">
    <xsl:call-template name="tk:noteref">
      <xsl:with-param name="note" select="tk:pointed-note(.)"/>
      <xsl:with-param name="pointer" select="."/>
    </xsl:call-template>
  </xsl:template>
  <!-- a pointer with no text shows its target -->
  <xsl:template match="tei:ptr" mode="tk:inline"><xsl:sequence select="normalize-space(@target)"/></xsl:template>
  <!-- block-level pieces inside a run (a cell, an item) are kept apart by a space -->
  <xsl:template match="tei:cell | tei:item | tei:l | tei:p | tei:head | tei:addrLine | tei:salute | tei:signed | tei:dateline" mode="tk:inline">
    <xsl:sequence select="' '"/><xsl:apply-templates mode="tk:inline"/><xsl:sequence select="' '"/>
  </xsl:template>
</xsl:stylesheet>

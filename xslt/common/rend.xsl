<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit rendering hints, format-neutral: @rend keywords, @rendition
  pointing at tagsDecl/rendition (CSS), @style where styleDefDecl says CSS.
  CSS from a document is taken only when it is a plain list of
  declarations (no braces, at-rules, comments, escapes or url()), so it can
  never reach beyond the element it is for, nor fetch anything.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <!-- @rend keywords, lower case; TEI simplePrint pointers (rendition="simple:italic") count as keywords -->
  <xsl:function name="tk:rend" as="xs:string*">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="(tokenize(lower-case(normalize-space($e/@rend)), '\s+')[. != ''],
        tokenize(normalize-space($e/@rendition), '\s+')[starts-with(., 'simple:')] ! substring-after(., 'simple:'))"/>
  </xsl:function>

  <!-- keywords that mean emphasis of the running text (the plain text marks them) -->
  <xsl:variable name="tk:emphasis-rend" as="xs:string*" select="('italic', 'italics', 'i', 'it', 'bold', 'b', 'underline', 'u', 'ul',
      'spaced', 'spaced-out', 'letterspace', 'gesperrt', 'g', 'emph', 'emphasis', 'strong')"/>

  <!-- Is this hi (or emph) emphasis?  hi with no rendering hint is, as the Guidelines imply. -->
  <xsl:function name="tk:is-emphasis" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="$e/self::tei:emph or ($e/self::tei:hi and (empty(tk:rend($e)) and not($e/@rendition) and not($e/@style)
        or tk:rend($e) = $tk:emphasis-rend))"/>
  </xsl:function>

  <!-- the CSS renditions an element points to (local #id; scheme css, or none given) -->
  <xsl:function name="tk:renditions" as="element()*">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="for $t in tokenize(normalize-space($e/@rendition), '\s+')[starts-with(., '#')]
        return key('tk:id', substring($t, 2), root($e))[self::tei:rendition][not(@scheme) or @scheme = 'css'][tk:safe-css(string(.))]"/>
  </xsl:function>

  <!-- the class carrying a rendition's CSS -->
  <xsl:function name="tk:rendition-class" as="xs:string">
    <xsl:param name="r" as="element()"/>
    <xsl:sequence select="'tk-r-' || replace($r/@xml:id, '[^\w\-]', '_')"/>
  </xsl:function>

  <!-- CSS declarations fit to copy, normalised; () when not -->
  <xsl:function name="tk:safe-css" as="xs:string?">
    <xsl:param name="css" as="xs:string"/>
    <xsl:variable name="c" select="normalize-space($css)"/>
    <xsl:sequence select="if ($c != '' and not(matches($c, '[{}&lt;&gt;@\\]|/\*|url\s*\(|expression\s*\(|import', 'i'))
        and (every $d in tokenize($c, ';')[normalize-space()] satisfies matches($d, '^\s*-?[a-zA-Z][a-zA-Z\-]*\s*:\s*[^:]+$')))
        then $c else ()"/>
  </xsl:function>

  <!-- @style, when the header declares CSS as the style scheme -->
  <xsl:function name="tk:style" as="xs:string?">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="scheme" select="(root($e)//tei:encodingDesc/tei:styleDefDecl/@scheme)[1]"/>
    <xsl:sequence select="if ($e/@style and lower-case($scheme) = 'css') then tk:safe-css(string($e/@style)) else ()"/>
  </xsl:function>

  <!-- the stylesheet of the renditions a document uses -->
  <xsl:function name="tk:rendition-css" as="xs:string?">
    <xsl:param name="root" as="element()"/>
    <xsl:variable name="ids" select="distinct-values($root//@rendition ! tokenize(normalize-space(.), '\s+')[starts-with(., '#')] ! substring(., 2))"/>
    <xsl:variable name="rs" select="$root//tei:tagsDecl/tei:rendition[@xml:id = $ids][not(@scheme) or @scheme = 'css']"/>
    <xsl:variable name="rules" select="for $r in $rs, $c in tk:safe-css(string($r)) return '.' || tk:rendition-class($r) || ' { ' || $c || ' }'"/>
    <xsl:sequence select="if (exists($rules)) then string-join($rules, '&#10;') else ()"/>
  </xsl:function>
</xsl:stylesheet>

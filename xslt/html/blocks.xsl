<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit HTML: the element mapping.  Every TEI element becomes either a
  block (tk:is-block) or an inline element; unknown ones become div/span
  with class="tei-NAME", so their text is never dropped.  A block never
  lands inside an inline element: anything holding a block is a block.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <!-- ============ attributes carried over ============ -->
  <xsl:template name="tk:attributes">
    <xsl:param name="id" as="xs:boolean" select="true()"/>
    <xsl:param name="extra" as="xs:string*" select="()"/>
    <xsl:if test="$id and @xml:id and not(starts-with(@xml:id, 'tk-')) and tk:first-with-id(.)">
      <xsl:attribute name="id" select="@xml:id"/>
    </xsl:if>
    <xsl:if test="@xml:lang and (@xml:lang = '' or tk:bcp47(@xml:lang) != '')"><xsl:attribute name="lang" select="tk:bcp47(@xml:lang)"/></xsl:if>
    <xsl:variable name="kinds" select="(@type/tokenize(normalize-space(), '\s+'), tk:rend(.))"/>
    <xsl:attribute name="class" select="string-join(distinct-values((tk:class(.), for $k in $kinds return 'tk-' || replace($k, '[^\w\-]', '_'),
        tk:renditions(.) ! tk:rendition-class(.), $extra)), ' ')"/>
    <xsl:for-each select="tk:style(.)"><xsl:attribute name="style" select="."/></xsl:for-each>
  </xsl:template>

  <!-- ============ grouping: blocks as they are, inline runs wrapped ============ -->
  <!-- children of the context element; with $wrap, inline runs holding text get a <p> -->
  <xsl:template name="tk:blocks">
    <xsl:param name="wrap" as="xs:boolean" select="false()"/>
    <xsl:param name="nodes" as="node()*" select="node()"/>
    <xsl:for-each-group select="$nodes" group-adjacent="tk:is-block(.)">
      <xsl:choose>
        <xsl:when test="current-grouping-key()"><xsl:apply-templates select="current-group()"/></xsl:when>
        <xsl:when test="$wrap and normalize-space(string-join(current-group()[not(self::tei:note)], ''))">
          <p class="tk-run"><xsl:apply-templates select="current-group()"/></p>
        </xsl:when>
        <xsl:otherwise><xsl:apply-templates select="current-group()"/></xsl:otherwise>
      </xsl:choose>
    </xsl:for-each-group>
  </xsl:template>

  <!-- ============ structure ============ -->
  <xsl:template match="tei:teiHeader | tei:facsimile | tei:standOff | tei:sourceDoc | comment() | processing-instruction()"/>

  <!-- a TEI (or teiCorpus) inside a teiCorpus: a section headed by its title -->
  <xsl:template match="tei:TEI | tei:teiCorpus">
    <section class="tk-member">
      <h2><xsl:value-of select="tk:title(.)"/></h2>
      <xsl:apply-templates select="tei:text | tei:TEI | tei:teiCorpus"/>
    </section>
  </xsl:template>

  <xsl:template match="tei:text | tei:front | tei:body | tei:back | tei:group">
    <div><xsl:call-template name="tk:attributes"/><xsl:call-template name="tk:blocks"/></div>
  </xsl:template>

  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7">
    <xsl:if test="not(tk:notes-only(.))">
      <section><xsl:call-template name="tk:attributes"/>
        <xsl:if test="tei:head"><xsl:attribute name="id" select="tk:div-id(.)"/></xsl:if>
        <xsl:call-template name="tk:blocks"/>
        <xsl:if test="some $s in $tk:note-sections satisfies $s is current()"><xsl:call-template name="tk:section-notes"/></xsl:if>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:function name="tk:heading-level" as="xs:integer">
    <xsl:param name="head" as="element()"/>
    <xsl:sequence select="min((6, 1 + count($head/ancestor::*[matches(local-name(), '^div\d?$') or self::tei:floatingText or self::tei:group or self::tei:text[parent::tei:group]][tei:head])
        + count($head/ancestor::*[self::tei:TEI or self::tei:teiCorpus][parent::*])))"/>
  </xsl:function>

  <xsl:template match="tei:head">
    <xsl:choose>
      <xsl:when test="tk:is-block(.) and exists(*[tk:is-block(.)])">
        <div role="heading" aria-level="{tk:heading-level(.)}"><xsl:call-template name="tk:attributes"/><xsl:call-template name="tk:blocks"/></div>
      </xsl:when>
      <xsl:when test="parent::*[matches(local-name(), '^div\d?$') or self::tei:body or self::tei:front or self::tei:back or self::tei:floatingText]">
        <xsl:element name="h{tk:heading-level(.)}"><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></xsl:element>
      </xsl:when>
      <xsl:otherwise><p><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></p></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- paragraphs: <p> unless they hold blocks (then a div with <p> runs) -->
  <xsl:template match="tei:p | tei:ab | tei:l | tei:dateline | tei:byline | tei:trailer | tei:salute | tei:signed | tei:speaker | tei:addrLine | tei:docAuthor | tei:docDate | tei:docImprint | tei:titlePart | tei:stage | tei:figDesc | tei:argument/tei:p">
    <xsl:choose>
      <xsl:when test="not(tk:is-block(.))"><span><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></span></xsl:when>
      <xsl:when test="some $c in * satisfies tk:is-block($c)">
        <div><xsl:call-template name="tk:attributes"/><xsl:call-template name="tk:blocks"><xsl:with-param name="wrap" select="true()"/></xsl:call-template></div>
      </xsl:when>
      <xsl:otherwise><p><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></p></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- quoted documents and block quotations -->
  <xsl:template match="tei:floatingText | tei:quote | tei:q | tei:said | tei:cit | tei:epigraph">
    <xsl:choose>
      <xsl:when test="self::tei:floatingText and parent::tei:quote and count(../*) = 1">
        <div><xsl:call-template name="tk:attributes"/><xsl:call-template name="tk:blocks"><xsl:with-param name="wrap" select="true()"/></xsl:call-template></div>
      </xsl:when>
      <xsl:when test="tk:is-block(.)">
        <blockquote><xsl:call-template name="tk:attributes"/><xsl:call-template name="tk:blocks"><xsl:with-param name="wrap" select="true()"/></xsl:call-template></blockquote>
      </xsl:when>
      <xsl:otherwise><span><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- lists -->
  <xsl:template match="tei:list | tei:castList">
    <xsl:variable name="ordered" select="(@type = ('ordered', 'numbered') or matches(@rend, 'numbered|ordered|decimal')) and empty(tei:label)"/>
    <div><xsl:call-template name="tk:attributes"><xsl:with-param name="extra" select="if (tei:label) then 'tk-labelled' else ()"/></xsl:call-template>
      <xsl:apply-templates select="tei:head"/>
      <xsl:element name="{if ($ordered) then 'ol' else 'ul'}">
        <xsl:for-each-group select="node()[not(self::tei:head)]" group-starting-with="tei:label | (tei:item | tei:castItem | tei:castGroup)[not(preceding-sibling::*[1][self::tei:label])]">
          <xsl:variable name="item" select="current-group()[self::tei:item or self::tei:castItem or self::tei:castGroup][1]"/>
          <xsl:if test="exists($item) or normalize-space(string-join(current-group(), '')) or current-group()/self::*">
            <li>
              <xsl:variable name="label" select="current-group()[1][self::tei:label][not(some $c in * satisfies tk:is-block($c))]"/>
              <xsl:for-each select="$item"><xsl:call-template name="tk:attributes"/></xsl:for-each>
              <xsl:for-each select="$label"><span><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></span><xsl:text> </xsl:text></xsl:for-each>
              <xsl:call-template name="tk:blocks">
                <xsl:with-param name="nodes" select="current-group()/(if (. is $item) then node() else if (. is $label) then () else .)"/>
              </xsl:call-template>
            </li>
          </xsl:if>
        </xsl:for-each-group>
      </xsl:element>
    </div>
  </xsl:template>

  <!-- tables -->
  <xsl:template match="tei:table">
    <table><xsl:call-template name="tk:attributes"/>
      <xsl:if test="tei:head"><caption><xsl:apply-templates select="tei:head/node()"/></caption></xsl:if>
      <tbody>
        <xsl:for-each select="tei:row | *[not(self::tei:row or self::tei:head)]">
          <xsl:choose>
            <xsl:when test="self::tei:row">
              <tr><xsl:call-template name="tk:attributes"/>
                <xsl:for-each select="tei:cell | *[not(self::tei:cell)]">
                  <xsl:element name="{if (@role = 'label' or ../@role = 'label') then 'th' else 'td'}">
                    <xsl:if test="@cols castable as xs:integer and xs:integer(@cols) gt 1"><xsl:attribute name="colspan" select="@cols"/></xsl:if>
                    <xsl:call-template name="tk:attributes"/><xsl:call-template name="tk:blocks"/>
                  </xsl:element>
                </xsl:for-each>
              </tr>
            </xsl:when>
            <xsl:otherwise><tr><td><xsl:apply-templates select="."/></td></tr></xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

  <!-- ============ inline ============ -->
  <xsl:template match="tei:choice">
    <span><xsl:call-template name="tk:attributes"/><xsl:apply-templates select="tk:chosen(.)"/></span>
  </xsl:template>
  <xsl:template match="tei:emph">
    <em><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></em>
  </xsl:template>
  <xsl:template match="tei:title[not(tk:is-block(.))]">
    <cite><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></cite>
  </xsl:template>
  <!-- dates: <time> with the Gregorian @when; a custom (e.g. Julian) date is named in the title -->
  <xsl:template match="tei:date[not(tk:is-block(.))]">
    <xsl:variable name="when" select="string(@when)[matches(., '^\d{4}(-\d{2}(-\d{2})?)?$')]"/>
    <xsl:element name="{if ($when) then 'time' else 'span'}">
      <xsl:if test="$when"><xsl:attribute name="datetime" select="$when"/></xsl:if>
      <xsl:if test="@when-custom">
        <xsl:attribute name="title" select="string-join((
            (substring-after(@datingMethod, '#')[. != ''], 'custom')[1] || ': ' || @when-custom,
            if ($when) then 'Gregorian: ' || $when else ()), '; ')"/>
      </xsl:if>
      <xsl:call-template name="tk:attributes"/><xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:ref[@target] | tei:ptr[@target]">
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:param name="part" as="xs:integer" tunnel="yes" select="1"/>
    <xsl:variable name="t" select="tokenize(normalize-space(@target), ' ')[1]"/>
    <xsl:variable name="local" select="if (starts-with($t, '#')) then key('tk:id', substring($t, 2))[not(ancestor::tei:teiHeader)][1] else ()"/>
    <xsl:variable name="href" select="if ($local) then tk:part-href($local, substring($t, 2), $part)
        else if (matches($t, '^https?://[^\s&lt;&gt;&quot;{}|\\^`\[\]]+$')) then $t else ()"/>
    <xsl:choose>
      <xsl:when test="$href and not($in-link) and not(tk:is-block(.))">
        <a href="{$href}"><xsl:call-template name="tk:attributes"/>
          <xsl:apply-templates><xsl:with-param name="in-link" select="true()" tunnel="yes"/></xsl:apply-templates>
          <xsl:if test="self::tei:ptr"><xsl:value-of select="$t"/></xsl:if>
        </a>
      </xsl:when>
      <xsl:otherwise><xsl:next-match/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>


  <!-- ============ anything else: its text, with a class naming it ============ -->
  <!-- elements for which that is the rendering meant (teikit.css styles their tei-NAME class, or they need none):
       the unrendered report leaves them out -->
  <xsl:variable name="tk:plain-styled" as="xs:string*" select="('lg', 'lg1', 'opener', 'closer', 'postscript', 'address', 'subst', 'supplied',
      'set', 'listBibl', 'bibl', 'biblStruct', 'biblScope', 'pubPlace', 'publisher', 'origDate', 'origPlace', 'author', 'editor', 'num', 'measure',
      'objectType', 'mentioned', 'w', 'c', 'pc', 'seg', 's', 'phr', 'cl', 'foreign', 'term', 'gloss', 'soCalled', 'persName', 'placeName',
      'orgName', 'name', 'rs', 'roleName', 'forename', 'surname', 'genName', 'addName', 'nameLink', 'geogName', 'settlement', 'country', 'region',
      'district', 'bloc', 'idno', 'orig', 'reg', 'abbr', 'expan', 'sic', 'corr', 'am', 'ex', 'g', 'unclear', 'damage', 'surplus', 'restore',
      'spGroup', 'locus', 'locusGrp', 'incipit', 'explicit', 'rubric', 'finalRubric', 'colophon', 'textLang', 'summary', 'support', 'extent',
      'foliation', 'condition', 'layout', 'handNote', 'decoNote', 'binding', 'provenance', 'acquisition', 'origin', 'source', 'collation',
      'signatures', 'watermark', 'height', 'width', 'depth', 'dim', 'material', 'altIdentifier', 'msName', 'repository', 'collection',
      'institution', 'time', 'lang', 'unit', 'geo', 'location', 'occupation', 'birth', 'death', 'floruit', 'residence', 'sex', 'age',
      'nationality', 'affiliation', 'education', 'faith', 'state', 'trait', 'event', 'desc', 'label', 'item', 'titlePage', 'docTitle',
      'docEdition', 'imprimatur', 'front', 'back', 'group', 'ref', 'ptr', 'title', 'head', 'epigraph', 'argument', 'q', 'quote', 'said',
      'cit', 'castGroup', 'usg', 'lbl', 'def', 'pos', 'gen', 'number', 'case', 'per', 'tns', 'mood', 'iType', 'subc', 'colloc',
      'ab', 'fw', 'anchor', 'index', 'interp', 'interpGrp', 'link', 'linkGrp', 'span', 'spanGrp', 'f', 'fs', 'ellipsis', 'metamark',
      'stamp', 'typeNote', 'hi', 'handShift', 'retrace', 'redo', 'undo', 'substJoin', 'addSpan', 'delSpan', 'damageSpan', 'secl', 'surface', 'zone', 'line')"/>
  <!-- with report-unrendered=yes, elements that fall here are marked data-tk-generic (the build option report-unrendered) -->
  <xsl:template match="*">
    <xsl:element name="{if (tk:is-block(.)) then 'div' else 'span'}">
      <xsl:call-template name="tk:attributes"/>
      <xsl:if test="$report-unrendered = 'yes' and not(local-name() = $tk:plain-styled)"><xsl:attribute name="data-tk-generic" select="local-name()"/></xsl:if>
      <xsl:choose>
        <xsl:when test="tk:is-block(.)"><xsl:call-template name="tk:blocks"/></xsl:when>
        <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
      </xsl:choose>
    </xsl:element>
  </xsl:template>

  <xsl:template match="text()"><xsl:value-of select="."/></xsl:template>
  <!-- fields of element-only content meet with a space between them (see tk:needs-space) -->
  <xsl:template match="*[tk:needs-space(.)]" priority="10"><xsl:text> </xsl:text><xsl:next-match/></xsl:template>
</xsl:stylesheet>

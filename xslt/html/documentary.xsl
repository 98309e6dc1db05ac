<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit HTML documentary editions.
  Editorial signs, with view=diplomatic (the default) or view=reading:
    del       struck through             | left out
    add       ⟨added⟩ (marks by CSS)      | plain
    subst     both                       | the addition
    supplied  [supplied] (CSS)           | [supplied]
    unclear   dotted underline, "(?)"    | plain
    gap       […] with what and how much in its title
    damage    shaded
  tk:legend lists the signs a document uses, in its language.
  Images: graphic becomes <img> (alt from figDesc, desc, @n or "Image");
  the facsimile section shows each surface; sourceDoc becomes a diplomatic
  transcription, a section per surface, its lines kept.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <xsl:template match="tei:del[not(tk:is-block(.))]">
    <xsl:if test="$view != 'reading'"><del><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></del></xsl:if>
  </xsl:template>
  <xsl:template match="tei:add[not(tk:is-block(.))]">
    <xsl:choose>
      <xsl:when test="$view = 'reading'"><span><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></span></xsl:when>
      <xsl:otherwise><ins><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></ins></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:unclear[not(tk:is-block(.))]">
    <span><xsl:call-template name="tk:attributes"/>
      <xsl:if test="$view != 'reading'"><xsl:attribute name="title" select="tk:msg('sign-unclear') || (@reason ! (': ' || .))"/></xsl:if>
      <xsl:apply-templates/></span>
  </xsl:template>
  <xsl:template match="tei:damage[not(tk:is-block(.))]">
    <span><xsl:call-template name="tk:attributes"/><xsl:attribute name="title" select="tk:msg('sign-damage') || (@agent ! (': ' || .))"/><xsl:apply-templates/></span>
  </xsl:template>
  <xsl:template match="tei:gap">
    <xsl:variable name="how" select="string-join((@reason, string-join((@quantity, @extent, @unit), ' ')[. != '']), ', ')"/>
    <span><xsl:call-template name="tk:attributes"/><xsl:attribute name="title" select="tk:msg('sign-gap') || ($how[. != ''] ! (': ' || .))"/>[…]<xsl:apply-templates/></span>
  </xsl:template>

  <!-- ============ the legend: the signs this document uses ============ -->
  <xsl:template name="tk:legend">
    <xsl:variable name="text" select="$tk:root/tei:text"/>
    <xsl:variable name="used" select="(
        if ($text//tei:del and $view != 'reading') then 'del' else (),
        if ($text//tei:add and $view != 'reading') then 'add' else (),
        if ($text//tei:supplied) then 'supplied' else (),
        if ($text//tei:unclear and $view != 'reading') then 'unclear' else (),
        if ($text//tei:gap) then 'gap' else (),
        if ($text//tei:damage) then 'damage' else ())"/>
    <xsl:if test="exists($used) and not($text//tei:div[@type = 'edition'])">
      <aside class="tk-legend" aria-labelledby="tk-legend-heading">
        <h2 id="tk-legend-heading"><xsl:value-of select="tk:msg('signs')"/></h2>
        <dl>
          <xsl:for-each select="$used">
            <dt><span class="{'tei-' || . || ' tk-sample'}"><xsl:value-of select="map{'del':'abc','add':'abc','supplied':'abc','unclear':'abc','gap':'[…]','damage':'abc'}(.)"/></span></dt>
            <dd><xsl:value-of select="tk:msg('sign-' || .)"/></dd>
          </xsl:for-each>
        </dl>
      </aside>
    </xsl:if>
  </xsl:template>

  <!-- ============ images ============ -->
  <xsl:function name="tk:image-alt" as="xs:string">
    <xsl:param name="g" as="element()"/>
    <xsl:sequence select="(normalize-space($g/tei:desc[1]), normalize-space($g/parent::tei:figure/tei:figDesc[1]),
        normalize-space($g/parent::tei:figure/tei:head[1]), normalize-space($g/ancestor::tei:surface[1]/@n) ! (tk:msg('page') || ' ' || .),
        normalize-space($g/@n), tk:msg('image'))[. != ''][1]"/>
  </xsl:function>
  <!-- an image URL fit to show: a browser's image format (by its extension), over http(s) or a relative
       path (the build copies it beside the page); an identifier (IIIF and the like) is not an image -->
  <xsl:function name="tk:image-src" as="xs:string?">
    <xsl:param name="g" as="element()"/>
    <xsl:variable name="u" select="normalize-space($g/@url)"/>
    <xsl:sequence select="if (not(matches($u, '\.(png|jpe?g|gif|svg|webp|avif)$', 'i'))) then ()
        else if (matches($u, '^https?://[^\s&lt;&gt;&quot;{}|\\^`\[\]]+$') or matches($u, '^[\w][\w./\-%]*$') and not(contains($u, '..'))) then $u else ()"/>
  </xsl:function>

  <xsl:template match="tei:graphic">
    <xsl:variable name="src" select="tk:image-src(.)"/>
    <xsl:choose>
      <xsl:when test="$src">
        <img src="{$src}" alt="{tk:image-alt(.)}">
          <xsl:call-template name="tk:attributes"/>
          <xsl:for-each select="@width[matches(., '^\d+(px)?$')]"><xsl:attribute name="width" select="replace(., 'px', '')"/></xsl:for-each>
          <xsl:for-each select="@height[matches(., '^\d+(px)?$')]"><xsl:attribute name="height" select="replace(., 'px', '')"/></xsl:for-each>
        </img>
      </xsl:when>
      <xsl:otherwise><span><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <!-- the description of a graphic is its alt text, not a caption of its own -->
  <xsl:template match="tei:graphic/tei:desc"/>

  <xsl:template match="tei:figure">
    <figure><xsl:call-template name="tk:attributes"/>
      <xsl:apply-templates select="node() except (tei:head | tei:figDesc)"/>
      <xsl:if test="tei:head or tei:figDesc">
        <figcaption><xsl:apply-templates select="tei:head/node(), tei:figDesc/node()"/></figcaption>
      </xsl:if>
    </figure>
  </xsl:template>

  <!-- the facsimile: each surface with its images -->
  <xsl:template name="tk:facsimile">
    <xsl:variable name="surfaces" select="$tk:root/tei:facsimile/(tei:surface | tei:surfaceGrp/tei:surface | tei:graphic)[descendant-or-self::tei:graphic[tk:image-src(.)]]"/>
    <xsl:if test="exists($surfaces)">
      <section class="tk-facsimile" aria-labelledby="tk-facsimile-heading">
        <h2 id="tk-facsimile-heading"><xsl:value-of select="tk:msg('facsimile')"/></h2>
        <xsl:for-each select="$surfaces">
          <figure class="tk-surface">
            <xsl:if test="@xml:id and tk:first-with-id(.)"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
            <xsl:apply-templates select="descendant-or-self::tei:graphic[tk:image-src(.)][1]"/>
            <xsl:if test="normalize-space(@n)"><figcaption><xsl:value-of select="tk:msg('page') || ' ' || normalize-space(@n)"/></figcaption></xsl:if>
          </figure>
        </xsl:for-each>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- ============ sourceDoc: a diplomatic transcription ============ -->
  <xsl:template name="tk:source-doc">
    <xsl:for-each select="$tk:root/tei:sourceDoc">
      <section class="tei-sourceDoc" aria-labelledby="{'tk-sourcedoc-' || position()}">
        <h2 id="{'tk-sourcedoc-' || position()}"><xsl:value-of select="tk:msg('transcription')"/></h2>
        <xsl:apply-templates select="*" mode="tk:source-doc"/>
      </section>
    </xsl:for-each>
  </xsl:template>
  <xsl:template match="tei:surface | tei:surfaceGrp" mode="tk:source-doc">
    <section><xsl:call-template name="tk:attributes"/>
      <xsl:if test="normalize-space(@n)"><h3><xsl:value-of select="tk:msg('page') || ' ' || normalize-space(@n)"/></h3></xsl:if>
      <xsl:apply-templates select="*" mode="tk:source-doc"/>
    </section>
  </xsl:template>
  <xsl:template match="tei:zone" mode="tk:source-doc">
    <div><xsl:call-template name="tk:attributes"/><xsl:apply-templates select="*" mode="tk:source-doc"/></div>
  </xsl:template>
  <xsl:template match="tei:line" mode="tk:source-doc">
    <p><xsl:call-template name="tk:attributes"/><xsl:apply-templates/></p>
  </xsl:template>
  <xsl:template match="tei:graphic" mode="tk:source-doc">
    <xsl:if test="tk:image-src(.)"><figure class="tk-surface-image"><xsl:apply-templates select="."/></figure></xsl:if>
  </xsl:template>
  <xsl:template match="*" mode="tk:source-doc"><xsl:apply-templates select="."/></xsl:template>
</xsl:stylesheet>

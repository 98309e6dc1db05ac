<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit common: the format-neutral logic shared by html/, text/ and epub/.
  Note numbering, name and register lookup, the choice policy, titles,
  header fields and block detection.  See xslt/README.md for the contract.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <xsl:include href="messages.xsl"/>
  <xsl:include href="rend.xsl"/>
  <xsl:include href="registers.xsl"/>
  <xsl:include href="split.xsl"/>
  <xsl:include href="apparatus.xsl"/>

  <!-- choice policy: any of sic|corr, orig|reg, abbr|expan, comma or space separated -->
  <xsl:param name="choice" as="xs:string" select="'corr,reg,expan'"/>
  <!-- the edition's register: a document node holding TEI register file(s), or () -->
  <xsl:param name="register" as="node()?" select="()"/>
  <!-- file name of the register page, for links from names -->
  <xsl:param name="register-href" as="xs:string" select="'register.html'"/>

  <!-- note style: endnotes (all at the end) or footnotes (at the end of each top-level division) -->
  <xsl:param name="notes" as="xs:string" select="'endnotes'"/>
  <!-- xml:lang value -> BCP 47 tag ('' to omit), as a JSON object: teikit maps every value
       of the document (langcodes); a value missing from it is mapped by tk:bcp47-guess -->
  <xsl:param name="lang-map" as="xs:string" select="'{}'"/>
  <xsl:variable name="tk:lang-map" as="map(*)" select="parse-json($lang-map)"/>

  <!-- line breaks (lb): flow (a space, except in verse, headings and the parts of a letter) or diplomatic (every line kept) -->
  <xsl:param name="lines" as="xs:string" select="'flow'"/>
  <!-- additions, deletions and their kin: diplomatic (every sign shown) or reading (deletions left out, additions plain) -->
  <xsl:param name="view" as="xs:string" select="'diplomatic'"/>

  <xsl:variable name="tk:root" as="element()" select="/*"/>
  <!-- the language of the labels: the document's, else English -->
  <xsl:variable name="tk:ui" as="xs:string" select="tk:ui-lang(if ($tk:root/self::tk:edition) then string($tk:root/@lang)
      else ($tk:root/descendant-or-self::tei:TEI[1] ! tk:lang(.), '')[1])"/>
  <xsl:function name="tk:msg" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="tk:msg($key, $tk:ui)"/>
  </xsl:function>
  <xsl:variable name="tk:choice-prefs" as="xs:string*"
      select="(tokenize(lower-case($choice), '[\s,;]+')[. != ''], 'corr', 'reg', 'expan')"/>

  <xsl:key name="tk:id" match="*[@xml:id]" use="@xml:id"/>
  <!-- pointers (ref/ptr/noteref) by the local id they target -->
  <xsl:key name="tk:pointer" match="tei:ref[@target] | tei:ptr[@target]"
      use="for $t in tokenize(@target, '\s+') return substring-after($t, '#')[. != '']"/>

  <!-- ============ blocks ============ -->
  <!-- elements that are blocks wherever they stand -->
  <xsl:variable name="tk:always-block" as="xs:string*" select="(
      'p','ab','div','div1','div2','div3','div4','div5','div6','div7','lg','l','list','table','row',
      'floatingText','sp','opener','closer','dateline','postscript','head','trailer','epigraph',
      'byline','titlePage','docTitle','figure','castList','argument','listPerson','listPlace',
      'listOrg','listBibl','listEvent','group','text','body','front','back','spGroup','u','listNym',
      'msDesc','listWit','address','lg1','listRelation','entry','entryFree','superEntry','sense','re',
      'msContents','msItem','physDesc','history','additional','msPart','msFrag','castGroup','set')"/>
  <!-- elements that are blocks when their parent is a container, inline inside a paragraph -->
  <xsl:variable name="tk:semi-block" as="xs:string*" select="(
      'quote','q','said','cit','salute','signed','label','stage','bibl','biblStruct','person','place',
      'org','event','speaker','addrLine','docAuthor','docImprint','docDate','titlePart','fw','graphic',
      'item','figDesc','castItem','nym','witness','milestone','ellipsis','desc','table','cell')"/>
  <!-- elements whose children are laid out as blocks -->
  <xsl:variable name="tk:containers" as="xs:string*" select="(
      'div','div1','div2','div3','div4','div5','div6','div7','body','front','back','text','group',
      'floatingText','opener','closer','postscript','sp','lg','list','listPerson','listPlace',
      'listOrg','listBibl','listEvent','listNym','listWit','figure','titlePage','docTitle','epigraph',
      'argument','castList','address','spGroup','lg1','TEI','castGroup')"/>

  <!-- Is this node rendered as a block?  (It is one, stands in a container, or holds a block.)
       A quotation among the container's own words is inline: "<q>yes</q>." keeps its full stop. -->
  <xsl:function name="tk:is-block" as="xs:boolean">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="$n instance of element() and not(local-name($n) = 'note' and map:contains($tk:note-seq, generate-id($n)))
        and (local-name($n) = $tk:always-block
             or (local-name($n) = $tk:semi-block and local-name($n/..) = $tk:containers
                 and not(local-name($n) = ('q', 'quote', 'said', 'cit') and $n/../text()[normalize-space()]))
             or (some $d in $n//*[local-name() = $tk:always-block] satisfies empty($d/ancestor::tei:note[map:contains($tk:note-seq, generate-id())] except $n/ancestor-or-self::tei:note)))"/>
  </xsl:function>

  <!-- Does an inline element need a space before it?  It follows another element directly, in element-only
       content that is not a word's parts (expan, choice, w, app, ...). -->
  <xsl:variable name="tk:word-level" as="xs:string*" select="('expan','choice','subst','w','app','rdgGrp','lem','rdg','abbr','ex','am','seg',
      'hi','g','c','pc','orig','reg','corr','sic','mod','restore','supplied','unclear','add','del','damage','num','surplus','m','emph','foreign','term')"/>
  <xsl:function name="tk:needs-space" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e/preceding-sibling::node()[1][self::*]) and not($e/../text()[normalize-space()])
        and not(local-name($e/..) = $tk:word-level) and not(local-name($e) = ('lb', 'pb', 'cb', 'milestone', 'anchor', 'note', 'ptr'))
        and not($e/preceding-sibling::*[1][self::tei:lb or self::tei:pb or self::tei:cb or self::tei:note])
        and not(tk:is-block($e)) and not(tk:is-block($e/preceding-sibling::*[1]))"/>
  </xsl:function>

  <!-- ============ choice ============ -->
  <xsl:function name="tk:chosen" as="node()*">
    <xsl:param name="choice" as="element()"/>
    <xsl:variable name="kids" select="$choice/*"/>
    <xsl:variable name="pick" select="(for $p in $tk:choice-prefs return $kids[local-name() = $p])[1]"/>
    <xsl:sequence select="if ($pick) then $pick else $kids[1]"/>
  </xsl:function>

  <!-- ============ notes ============ -->
  <!-- notes in the order they are called: by a pointer (ref/ptr target="#id") or where they stand -->
  <xsl:variable name="tk:note-callers" as="element()*"
      select="$tk:root/tei:text//(tei:note[empty(tk:note-pointers(.))] | tei:ref[@target] | tei:ptr[@target])"/>
  <xsl:variable name="tk:notes" as="element()*" select="tk:distinct-nodes((
      for $c in $tk:note-callers return (if ($c/self::tei:note) then $c else tk:pointed-note($c)),
      $tk:root/tei:text//tei:note))"/>
  <xsl:function name="tk:distinct-nodes" as="node()*">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="ids" select="$nodes ! generate-id()"/>
    <xsl:sequence select="for $i in 1 to count($nodes) return $nodes[$i][index-of($ids, $ids[$i])[1] = $i]"/>
  </xsl:function>
  <xsl:variable name="tk:note-seq" as="map(xs:string, xs:integer)"
      select="map:merge(for $i in 1 to count($tk:notes) return map{generate-id($tk:notes[$i]): $i})"/>

  <!-- the running number of a note -->
  <xsl:function name="tk:note-number" as="xs:integer">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="$tk:note-seq(generate-id($note))"/>
  </xsl:function>
  <!-- the label shown for a note: its @n when it has one, else its number -->
  <xsl:function name="tk:note-label" as="xs:string">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="if (normalize-space($note/@n)) then normalize-space($note/@n) else string(tk:note-number($note))"/>
  </xsl:function>
  <xsl:function name="tk:note-id" as="xs:string">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="if ($note/@xml:id and tk:first-with-id($note)) then string($note/@xml:id) else 'tk-note-' || tk:note-number($note)"/>
  </xsl:function>
  <xsl:function name="tk:noteref-id" as="xs:string">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="'tk-noteref-' || tk:note-number($note)"/>
  </xsl:function>
  <!-- the pointers that call a note (ref/ptr target="#id"); empty for a note standing in place -->
  <xsl:function name="tk:note-pointers" as="element()*">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="if ($note/@xml:id) then key('tk:pointer', string($note/@xml:id), root($note)) else ()"/>
  </xsl:function>
  <!-- the note a pointer calls, if any -->
  <xsl:function name="tk:pointed-note" as="element()?">
    <xsl:param name="ptr" as="element()"/>
    <xsl:variable name="id" select="substring-after(tokenize(normalize-space($ptr/@target), ' ')[1], '#')"/>
    <xsl:sequence select="if ($id) then key('tk:id', $id, root($ptr))[1][self::tei:note][ancestor::tei:text] else ()"/>
  </xsl:function>
  <!-- Is this pointer the first one calling its note (it carries the back-link target)? -->
  <xsl:function name="tk:first-pointer" as="xs:boolean">
    <xsl:param name="ptr" as="element()"/>
    <xsl:variable name="note" select="tk:pointed-note($ptr)"/>
    <xsl:sequence select="exists($note) and tk:note-pointers($note)[1] is $ptr"/>
  </xsl:function>
  <!-- divisions that only hold notes are rendered as the endnotes, not in place -->
  <xsl:function name="tk:notes-only" as="xs:boolean">
    <xsl:param name="div" as="element()"/>
    <xsl:sequence select="exists($div//tei:note) and empty($div/node()[not(self::tei:note or self::tei:head or self::text()[not(normalize-space())] or self::comment() or self::processing-instruction())]
        [not(self::tei:div and tk:notes-only(.))])"/>
  </xsl:function>

  <!-- where a note is called: its first pointer, or itself -->
  <xsl:function name="tk:note-caller" as="element()">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="(tk:note-pointers($note)[1], $note)[1]"/>
  </xsl:function>
  <!-- with notes=footnotes: the top-level divisions that list their own notes at their end -->
  <xsl:variable name="tk:note-sections" as="element()*" select="if ($notes = 'footnotes')
      then $tk:root/tei:text/(tei:front | tei:body | tei:back)/*[matches(local-name(), '^div\d?$')][not(tk:notes-only(.))] else ()"/>
  <xsl:function name="tk:section-notes" as="element()*">
    <xsl:param name="section" as="element()"/>
    <xsl:sequence select="$tk:notes[some $a in tk:note-caller(.)/ancestor::* satisfies $a is $section]"/>
  </xsl:function>
  <!-- the notes listed at the end of the document -->
  <xsl:variable name="tk:end-notes" as="element()*"
      select="let $placed := (for $s in $tk:note-sections return tk:section-notes($s))
              return for $n in $tk:notes return $n[not(some $p in $placed satisfies $p is $n)]"/>

  <!-- the heading of the endnotes: the heads of the notes-only divisions (which are not rendered in place), or "Notes" -->
  <xsl:variable name="tk:notes-heading" as="xs:string"
      select="(string-join(distinct-values($tk:root/tei:text//*[matches(local-name(), '^div\d?$')][tei:head][tk:notes-only(.)]
          [not(ancestor::*[matches(local-name(), '^div\d?$')][tk:notes-only(.)])]/tei:head/normalize-space()[. != '']), ' / ')[. != ''], tk:msg('notes'))[1]"/>

  <!-- ============ pages ============ -->
  <xsl:variable name="tk:pbs" as="element()*" select="$tk:root/tei:text//tei:pb"/>
  <xsl:variable name="tk:pb-seq" as="map(xs:string, xs:integer)"
      select="map:merge(for $i in 1 to count($tk:pbs) return map{generate-id($tk:pbs[$i]): $i})"/>
  <xsl:function name="tk:page-number" as="xs:integer">
    <xsl:param name="pb" as="element()"/>
    <xsl:sequence select="($tk:pb-seq(generate-id($pb)), 0)[1]"/>
  </xsl:function>
  <!-- the anchor of a page break (the EPUB page-list points to it) -->
  <xsl:function name="tk:page-id" as="xs:string">
    <xsl:param name="pb" as="element()"/>
    <xsl:sequence select="if ($pb/@xml:id and tk:first-with-id($pb) and not(starts-with($pb/@xml:id, 'tk-'))) then string($pb/@xml:id)
        else 'tk-page-' || tk:page-number($pb)"/>
  </xsl:function>

  <!-- ============ ids ============ -->
  <!-- a stable generated id: PREFIX-N, N the element's place among $all (never generate-id(), which
       depends on how many documents the process has seen) -->
  <xsl:function name="tk:index-map" as="map(xs:string, xs:integer)">
    <xsl:param name="all" as="element()*"/>
    <xsl:sequence select="map:merge(for $i in 1 to count($all) return map{generate-id($all[$i]): $i})"/>
  </xsl:function>
  <xsl:function name="tk:first-with-id" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="key('tk:id', string($e/@xml:id), root($e))[1] is $e"/>
  </xsl:function>

  <!-- ============ names and the register ============ -->
  <xsl:variable name="tk:name-elements" as="xs:string*" select="('persName','placeName','orgName','name','rs')"/>
  <xsl:variable name="tk:mentions" as="element()*"
      select="$tk:root/tei:text//*[local-name() = $tk:name-elements][namespace-uri() = 'http://www.tei-c.org/ns/1.0'][@ref]"/>
  <xsl:variable name="tk:mention-seq" as="map(xs:string, xs:integer)"
      select="map:merge(for $i in 1 to count($tk:mentions) return map{generate-id($tk:mentions[$i]): $i})"/>
  <!-- the anchor id of a name in the text (the register links back to it) -->
  <xsl:function name="tk:mention-id" as="xs:string?">
    <xsl:param name="name" as="element()"/>
    <xsl:sequence select="for $i in $tk:mention-seq(generate-id($name)) return 'tk-m' || $i"/>
  </xsl:function>
  <!-- the register id a @ref names: "register.xml#pers.x", "#pers.x" or "pers.x" -->
  <xsl:function name="tk:ref-id" as="xs:string?">
    <xsl:param name="ref" as="xs:string?"/>
    <xsl:variable name="first" select="tokenize(normalize-space($ref), ' ')[1]"/>
    <xsl:sequence select="if (contains($first, '#')) then substring-after($first, '#')[. != '']
        else if (matches($first, '^[\i-[:]][\c-[:]]*$')) then $first else ()"/>
  </xsl:function>
  <!-- the register entry a name points to, if the register has it -->
  <xsl:function name="tk:register-entry" as="element()?">
    <xsl:param name="name" as="element()"/>
    <xsl:variable name="id" select="tk:ref-id($name/@ref)"/>
    <xsl:sequence select="if ($id and exists($register)) then key('tk:id', $id, root($register))[1] else ()"/>
  </xsl:function>
  <!-- where a name links to: the register page, an entry in this document, an outside URL, or () -->
  <xsl:function name="tk:name-href" as="xs:string?">
    <xsl:param name="name" as="element()"/>
    <xsl:variable name="id" select="tk:ref-id($name/@ref)"/>
    <xsl:variable name="first" select="tokenize(normalize-space($name/@ref), ' ')[1]"/>
    <xsl:sequence select="
        if (exists(tk:register-entry($name))) then tk:register-page($id) || '#' || $id
        else if ($id and key('tk:id', $id, root($name))[not(ancestor::tei:teiHeader)]) then '#' || $id
        else if (matches($first, '^https?://[^\s&lt;&gt;&quot;{}|\\^`]+$')) then $first
        else ()"/>
  </xsl:function>
  <!-- the child naming a register entry -->
  <xsl:function name="tk:entry-name" as="element()?">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="($entry/(tei:persName, tei:placeName, tei:orgName, tei:name, tei:title, tei:head, tei:label, tei:term, tei:eventName))[1]"/>
  </xsl:function>
  <!-- a one-line label for a register entry: its first name-like child -->
  <xsl:function name="tk:entry-label" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="n" select="tk:entry-name($entry)"/>
    <xsl:sequence select="normalize-space(if ($n) then string-join($n//text()[not(ancestor::tei:note)], '') else string($entry/@xml:id))"/>
  </xsl:function>

  <!-- the title once: a first heading that says only what the title block says -->
  <xsl:function name="tk:same-title" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="lower-case(replace(normalize-space($s), '[\s\p{P}]+', ' ')) => normalize-space()"/>
  </xsl:function>
  <xsl:variable name="tk:title-repeat" as="element()?" select="
      let $t := tk:same-title(tk:title($tk:root)),
          $first := ($tk:root/tei:text/tei:front/tei:titlePage/tei:docTitle, $tk:root/tei:text/tei:front/tei:head,
                     $tk:root/tei:text/tei:body/tei:head, $tk:root/tei:text/tei:body/*[1][matches(local-name(), '^div\d?$')]/tei:head[1])[1]
      return $first[tk:same-title(string-join(.//text()[not(ancestor::tei:note)], ' ')) = $t][not(.//tei:note)]"/>

  <!-- ============ header ============ -->
  <xsl:function name="tk:title" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="ts" select="$tei/tei:teiHeader/tei:fileDesc/tei:titleStmt"/>
    <xsl:variable name="t" select="($ts/tei:title[@type = 'main'], $ts/tei:title[@level = 'a'],
        $ts/tei:title[not(@type = ('sub', 'alt', 'short', 'desc', 'iso-date')) and not(@level = 's')], $ts/tei:title)[normalize-space()][1]"/>
    <xsl:sequence select="if ($t) then normalize-space(string-join($t//text()[not(ancestor::tei:note)], ''))
        else if (normalize-space(($tei//tei:text//tei:head)[1])) then normalize-space(($tei//tei:text//tei:head)[1])
        else string(($tei/@xml:id, 'Untitled')[1])"/>
  </xsl:function>
  <xsl:function name="tk:subtitle" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="($tei/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[@type = 'sub'])[1]/normalize-space()"/>
  </xsl:function>
  <xsl:function name="tk:authors" as="xs:string*">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="$tei/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:author[not(@role = 'translator')]/tk:display-name(.)[. != '']"/>
  </xsl:function>
  <!-- a person's name in display order: forenames before the surname; "Surname, Forename (dates)" turned round -->
  <xsl:function name="tk:display-name" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="pn" select="($e/descendant-or-self::tei:persName[tei:surname], $e[tei:surname])[1]"/>
    <xsl:choose>
      <xsl:when test="$pn">
        <xsl:variable name="parts" select="$pn/*[not(self::tei:note)]"/>
        <xsl:variable name="before" select="$parts[self::tei:roleName or self::tei:forename or self::tei:nameLink[following-sibling::tei:surname]]"/>
        <xsl:sequence select="normalize-space(string-join((($before, $parts except $before)[normalize-space()] ! normalize-space(),
            $e/tei:date ! ('(' || normalize-space() || ')')), ' '))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="s" select="normalize-space(string-join($e//text()[not(ancestor::tei:note)], ''))"/>
        <xsl:sequence select="if (matches($s, '^[^,()]+,\s*[^,()\d]+(\s*\([^()]*\))?$') and not(matches($s, ',\s*(Jr|Sr|jun|sen)\.?', 'i')))
            then replace($s, '^([^,()]+),\s*([^,()]+?)\s*(\([^()]*\))?$', '$2 $1 $3') => normalize-space() else $s"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>
  <xsl:function name="tk:translators" as="xs:string*">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="ts" select="$tei/tei:teiHeader/tei:fileDesc/tei:titleStmt"/>
    <xsl:sequence select="distinct-values((
        $ts/(tei:editor | tei:author)[@role = ('translator', 'trl')],
        $ts/tei:respStmt[tei:resp/@key = 'trl' or tei:resp[matches(normalize-space(), '^(translat|übersetz|übertrag|trad)', 'i')]]/(tei:persName | tei:name | tei:orgName)
      )/tk:display-name(.)[. != ''])"/>
  </xsl:function>
  <xsl:function name="tk:source" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="sd" select="$tei/tei:teiHeader/tei:fileDesc/tei:sourceDesc"/>
    <xsl:variable name="b" select="($sd/(tei:bibl | tei:biblStruct | tei:biblFull | tei:listBibl/tei:bibl | tei:p | tei:msDesc/tei:msIdentifier, .//tei:msIdentifier))[normalize-space()][1]"/>
    <xsl:sequence select="if ($b) then tk:cite($b) else ()"/>
  </xsl:function>
  <xsl:function name="tk:licence" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="av" select="$tei/tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:availability"/>
    <xsl:variable name="l" select="($av/tei:licence)[1]"/>
    <xsl:sequence select="if ($l and normalize-space($l/(tei:p[1], .)[1]) and not(string-length(tk:join-text($l/(tei:p[1], .)[1])) gt 250 and $l/@target))
          then tk:join-text($l/(tei:p[1], .)[1])
        else if ($l/@target) then normalize-space($l/@target)
        else if ($av[normalize-space()]) then tk:join-text(($av[normalize-space()])[1]/(tei:p[1], .)[1]) else ()"/>
  </xsl:function>
  <xsl:function name="tk:licence-url" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="($tei/tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:availability/tei:licence/@target)[1]
        [matches(., '^https?://\S+$')]/string()"/>
  </xsl:function>
  <!-- the text of header markup, with its parts separated by ", " where elements meet without space -->
  <xsl:function name="tk:join-text" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="normalize-space(replace(string-join($e//text()[not(ancestor::tei:note)], ' '), '\s+([,.;:])', '$1'))"/>
  </xsl:function>
  <!-- a citation: mixed content as written; element-only content joined with ", " -->
  <xsl:function name="tk:cite" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="
        if ($e/text()[normalize-space()] or empty($e/*)) then tk:join-text($e)
        else if ($e/self::tei:respStmt) then string-join(($e/tei:resp, $e/* except $e/tei:resp) ! normalize-space(), ' ')
        else string-join($e/*[not(self::tei:note)][normalize-space()] ! tk:cite(.), ', ')"/>
  </xsl:function>

  <!-- the document's language: xml:lang on TEI or text, else the first langUsage language -->
  <xsl:function name="tk:lang" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="l" select="($tei/@xml:lang, $tei/tei:text/@xml:lang,
        $tei/tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language/@ident)[normalize-space()][1]"/>
    <xsl:sequence select="if ($l) then tk:bcp47(string($l))[. != ''] else ()"/>
  </xsl:function>
  <!-- ISO 639-2 codes as used by ELTeC (eng, deu) to the shortest BCP 47 form -->
  <xsl:function name="tk:bcp47" as="xs:string">
    <xsl:param name="l" as="xs:string"/>
    <xsl:sequence select="if (map:contains($tk:lang-map, $l)) then string($tk:lang-map($l)) else tk:bcp47-guess($l)"/>
  </xsl:function>
  <xsl:function name="tk:bcp47-guess" as="xs:string">
    <xsl:param name="l" as="xs:string"/>
    <xsl:variable name="m" select="map{'eng':'en','deu':'de','ger':'de','fra':'fr','fre':'fr','ita':'it','spa':'es','por':'pt','rus':'ru','pol':'pl','ces':'cs','cze':'cs','hun':'hu','nld':'nl','dut':'nl','swe':'sv','nor':'no','lat':'la','grc':'grc','slv':'sl','srp':'sr','hrv':'hr','ron':'ro','rum':'ro','gre':'el','ell':'el','ukr':'uk','lit':'lt','fin':'fi','dan':'da'}"/>
    <xsl:variable name="norm" select="normalize-space($l)"/>
    <xsl:variable name="l" select="if (map:contains($m, lower-case($norm))) then $m(lower-case($norm)) else $norm"/>
    <xsl:variable name="primary" select="lower-case(tokenize($l, '-')[1])"/>
    <xsl:sequence select="if (not(matches($l, '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$'))) then ''
        else if (string-length($primary) = 2 and not($primary = $tk:iso639-1)) then ''
        else $l"/>
  </xsl:function>

  <xsl:variable name="tk:iso639-1" as="xs:string*" select="tokenize('aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu', ' ')"/>

  <!-- a class token for an element: tei-NAME -->
  <xsl:function name="tk:class" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="'tei-' || local-name($e)"/>
  </xsl:function>
</xsl:stylesheet>

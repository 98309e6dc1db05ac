<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit messages: every label the outputs print, in English, German,
  French, Italian, Spanish, Latin and Dutch.  tk:msg($key) gives the label
  in the document's language ($tk:ui-lang: the primary subtag of its
  xml:lang), else English.  One table: a label is added here, nowhere else.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tk="urn:teikit"
    exclude-result-prefixes="#all">

  <xsl:variable name="tk:messages" as="element()*">
    <!--      key                      en                         de                          fr                            it                            es                           la                        nl -->
    <m k="notes"            en="Notes"                de="Anmerkungen"          fr="Notes"                 it="Note"                  es="Notas"                 la="Notae"               nl="Noten"/>
    <m k="contents"         en="Contents"             de="Inhalt"               fr="Sommaire"              it="Indice"                es="Índice"                la="Index"               nl="Inhoud"/>
    <m k="register"         en="Register"             de="Register"             fr="Index"                 it="Indice dei nomi"       es="Índice de nombres"     la="Index nominum"       nl="Register"/>
    <m k="register-of-names" en="Register of names"   de="Namensregister"       fr="Index des noms"        it="Indice dei nomi"       es="Índice de nombres"     la="Index nominum"       nl="Namenregister"/>
    <m k="page"             en="page"                 de="Seite"                fr="page"                  it="pagina"                es="página"                la="pagina"              nl="pagina"/>
    <m k="page-short"       en="p."                   de="S."                   fr="p."                    it="p."                    es="p."                    la="p."                  nl="p."/>
    <m k="column"           en="col."                 de="Sp."                  fr="col."                  it="col."                  es="col."                  la="col."                nl="kol."/>
    <m k="pages"            en="Pages"                de="Seiten"               fr="Pages"                 it="Pagine"                es="Páginas"               la="Paginae"             nl="Pagina's"/>
    <m k="by"               en="by"                   de="von"                  fr="par"                   it="di"                    es="por"                   la="auctore"             nl="door"/>
    <m k="translated-by"    en="Translated by"        de="Übersetzt von"        fr="Traduit par"           it="Tradotto da"           es="Traducido por"         la="Interprete"          nl="Vertaald door"/>
    <m k="source"           en="Source"               de="Quelle"               fr="Source"                it="Fonte"                 es="Fuente"                la="Fons"                nl="Bron"/>
    <m k="licence"          en="Licence"              de="Lizenz"               fr="Licence"               it="Licenza"               es="Licencia"              la="Licentia"            nl="Licentie"/>
    <m k="back-to-reference" en="Back to reference"   de="Zurück zur Stelle"    fr="Retour à l’appel"      it="Torna al richiamo"     es="Volver a la llamada"   la="Ad locum redi"       nl="Terug naar verwijzing"/>
    <m k="mentioned-in"     en="Mentioned in"         de="Erwähnt in"           fr="Mentionné dans"        it="Menzionato in"         es="Mencionado en"         la="Memoratur in"        nl="Genoemd in"/>
    <m k="mention"          en="mention"              de="Erwähnung"            fr="mention"               it="menzione"              es="mención"               la="locus"               nl="vermelding"/>
    <m k="listPerson"       en="Persons"              de="Personen"             fr="Personnes"             it="Persone"               es="Personas"              la="Personae"            nl="Personen"/>
    <m k="listPlace"        en="Places"               de="Orte"                 fr="Lieux"                 it="Luoghi"                es="Lugares"               la="Loca"                nl="Plaatsen"/>
    <m k="listOrg"          en="Organisations"        de="Institutionen"        fr="Organisations"         it="Organizzazioni"        es="Organizaciones"        la="Societates"          nl="Organisaties"/>
    <m k="listEvent"        en="Events"               de="Ereignisse"           fr="Événements"            it="Eventi"                es="Acontecimientos"       la="Res gestae"          nl="Gebeurtenissen"/>
    <m k="listBibl"         en="Works"                de="Werke"                fr="Œuvres"                it="Opere"                 es="Obras"                 la="Opera"               nl="Werken"/>
    <m k="listNym"          en="Names"                de="Namen"                fr="Noms"                  it="Nomi"                  es="Nombres"               la="Nomina"              nl="Namen"/>
    <m k="listObject"       en="Objects"              de="Objekte"              fr="Objets"                it="Oggetti"               es="Objetos"               la="Res"                 nl="Objecten"/>
    <m k="also"             en="Also"                 de="Auch"                 fr="Aussi"                 it="Anche"                 es="También"               la="Etiam"               nl="Ook"/>
    <m k="born"             en="born"                 de="geboren"              fr="né(e)"                 it="nato/a"                es="nacido/a"              la="natus"               nl="geboren"/>
    <m k="died"             en="died"                 de="gestorben"            fr="mort(e)"               it="morto/a"               es="muerto/a"              la="mortuus"             nl="overleden"/>
    <m k="filter"           en="Filter entries"       de="Einträge filtern"     fr="Filtrer les entrées"   it="Filtra le voci"        es="Filtrar entradas"      la="Quaere"              nl="Items filteren"/>
    <m k="entries"          en="entries"              de="Einträge"             fr="entrées"               it="voci"                  es="entradas"              la="lemmata"             nl="items"/>
    <m k="index"            en="Index"                de="Verzeichnis"          fr="Index"                 it="Indice"                es="Índice"                la="Index"               nl="Index"/>
    <m k="cast"             en="Cast"                 de="Personen"             fr="Personnages"           it="Personaggi"            es="Personajes"            la="Personae"            nl="Personages"/>
    <m k="apparatus"        en="Apparatus"            de="Apparat"              fr="Apparat critique"      it="Apparato"              es="Aparato crítico"       la="Apparatus criticus"  nl="Apparaat"/>
    <m k="witnesses"        en="Witnesses"            de="Textzeugen"           fr="Témoins"               it="Testimoni"             es="Testimonios"           la="Conspectus siglorum" nl="Getuigen"/>
    <m k="omitted"          en="om."                  de="om."                  fr="om."                   it="om."                   es="om."                   la="om."                 nl="om."/>
    <m k="signs"            en="Editorial signs"      de="Zeichen der Edition"  fr="Signes éditoriaux"     it="Segni editoriali"      es="Signos editoriales"    la="Signa editoris"      nl="Editietekens"/>
    <m k="sign-del"         en="deleted in the source" de="in der Vorlage gestrichen" fr="biffé dans la source" it="cancellato nella fonte" es="tachado en la fuente" la="deletum"          nl="doorgehaald in de bron"/>
    <m k="sign-add"         en="added in the source"  de="in der Vorlage ergänzt" fr="ajouté dans la source" it="aggiunto nella fonte"  es="añadido en la fuente"  la="additum"             nl="toegevoegd in de bron"/>
    <m k="sign-supplied"    en="supplied by the editor" de="vom Herausgeber ergänzt" fr="restitué par l’éditeur" it="integrato dall’editore" es="suplido por el editor" la="ab editore suppletum" nl="aangevuld door de editor"/>
    <m k="sign-unclear"     en="unclear reading"      de="unsichere Lesung"     fr="lecture incertaine"    it="lettura incerta"       es="lectura dudosa"        la="lectio incerta"      nl="onzekere lezing"/>
    <m k="sign-gap"         en="omitted or illegible" de="ausgelassen oder unleserlich" fr="omis ou illisible" it="omesso o illeggibile" es="omitido o ilegible" la="omissum vel illegibile" nl="weggelaten of onleesbaar"/>
    <m k="sign-damage"      en="damaged in the source" de="in der Vorlage beschädigt" fr="endommagé dans la source" it="danneggiato nella fonte" es="dañado en la fuente" la="laesum"          nl="beschadigd in de bron"/>
    <m k="sign-sic"         en="so in the source"     de="so in der Vorlage"    fr="ainsi dans la source"  it="così nella fonte"      es="así en la fuente"      la="sic"                 nl="zo in de bron"/>
    <m k="identifier"       en="Identification"       de="Identifikation"       fr="Identification"        it="Identificazione"       es="Identificación"        la="Signatura"           nl="Identificatie"/>
    <m k="msContents"       en="Contents"             de="Inhalt"               fr="Contenu"               it="Contenuto"             es="Contenido"             la="Argumentum"          nl="Inhoud"/>
    <m k="physDesc"         en="Physical description" de="Äußere Beschreibung"  fr="Description matérielle" it="Descrizione esterna"  es="Descripción física"    la="Descriptio externa"  nl="Fysieke beschrijving"/>
    <m k="history"          en="History"              de="Geschichte"           fr="Historique"            it="Storia"                es="Historia"              la="Historia"            nl="Geschiedenis"/>
    <m k="additional"       en="Further information"  de="Weitere Angaben"      fr="Informations complémentaires" it="Informazioni aggiuntive" es="Información adicional" la="Addenda"     nl="Aanvullende gegevens"/>
    <m k="msPart"           en="Part"                 de="Teil"                 fr="Partie"                it="Parte"                 es="Parte"                 la="Pars"                nl="Deel"/>
    <m k="msdesc"           en="Manuscript description" de="Handschriftenbeschreibung" fr="Description du manuscrit" it="Descrizione del manoscritto" es="Descripción del manuscrito" la="Descriptio codicis" nl="Handschriftbeschrijving"/>
    <m k="manuscripts"      en="Manuscripts"          de="Handschriften"        fr="Manuscrits"            it="Manoscritti"           es="Manuscritos"           la="Codices"             nl="Handschriften"/>
    <m k="incipit"          en="Inc."                 de="Inc."                 fr="Inc."                  it="Inc."                  es="Inc."                  la="Inc."                nl="Inc."/>
    <m k="explicit"         en="Expl."                de="Expl."                fr="Expl."                 it="Expl."                 es="Expl."                 la="Expl."               nl="Expl."/>
    <m k="etym"             en="Etymology"            de="Herkunft"             fr="Étymologie"            it="Etimologia"            es="Etimología"            la="Etymologia"          nl="Etymologie"/>
    <m k="see"              en="see"                  de="siehe"                fr="voir"                  it="vedi"                  es="véase"                 la="vide"                nl="zie"/>
    <m k="edition"          en="Edition"              de="Edition"              fr="Édition"               it="Edizione"              es="Edición"               la="Editio"              nl="Editie"/>
    <m k="translation"      en="Translation"          de="Übersetzung"          fr="Traduction"            it="Traduzione"            es="Traducción"            la="Versio"              nl="Vertaling"/>
    <m k="commentary"       en="Commentary"           de="Kommentar"            fr="Commentaire"           it="Commento"              es="Comentario"            la="Commentarius"        nl="Commentaar"/>
    <m k="bibliography"     en="Bibliography"         de="Bibliographie"        fr="Bibliographie"         it="Bibliografia"          es="Bibliografía"          la="Bibliographia"       nl="Bibliografie"/>
    <m k="apparatus-div"    en="Apparatus"            de="Apparat"              fr="Apparat"               it="Apparato"              es="Aparato"               la="Apparatus"           nl="Apparaat"/>
    <m k="facsimile"        en="Facsimile"            de="Faksimile"            fr="Fac-similé"            it="Facsimile"             es="Facsímil"              la="Imago"               nl="Facsimile"/>
    <m k="transcription"    en="Diplomatic transcription" de="Diplomatische Umschrift" fr="Transcription diplomatique" it="Trascrizione diplomatica" es="Transcripción diplomática" la="Transcriptio" nl="Diplomatische transcriptie"/>
    <m k="image"            en="Image"                de="Abbildung"            fr="Image"                 it="Immagine"              es="Imagen"                la="Imago"               nl="Afbeelding"/>
    <m k="line"             en="line"                 de="Zeile"                fr="ligne"                 it="riga"                  es="línea"                 la="linea"               nl="regel"/>
    <m k="edition-nav"      en="Edition"              de="Edition"              fr="Édition"               it="Edizione"              es="Edición"               la="Editio"              nl="Editie"/>
    <m k="plain-text"       en="plain text"           de="Text"                 fr="texte brut"            it="testo semplice"        es="texto plano"           la="textus"              nl="platte tekst"/>
  </xsl:variable>

  <!-- the language the labels are given in: the document's primary language subtag -->
  <xsl:function name="tk:ui-lang" as="xs:string">
    <xsl:param name="lang" as="xs:string?"/>
    <xsl:variable name="p" select="lower-case(tokenize(string($lang), '-')[1])"/>
    <xsl:sequence select="if ($p = ('en', 'de', 'fr', 'it', 'es', 'la', 'nl')) then $p else 'en'"/>
  </xsl:function>

  <!-- a label in the given language -->
  <xsl:function name="tk:msg" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="lang" as="xs:string"/>
    <xsl:variable name="m" select="$tk:messages[@k = $key]"/>
    <xsl:sequence select="if (empty($m)) then error(xs:QName('tk:msg'), 'teikit: no message ' || $key)
        else string(($m/@*[local-name() = $lang], $m/@en)[1])"/>
  </xsl:function>
</xsl:stylesheet>

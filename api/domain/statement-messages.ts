import type { Bilingual } from './messages.js'

/**
 * The accessibility statement (toegankelijkheidsverklaring) at /toegankelijkheid, in plain Dutch
 * and English, following the parts of the Dutch model statement (DigiToegankelijk's
 * modelverklaring): what it covers, its status, what was tested and how, the known limits and
 * their alternatives, how to give feedback, the enforcement route, and its date. Part of the
 * one message catalogue (see `messages.ts`). When the tests or the app change, change this text
 * and STATEMENT_DATE with them.
 */

/** The day the statement was drawn up and last checked against the tests (ISO date). */
export const STATEMENT_DATE = '2026-12-06'

/** One section: a heading and paragraphs or list items. */
export interface StatementSection {
  readonly id: string
  readonly title: Bilingual
  readonly paragraphs?: readonly Bilingual[]
  readonly items?: readonly Bilingual[]
}

export const STATEMENT = {
  title: { nl: 'Toegankelijkheidsverklaring', en: 'Accessibility statement' },
  /** The page's heading: the long Dutch word may break, with a hyphen, on a phone (U+00AD). */
  heading: { nl: 'Toegankelijkheids\u00adverklaring', en: 'Accessibility statement' },
  skip: { nl: 'Naar de inhoud', en: 'Skip to the content' },
  back: { nl: 'Terug naar de kaart', en: 'Back to the map' },
  siteNav: { nl: 'Buurtkaart', en: 'Buurtkaart' },
  contents: { nl: 'Inhoud van deze verklaring', en: 'Contents of this statement' },
  /** `site`: the public address (BUURTKAART_PUBLIC_URL), or null for "this website". */
  intro: (site: string | null): Bilingual => ({
    nl: `Iedereen moet Buurtkaart kunnen gebruiken: met een muis, alleen met het toetsenbord, met een schermlezer of vergroting, op een telefoon en aan een bureau. Deze verklaring zegt hoe ver we daarmee zijn. Ze geldt voor de kaart, de formulieren en de rapporten van Buurtkaart op ${site ?? 'deze website'}.`,
    en: `Everyone should be able to use Buurtkaart: with a mouse, with the keyboard alone, with a screen reader or magnification, on a phone and at a desk. This statement says how far we are. It covers the map, the forms and the reports of Buurtkaart ${site ? `at ${site}` : 'on this website'}.`,
  }),
  sections: [
    {
      id: 'status',
      title: { nl: 'Status: eerste maatregelen genomen', en: 'Status: first measures taken' },
      paragraphs: [
        {
          nl: 'Buurtkaart wil voldoen aan de Web Content Accessibility Guidelines (WCAG) 2.1 op niveau AA, zoals de Europese norm EN 301 549 en het Besluit digitale toegankelijkheid overheid vragen. We toetsen dat zelf, bij elke wijziging (zie hieronder). Een onafhankelijk onderzoek volgens de WCAG-EM-methode is nog niet gedaan. Daarom is de status volgens het model van DigiToegankelijk: C, eerste maatregelen genomen.',
          en: 'Buurtkaart aims to meet the Web Content Accessibility Guidelines (WCAG) 2.1 at level AA, as the European standard EN 301 549 and the Dutch accessibility decree for government websites require. We test this ourselves with every change (see below). An independent evaluation following the WCAG-EM method has not been done yet. So the status in the DigiToegankelijk model is: C, first measures taken.',
        },
      ],
    },
    {
      id: 'getoetst',
      title: { nl: 'Wat is getoetst', en: 'What was tested' },
      items: [
        {
          nl: 'De eisen van WCAG 2.1, niveau A en AA (EN 301 549, hoofdstuk 9).',
          en: 'The requirements of WCAG 2.1, levels A and AA (EN 301 549, chapter 9).',
        },
        {
          nl: 'Alle schermen: de kaart, de onderdelen van het zijpaneel (Kaart, Gebied, Plek, Rapport), het formulier om een plek toe te voegen of te wijzigen, het nakijken van voorstellen, het rapport en deze verklaring.',
          en: 'Every screen: the map, the parts of the side panel (Map, Area, Place, Report), the form to add or change a place, reviewing proposals, the report and this statement.',
        },
        {
          nl: 'Op een telefoon (390 × 844 beeldpunten) en aan een bureau (1280 × 800), in het Nederlands en in het Engels.',
          en: 'On a phone (390 × 844 pixels) and at a desk (1280 × 800), in Dutch and in English.',
        },
      ],
    },
    {
      id: 'hoe',
      title: { nl: 'Hoe is getoetst', en: 'How it was tested' },
      items: [
        {
          nl: 'Automatisch: axe-core (@axe-core/playwright) in een echte Chromium-browser, op elk scherm en in elke toestand die de browsertests bereiken. Dat gebeurt bij elke wijziging van de software. Zo’n test vindt een deel van de problemen, niet alle.',
          en: 'Automatically: axe-core (@axe-core/playwright) in a real Chromium browser, on every screen and in every state the browser tests reach. This runs with every change to the software. Such a test finds some of the problems, not all.',
        },
        {
          nl: 'Met alleen het toetsenbord: de taken van de drie mensen voor wie Buurtkaart is gemaakt (een plek toevoegen, de afstand en de gaten in een gemeente bekijken, een rapport maken) worden in geautomatiseerde tests zonder muis gedaan.',
          en: 'With the keyboard alone: the tasks of the three people Buurtkaart is made for (adding a place, looking at distances and gaps in a municipality, making a report) are done without a mouse in automated tests.',
        },
        {
          nl: 'Met de hand: we hebben de drie taken doorlopen op 390 × 844 en 1280 × 800 beeldpunten en de schermafbeeldingen bekeken, ook met minder beweging (prefers-reduced-motion).',
          en: 'By hand: we walked through the three tasks at 390 × 844 and 1280 × 800 pixels and looked at the screenshots, also with reduced motion (prefers-reduced-motion).',
        },
      ],
    },
    {
      id: 'beperkingen',
      title: { nl: 'Wat nog niet goed werkt', en: 'Known limits' },
      items: [
        {
          nl: 'De kaart zelf is een tekening. Een schermlezer kan de kleuren van de zeshoeken en de plaats van de plekken niet voorlezen. Hetzelfde staat daarom ook in tekst: de tabel met cijfers per gebied, de lijst met gaten en de lijst "Plekken in beeld". Het rapport heeft dezelfde cijfers in tabellen.',
          en: 'The map itself is a drawing. A screen reader cannot read out the colours of the hexagons or where the places are. So the same is also given as text: the table of figures per area, the list of gaps and the list "Places in view". The report has the same figures in tables.',
        },
        {
          nl: 'Een nieuwe plek aanwijzen op de kaart vraagt een muis, een vinger of "Gebruik mijn locatie".',
          en: 'Pointing out a new place on the map needs a mouse, a finger or "Use my location".',
        },
        {
          nl: 'De achtergrondkaart (PDOK BRT-Achtergrondkaart) komt van het Kadaster. De kleuren en namen daarop kiezen wij niet.',
          en: 'The background map (PDOK BRT-Achtergrondkaart) comes from the Kadaster. We do not choose its colours and names.',
        },
        {
          nl: 'Het rapport als PDF is gemaakt door de browser, met koppen en tabellen, maar niet apart getoetst. Gebruik bij twijfel de webpagina van het rapport; die is getoetst.',
          en: 'The report as PDF is made by the browser, with headings and tables, but is not tested on its own. When in doubt, use the report’s web page, which is tested.',
        },
      ],
    },
  ] satisfies readonly StatementSection[],
  feedbackTitle: {
    nl: 'Iets werkt niet? Laat het ons weten',
    en: 'Something does not work? Tell us',
  },
  feedback: (contact: string | undefined): Bilingual =>
    contact
      ? {
          nl: `Lukt iets niet, of heeft u een vraag of idee over de toegankelijkheid? Neem contact op met de beheerder van deze kaart: ${contact}. Zeg welke pagina het is en wat er misgaat. U krijgt antwoord, en we zoeken samen naar een andere manier om u te helpen.`,
          en: `Is something not working, or do you have a question or idea about accessibility? Contact the organisation that runs this map: ${contact}. Say which page it is and what goes wrong. You will get an answer, and we will look for another way to help you.`,
        }
      : {
          nl: 'Lukt iets niet, of heeft u een vraag of idee over de toegankelijkheid? Neem contact op met de organisatie die deze kaart beheert (die u de link gaf). Zeg welke pagina het is en wat er misgaat.',
          en: 'Is something not working, or do you have a question or idea about accessibility? Contact the organisation that runs this map (who gave you the link). Say which page it is and what goes wrong.',
        },
  enforcementTitle: { nl: 'Geen antwoord of niet tevreden?', en: 'No answer, or not satisfied?' },
  enforcement: {
    nl: 'Wordt deze kaart beheerd door een overheidsorganisatie, en bent u niet tevreden over het antwoord of krijgt u geen antwoord? Dan kunt u terecht bij de Nationale ombudsman of bij de ombudsman van uw gemeente.',
    en: 'If this map is run by a government organisation and you are not satisfied with the answer, or you get no answer, you can turn to the National Ombudsman or to your municipality’s ombudsman.',
  },
  dateTitle: { nl: 'Datum', en: 'Date' },
  date: (day: string): Bilingual => ({
    nl: `Deze verklaring is opgesteld op ${day} en voor het laatst bijgewerkt op ${day}.`,
    en: `This statement was drawn up on ${day} and last updated on ${day}.`,
  }),
  otherLanguage: { nl: 'English', en: 'Nederlands' },
}

/**
 * What the API says to people, in plain Dutch (B1, the default) and English: one catalogue, so
 * a text lives in one place and the same problem reads the same wherever it happens. Entries
 * with parameters are functions; every text is built here, none at the call site. The printable
 * report's texts are in `report-messages.ts`; the web app keeps its own table in `web/src/i18n`.
 */

/** A message in both interface languages; Dutch is the default. */
export interface Bilingual {
  readonly nl: string
  readonly en: string
}

export type Lang = keyof Bilingual

/** What a problem document says: a short title and a sentence or two of detail. */
export interface ProblemText {
  readonly title: Bilingual
  readonly detail: Bilingual
}

const same = (text: string): Bilingual => ({ nl: text, en: text })

/** Titles that several problems share. */
const TITLE = {
  invalidInput: { nl: 'Ongeldige invoer', en: 'Invalid input' },
  alreadyExists: { nl: 'Bestaat al', en: 'Already exists' },
  deleted: { nl: 'Verwijderd', en: 'Deleted' },
  unreadableFile: { nl: 'Bestand niet te lezen', en: 'Unreadable file' },
  networkUnavailable: { nl: 'Netwerk niet beschikbaar', en: 'Network not available' },
  notFound: { nl: 'Niet gevonden', en: 'Not found' },
  notAllowed: { nl: 'Niet toegestaan', en: 'Not allowed' },
  slowDown: { nl: 'Even rustig aan', en: 'Slow down' },
  invalidParameter: { nl: 'Ongeldige parameter', en: 'Invalid parameter' },
} satisfies Record<string, Bilingual>

/** What a thing is called in "<thing> <id> does not exist". */
export const LABEL = {
  area: { nl: 'Gebied', en: 'Area' },
  asset: { nl: 'Plek', en: 'Asset' },
  collection: { nl: 'Collectie', en: 'Collection' },
  feature: { nl: 'Object', en: 'Feature' },
  proposal: { nl: 'Voorstel', en: 'Proposal' },
  scenario: { nl: 'Scenario', en: 'Scenario' },
  download: { nl: 'Download', en: 'Download' },
  report: { nl: 'Rapport', en: 'Report' },
  token: { nl: 'Token', en: 'Token' },
  user: { nl: 'Gebruiker', en: 'User' },
} satisfies Record<string, Bilingual>

/** What each role is called. */
export const ROLE_NAME = {
  contributor: { nl: 'bijdrager', en: 'contributor' },
  trusted: { nl: 'vertrouwde bijdrager', en: 'trusted contributor' },
  moderator: { nl: 'moderator', en: 'moderator' },
  admin: { nl: 'beheerder', en: 'administrator' },
} satisfies Record<string, Bilingual>

/** What the values of a place's enumerated fields are called (see `asset.ts`). */
export const VALUE_NAME = {
  wheelchair: {
    yes: { nl: 'Rolstoeltoegankelijk', en: 'Wheelchair accessible' },
    limited: { nl: 'Deels toegankelijk', en: 'Partly accessible' },
    no: { nl: 'Niet toegankelijk', en: 'Not accessible' },
    unknown: { nl: 'Onbekend', en: 'Unknown' },
  },
  status: {
    active: { nl: 'Open', en: 'Active' },
    planned: { nl: 'Gepland', en: 'Planned' },
    closed: { nl: 'Gesloten', en: 'Closed' },
  },
  location_precision: {
    exact: { nl: 'Precies', en: 'Exact' },
    street: { nl: 'Straat', en: 'Street' },
    district: { nl: 'Wijk', en: 'District' },
    town: { nl: 'Plaats', en: 'Town' },
  },
} satisfies Record<string, Record<string, Bilingual>>

/** One entry per problem: its title and its detail, with what to do about it. */
export const PROBLEM = {
  // General, used by the HTTP layer's error handling.
  invalidInput: (fieldCount: number): ProblemText => ({
    title: TITLE.invalidInput,
    detail: {
      nl:
        fieldCount === 1
          ? 'Eén veld is niet goed ingevuld.'
          : `${fieldCount} velden zijn niet goed ingevuld.`,
      en: fieldCount === 1 ? 'One field is not valid.' : `${fieldCount} fields are not valid.`,
    },
  }),
  invalidParameters: (names: string): ProblemText => ({
    title: TITLE.invalidParameter,
    detail: { nl: `Controleer: ${names}.`, en: `Check: ${names}.` },
  }),
  notFound: (what: Bilingual, id: string): ProblemText => ({
    title: TITLE.notFound,
    detail: { nl: `${what.nl} ${id} bestaat niet.`, en: `${what.en} ${id} does not exist.` },
  }),
  malformedJson: (why: string): ProblemText => ({
    title: { nl: 'Ongeldige JSON', en: 'Malformed JSON' },
    detail: {
      nl: `De body is geen geldige JSON (${why}).`,
      en: `The request body is not valid JSON (${why}).`,
    },
  }),
  payloadTooLarge: {
    title: { nl: 'Te groot', en: 'Too large' },
    detail: {
      nl: 'De body is groter dan toegestaan.',
      en: 'The request body is larger than allowed.',
    },
  },
  badRequest: (message: string): ProblemText => ({
    title: { nl: 'Ongeldig verzoek', en: 'Bad request' },
    detail: same(message),
  }),
  databaseUnavailable: (retryAfterS: number): ProblemText => ({
    title: { nl: 'Database tijdelijk niet bereikbaar', en: 'Database temporarily unavailable' },
    detail: {
      nl: `De database is even niet bereikbaar. Probeer het over ${retryAfterS} seconden opnieuw. Wijzigde u iets? Laad dan eerst opnieuw om te zien of het is opgeslagen.`,
      en: `The database cannot be reached right now. Try again in ${retryAfterS} seconds. Did you change something? Reload first to see whether it was saved.`,
    },
  }),
  concurrentDuplicate: {
    title: TITLE.alreadyExists,
    detail: {
      nl: 'Dit bestaat al (iemand anders was u net voor). Laad opnieuw en probeer het nog eens.',
      en: 'This already exists (someone else was just ahead of you). Reload and try again.',
    },
  },
  internal: {
    title: { nl: 'Interne fout', en: 'Internal server error' },
    detail: {
      nl: 'Er ging bij ons iets mis. Er is niets gewijzigd. Probeer het opnieuw.',
      en: 'Something went wrong on our side. Nothing was changed. Please try again.',
    },
  },

  // Accounts and tokens.
  emailTaken: {
    title: TITLE.alreadyExists,
    detail: {
      nl: 'Er is al een account met dit e-mailadres.',
      en: 'There is already an account with this e-mail address.',
    },
  },
  lastAdmin: {
    title: { nl: 'Laatste beheerder', en: 'Last administrator' },
    detail: {
      nl: 'Dit is de laatste actieve beheerder. Maak eerst iemand anders beheerder: er is altijd minstens één nodig.',
      en: 'This is the last active administrator. Make someone else an administrator first: there must always be at least one.',
    },
  },
  loginRequired: {
    title: { nl: 'Inloggen nodig', en: 'Sign-in required' },
    detail: { nl: 'Log eerst in om dit te doen.', en: 'Sign in first to do this.' },
  },
  roleNotAllowed: (needed: string): ProblemText => ({
    title: TITLE.notAllowed,
    detail: {
      nl: `Uw rol mag dit niet; hiervoor is de rol ${needed} nodig.`,
      en: `Your role may not do this; it needs the role ${needed}.`,
    },
  }),
  sessionRequired: {
    title: { nl: 'Inloggen met wachtwoord nodig', en: 'Password sign-in required' },
    detail: {
      nl: 'Dit kan alleen na inloggen met uw wachtwoord, niet met een API-token.',
      en: 'This needs a sign-in with your password, not an API token.',
    },
  },
  tokenExpired: {
    title: { nl: 'Token verlopen', en: 'Token expired' },
    detail: {
      nl: 'Dit API-token is verlopen. Maak een nieuw token aan.',
      en: 'This API token has expired. Create a new one.',
    },
  },
  invalidToken: {
    title: { nl: 'Ongeldig token', en: 'Invalid token' },
    detail: {
      nl: 'Dit API-token bestaat niet (meer). Maak een nieuw token aan.',
      en: 'This API token does not exist (any more). Create a new one.',
    },
  },
  csrfFailed: {
    title: { nl: 'Verzoek geweigerd', en: 'Request refused' },
    detail: {
      nl: 'Dit verzoek kwam niet van deze kaart (CSRF-controle). Laad de pagina opnieuw en probeer het nog eens.',
      en: 'This request did not come from this map (CSRF check). Reload the page and try again.',
    },
  },
  tooManyChanges: (waitS: number): ProblemText => ({
    title: TITLE.slowDown,
    detail: {
      nl: `Te veel wijzigingen in korte tijd. Probeer het over ${waitS} seconden opnieuw.`,
      en: `Too many changes in a short time. Try again in ${waitS} seconds.`,
    },
  }),
  invalidCredentials: {
    title: { nl: 'Inloggen mislukt', en: 'Sign-in failed' },
    detail: {
      nl: 'Het e-mailadres of het wachtwoord klopt niet.',
      en: 'The e-mail address or the password is not right.',
    },
  },
  tooManyAttempts: (wait: Bilingual): ProblemText => ({
    title: { nl: 'Te veel pogingen', en: 'Too many attempts' },
    detail: {
      nl: `Te veel mislukte pogingen. Wacht ${wait.nl} en probeer het dan opnieuw.`,
      en: `Too many failed attempts. Wait ${wait.en}, then try again.`,
    },
  }),
  tokenRoleTooHigh: {
    title: { nl: 'Rol te hoog', en: 'Role too high' },
    detail: {
      nl: 'Een token kan niet meer dan de rol van zijn eigenaar.',
      en: "A token cannot do more than its owner's role.",
    },
  },
  noActiveAccount: (email: string): ProblemText => ({
    title: { nl: 'Geen account', en: 'No account' },
    detail: { nl: `Geen actief account ${email}.`, en: `No active account ${email}.` },
  }),

  // Analysis and planning.
  analysisBusy: (retryAfterS: number): ProblemText => ({
    title: { nl: 'Even te druk', en: 'Too busy right now' },
    detail: {
      nl: `Er worden nu te veel zware berekeningen tegelijk gedaan. Probeer het over ${retryAfterS} seconden opnieuw.`,
      en: `Too many heavy calculations are running at once. Try again in ${retryAfterS} seconds.`,
    },
  }),
  analysisTooSlow: (retryAfterS: number): ProblemText => ({
    title: { nl: 'Berekening duurde te lang', en: 'Calculation took too long' },
    detail: {
      nl: `Deze berekening duurde te lang en is gestopt. Probeer het over ${retryAfterS} seconden opnieuw, of vraag minder (een kleiner gebied, een kortere afstand, minder kandidaten).`,
      en: `This calculation took too long and was stopped. Try again in ${retryAfterS} seconds, or ask for less (a smaller area, a shorter distance, fewer candidates).`,
    },
  }),
  noInhabitants: {
    title: { nl: 'Nog geen inwoners geladen', en: 'No inhabitants loaded yet' },
    detail: {
      nl: 'Er zijn nog geen gebieden met inwonersaantallen geladen. Laad ze met npm run import:areas.',
      en: 'No areas with inhabitant counts have been loaded yet. Load them with npm run import:areas.',
    },
  },
  networkUnavailable: (mode: string): ProblemText => ({
    title: TITLE.networkUnavailable,
    detail: {
      nl: `Afstanden over het wegennet (${mode === 'walk' ? 'lopen' : 'fietsen'}) kunnen nog niet: er is geen wegennet geladen. Gebruik mode=line.`,
      en: `Distances over the ${mode} network are not available: no network has been loaded. Use mode=line.`,
    },
  }),
  noNetworkLoaded: (profile: string): ProblemText => ({
    title: { nl: 'Geen wegennet geladen', en: 'No network loaded' },
    detail: {
      nl: `Afstanden ${profile === 'walk' ? 'lopend' : 'met de fiets'} kunnen nog niet: er is geen wegennet geladen. Laad een OpenStreetMap-bestand met npm run import:osm, of gebruik mode=line.`,
      en: `Distances by ${profile === 'walk' ? 'walking' : 'bike'} are not available: no network has been loaded. Load an OpenStreetMap file with npm run import:osm, or use mode=line.`,
    },
  }),
  suggestionTooExpensive: (seconds: number, limitS: number): ProblemText => ({
    title: { nl: 'Te grote vraag', en: 'Request too large' },
    detail: {
      nl: `Deze vraag kost te veel rekenwerk (geschat ${Math.round(seconds)} s, de grens is ${limitS} s). Kies een kleiner gebied, een kortere afstand (threshold) of minder kandidaten (limit).`,
      en: `This request needs too much computing (an estimated ${Math.round(seconds)} s; the limit is ${limitS} s). Choose a smaller area, a shorter distance (threshold) or fewer candidates (limit).`,
    },
  }),
  invalidResolution: (res: number): ProblemText => ({
    title: { nl: 'Ongeldige resolutie', en: 'Invalid resolution' },
    detail: {
      nl: `Inwoners en afstanden zijn er voor resolutie 7 tot en met 10, niet ${res}.`,
      en: `Inhabitants and distances exist for resolutions 7 to 10, not ${res}.`,
    },
  }),
  detourNeedsNetwork: {
    title: { nl: 'Kies lopen of fietsen', en: 'Choose walk or bike' },
    detail: {
      nl: 'De omweg vergelijkt de afstand over het wegennet met de rechte lijn: kies mode=walk of mode=bike.',
      en: 'The detour compares the network distance with the straight line: choose mode=walk or mode=bike.',
    },
  },
  distanceTooLarge: (given: number, max: number, how: Bilingual): ProblemText => ({
    title: { nl: 'Afstand te groot', en: 'Distance too large' },
    detail: {
      nl: `De afstand ${given} m is te groot: ${how.nl} is ${max} m het maximum.`,
      en: `The distance ${given} m is too large: ${how.en} the most is ${max} m.`,
    },
  }),
  proposedOutsideRegion: {
    title: { nl: 'Buiten het gebied', en: 'Outside the region' },
    detail: {
      nl: 'Een voorgestelde plek ligt buiten het gebied van deze kaart.',
      en: 'A proposed place lies outside the region of this map.',
    },
  },
  unknownLayer: (name: string, layers: string): ProblemText => ({
    title: { nl: 'Onbekende laag', en: 'Unknown layer' },
    detail: {
      nl: `Er is geen tegellaag ${name}. Kies ${layers}.`,
      en: `There is no tile layer ${name}. Choose ${layers}.`,
    },
  }),
  invalidTile: (names: string): ProblemText => ({
    title: { nl: 'Ongeldige tegel', en: 'Invalid tile' },
    detail: { nl: `Controleer: ${names}.`, en: `Check: ${names}.` },
  }),
  /** A query parameter this tile layer does not allow; the reason is also the field's message. */
  tileParameterNotAllowed: (why: Bilingual): ProblemText => ({
    title: TITLE.invalidParameter,
    detail: why,
  }),
  tileTooDense: {
    title: { nl: 'Tegel te vol', en: 'Tile too dense' },
    detail: {
      nl: 'Deze tegel wordt ook in de grofste vorm groter dan toegestaan. Zoom in of filter meer.',
      en: 'This tile is larger than allowed even in its coarsest form. Zoom in or filter more.',
    },
  },

  // Places (assets) and proposals.
  assetDeleted: (id: string): ProblemText => ({
    title: TITLE.deleted,
    detail: {
      nl: `Plek ${id} is verwijderd. Zet hem terug met POST /api/assets/${id}/restore.`,
      en: `Asset ${id} was deleted. Bring it back with POST /api/assets/${id}/restore.`,
    },
  }),
  proposalAssetDeleted: (id: string): ProblemText => ({
    title: TITLE.deleted,
    detail: { nl: `Plek ${id} is verwijderd.`, en: `Asset ${id} was deleted.` },
  }),
  versionConflict: (expected: number, current: number): ProblemText => ({
    title: { nl: 'Iemand anders was u voor', en: 'Someone else changed this first' },
    detail: {
      nl: `U bewerkte versie ${expected}, maar de plek is intussen gewijzigd (nu versie ${current}). Bekijk de wijziging en probeer het opnieuw.`,
      en: `You edited version ${expected}, but the asset has changed since (now version ${current}). Review the change and try again.`,
    },
  }),
  sourceRefTaken: (ref: string): ProblemText => ({
    title: { nl: 'Referentie al in gebruik', en: 'Reference already used' },
    detail: {
      nl: `Een andere plek heeft al bronreferentie "${ref}".`,
      en: `Another asset already has source reference "${ref}".`,
    },
  }),
  assetNotDeleted: (id: string): ProblemText => ({
    title: { nl: 'Niet verwijderd', en: 'Not deleted' },
    detail: { nl: `Plek ${id} is niet verwijderd.`, en: `Asset ${id} is not deleted.` },
  }),
  unknownVersion: (id: string, version: number, current: number): ProblemText => ({
    title: { nl: 'Onbekende versie', en: 'Unknown version' },
    detail: {
      nl: `Plek ${id} heeft geen eerdere versie ${version} (nu versie ${current}).`,
      en: `Asset ${id} has no earlier version ${version} (now version ${current}).`,
    },
  }),
  undoOnlyOwn: (minutes: number): ProblemText => ({
    title: TITLE.notAllowed,
    detail: {
      nl: `Alleen een moderator kan deze plek terugzetten. U kunt alleen uw eigen verwijdering van de laatste ${minutes} minuten ongedaan maken.`,
      en: `Only a moderator can bring this place back. You can only undo your own deletion of the last ${minutes} minutes.`,
    },
  }),
  versionMissing: {
    title: { nl: 'Versie ontbreekt', en: 'Version missing' },
    detail: {
      nl: 'Stuur de versie die u bewerkt mee in de If-Match-header (de ETag van GET).',
      en: 'Send the version you are editing in the If-Match header (the ETag from GET).',
    },
  },
  invalidVersion: {
    title: { nl: 'Ongeldige versie', en: 'Invalid version' },
    detail: {
      nl: 'If-Match moet een ETag zijn zoals "v3".',
      en: 'If-Match must be an ETag such as "v3".',
    },
  },
  invalidCursor: {
    title: { nl: 'Ongeldige cursor', en: 'Invalid cursor' },
    detail: {
      nl: 'Gebruik de cursor uit next_cursor van de vorige pagina.',
      en: 'Use the cursor from next_cursor of the previous page.',
    },
  },
  suggestionsOff: {
    title: { nl: 'Voorstellen staat uit', en: 'Suggestions are off' },
    detail: {
      nl: 'Op deze kaart kunnen alleen mensen met een account plekken voorstellen. Log in.',
      en: 'On this map only people with an account can suggest places. Sign in.',
    },
  },
  whichPlace: {
    title: TITLE.invalidInput,
    detail: { nl: 'Welke plek bedoelt u?', en: 'Which place do you mean?' },
  },
  proposalDecided: (status: string): ProblemText => ({
    title: { nl: 'Al beoordeeld', en: 'Already decided' },
    detail: {
      nl: `Dit voorstel is al ${status === 'approved' ? 'goedgekeurd' : 'afgewezen'}.`,
      en: `This proposal was already ${status}.`,
    },
  }),
  anonymousProposalLimit: (perHour: number): ProblemText => ({
    title: TITLE.slowDown,
    detail: {
      nl: `U kunt ${perHour} voorstellen per uur doen zonder account. Probeer het later opnieuw, of log in.`,
      en: `Without an account you can make ${perHour} suggestions an hour. Try again later, or sign in.`,
    },
  }),
  placeChangedMeanwhile: (fields: readonly string[]): ProblemText => ({
    title: { nl: 'De plek is intussen gewijzigd', en: 'The place changed meanwhile' },
    detail: {
      nl: `Iemand heeft na dit voorstel ook ${fields.join(', ')} gewijzigd. Bekijk de plek en beoordeel het voorstel opnieuw, of wijs het af.`,
      en: `Someone also changed ${fields.join(', ')} after this proposal. Look at the place and decide again, or reject it.`,
    },
  }),

  // Request formats and routes.
  unknownFormat: {
    title: { nl: 'Onbekend formaat', en: 'Unknown format' },
    detail: {
      nl: 'Stuur GeoJSON (application/geo+json) of CSV (text/csv), of geef ?format= op.',
      en: 'Send GeoJSON (application/geo+json) or CSV (text/csv), or give ?format=.',
    },
  },
  notJsonContentType: (type: string): ProblemText => ({
    title: { nl: 'Verkeerd formaat', en: 'Unsupported media type' },
    detail: {
      nl: `Stuur JSON met Content-Type: application/json (niet "${type || 'leeg'}").`,
      en: `Send JSON with Content-Type: application/json (not "${type || 'empty'}").`,
    },
  }),
  methodNotAllowed: (method: string, path: string, allowed: string): ProblemText => ({
    title: { nl: 'Methode niet toegestaan', en: 'Method not allowed' },
    detail: {
      nl: `${method} kan niet op ${path}. Wel: ${allowed}.`,
      en: `${method} is not supported on ${path}. Allowed: ${allowed}.`,
    },
  }),
  nothingAt: (path: string): ProblemText => ({
    title: TITLE.notFound,
    detail: { nl: `Er is niets op ${path}.`, en: `There is nothing at ${path}.` },
  }),
  noFileSent: {
    title: { nl: 'Geen bestand', en: 'No file' },
    detail: {
      nl: 'Stuur het OpenStreetMap-bestand als body van het verzoek.',
      en: 'Send the OpenStreetMap file as the request body.',
    },
  },

  // Imports and files.
  unreadableFile: (why: Bilingual): ProblemText => ({ title: TITLE.unreadableFile, detail: why }),
  notPbf: (what: Bilingual): ProblemText => ({
    title: TITLE.unreadableFile,
    detail: {
      nl: `Dit is geen geldig .osm.pbf-bestand: ${what.nl}`,
      en: `This is not a valid .osm.pbf file: ${what.en}`,
    },
  }),
  osmFileTooLarge: (limit: string): ProblemText => ({
    title: { nl: 'Bestand te groot', en: 'File too large' },
    detail: {
      nl: `Uitgepakt is dit OpenStreetMap-bestand groter dan de grens van ${limit} (BUURTKAART_MAX_OSM_BYTES). Het lezen is gestopt; er is niets veranderd.`,
      en: `Unpacked, this OpenStreetMap file is larger than the limit of ${limit} (BUURTKAART_MAX_OSM_BYTES). Reading stopped; nothing was changed.`,
    },
  }),
  importNotCarriedOut: (invalid: number, total: number): ProblemText => ({
    title: { nl: 'Import niet uitgevoerd', en: 'Import not carried out' },
    detail: {
      nl: `${invalid} van ${total} rijen zijn niet goed; er is niets opgeslagen. Verbeter ze en probeer opnieuw (of kijk eerst met dryRun).`,
      en: `${invalid} of ${total} rows are not valid; nothing was saved. Fix them and try again (or check first with dryRun).`,
    },
  }),
  noNetworkInFile: {
    title: { nl: 'Geen wegennet in het bestand', en: 'No network in the file' },
    detail: {
      nl: 'Het bestand bevat geen paden of wegen om te lopen of te fietsen; het opgeslagen wegennet blijft zoals het was. Laad alleen de plekken met --places-only (of network=false).',
      en: 'The file holds no paths or roads for walking or cycling; the stored network is kept as it was. Load only the places with --places-only (or network=false).',
    },
  },
  importRunning: {
    title: { nl: 'Er loopt al een import', en: 'An import is already running' },
    detail: {
      nl: 'Er wordt al een OpenStreetMap-bestand ingelezen; probeer het opnieuw als dat klaar is.',
      en: 'An OpenStreetMap file is already being imported; try again when it has finished.',
    },
  },
  areasNotLoaded: (invalid: number): ProblemText => ({
    title: { nl: 'Gebieden niet geladen', en: 'Areas not loaded' },
    detail: {
      nl: `${invalid} gebied(en) zijn niet goed; er is niets opgeslagen.`,
      en: `${invalid} area(s) are not valid; nothing was saved.`,
    },
  }),
  notJsonFile: (file: string, why: string): ProblemText => ({
    title: { nl: 'Geen geldige JSON', en: 'Not valid JSON' },
    detail: { nl: `${file} is geen geldige JSON: ${why}`, en: `${file} is not valid JSON: ${why}` },
  }),

  // Downloads.
  whichArea: (why: Bilingual): ProblemText => ({
    title: { nl: 'Welk gebied?', en: 'Which area?' },
    detail: why,
  }),
  overpassIncomplete: (remark: string): ProblemText => ({
    title: { nl: 'Overpass gaf geen volledig antwoord', en: 'Overpass gave no complete answer' },
    detail: {
      nl: `Overpass meldde: ${remark} Er is niets geladen; probeer een kleiner gebied of later opnieuw.`,
      en: `Overpass reported: ${remark} Nothing was loaded; try a smaller area or again later.`,
    },
  }),
  sourceChanged: (url: string, what: Bilingual): ProblemText => ({
    title: { nl: 'Antwoord in een ander formaat', en: 'Response in another format' },
    detail: {
      nl: `De bron gaf iets anders terug dan verwacht: ${what.nl} Misschien is de dienst veranderd; er is niets geladen. (${url})`,
      en: `The source returned something other than expected: ${what.en} The service may have changed; nothing was loaded. (${url})`,
    },
  }),
  downloadFailed: (url: string, why: Bilingual): ProblemText => ({
    title: { nl: 'Downloaden mislukt', en: 'Download failed' },
    detail: { nl: `${why.nl} (${url})`, en: `${why.en} (${url})` },
  }),
  downloadTooLarge: (url: string, limit: string): ProblemText => ({
    title: { nl: 'Download te groot', en: 'Download too large' },
    detail: {
      nl: `Het antwoord van de server is (uitgepakt) groter dan ${limit} (BUURTKAART_MAX_OSM_BYTES). Het downloaden is gestopt; er is niets geladen. (${url})`,
      en: `The server's answer is larger than ${limit} (unpacked; BUURTKAART_MAX_OSM_BYTES). Downloading stopped; nothing was loaded. (${url})`,
    },
  }),
  downloadRunning: {
    title: { nl: 'Er wordt al geladen', en: 'Already loading' },
    detail: {
      nl: 'Er loopt al een download; wacht tot die klaar is.',
      en: 'A download is already running; wait until it has finished.',
    },
  },
  loadingFailed: {
    title: { nl: 'Laden mislukt', en: 'Loading failed' },
    detail: {
      nl: 'Er ging iets onverwachts mis; er is niets geladen.',
      en: 'Something unexpected went wrong; nothing was loaded.',
    },
  },
} satisfies Record<string, ProblemText | ((...args: never[]) => ProblemText)>

/** What is wrong with one input field (the `errors` of a problem document). */
export const FIELD = {
  // OGC API Features query parameters (api/http/ogc.ts).
  unknownParameter: (allowed: string): Bilingual => ({
    nl: `Deze parameter kent deze collectie niet. Wel: ${allowed}.`,
    en: `This collection does not know this parameter. Known: ${allowed}.`,
  }),
  unknownCrs: (allowed: string): Bilingual => ({
    nl: `Onbekend coördinatenstelsel. Kies uit: ${allowed}.`,
    en: `Unknown coordinate reference system. Choose from: ${allowed}.`,
  }),
  ogcBbox: {
    nl: 'Geef vier getallen: minimum en maximum van beide assen, in de volgorde van bbox-crs (CRS84: minLon,minLat,maxLon,maxLat).',
    en: 'Give four numbers: minimum and maximum of both axes, in the axis order of bbox-crs (CRS84: minLon,minLat,maxLon,maxLat).',
  },
  bboxCrsWithoutBbox: {
    nl: 'bbox-crs hoort bij bbox; geef ook bbox.',
    en: 'bbox-crs goes with bbox; give bbox too.',
  },
  ogcDatetime: {
    nl: 'Geef een tijdstip (2026-11-23T10:00:00Z) of een periode (2026-01-01T00:00:00Z/.. of ../2026-12-31T00:00:00Z).',
    en: 'Give an instant (2026-11-23T10:00:00Z) or an interval (2026-01-01T00:00:00Z/.. or ../2026-12-31T00:00:00Z).',
  },
  ogcLimit: (max: number): Bilingual => ({
    nl: `Geef een geheel getal van 1 tot en met ${max}.`,
    en: `Give a whole number from 1 to ${max}.`,
  }),
  ogcOffset: {
    nl: 'Geef een geheel getal van 0 of meer.',
    en: 'Give a whole number of 0 or more.',
  },
  ogcFormat: { nl: 'Kies json of html.', en: 'Choose json or html.' },
  ogcList: (allowed: string): Bilingual => ({
    nl: `Onbekende waarde. Kies uit: ${allowed} (meerdere met komma's).`,
    en: `Unknown value. Choose from: ${allowed} (several separated by commas).`,
  }),
  ogcGemeente: {
    nl: 'Geef een CBS-gemeentecode, bijvoorbeeld GM0995.',
    en: 'Give a CBS gemeente code, e.g. GM0995.',
  },
  ogcLang: { nl: 'Kies nl of en.', en: 'Choose nl or en.' },
  emailInUse: { nl: 'Al in gebruik.', en: 'Already used.' },
  passwordLength: (min: number, max: number): Bilingual => ({
    nl: `Een wachtwoord heeft ${min} tot ${max} tekens.`,
    en: `A password has ${min} to ${max} characters.`,
  }),
  invalidBecause: (why: string): Bilingual => ({ nl: `Ongeldig: ${why}`, en: why }),
  wrongPassword: {
    nl: 'Dit is niet uw huidige wachtwoord.',
    en: 'This is not your current password.',
  },
  tokenLifetime: (maxDays: number): Bilingual => ({
    nl: `Een token geldt 1 tot ${maxDays} dagen.`,
    en: `A token lasts 1 to ${maxDays} days.`,
  }),
  roleAtMost: (role: string): Bilingual => ({ nl: `Ten hoogste ${role}.`, en: `At most ${role}.` }),
  fewerCandidates: {
    nl: 'Minder kandidaten, een kortere afstand of een kleiner gebied.',
    en: 'Fewer candidates, a shorter distance or a smaller area.',
  },
  sourceRefUsedBy: (id: string): Bilingual => ({
    nl: `Al in gebruik door plek ${id}.`,
    en: `Already used by asset ${id}.`,
  }),
  chooseVersion: (last: number): Bilingual => ({
    nl: `Kies een versie van 1 tot ${last}.`,
    en: `Choose a version from 1 to ${last}.`,
  }),
  unpackedLargerThan: (limit: string): Bilingual => ({
    nl: `Uitgepakt groter dan ${limit}.`,
    en: `Larger than ${limit} unpacked.`,
  }),
  sameIdInRow: (id: string, row: number): Bilingual => ({
    nl: `Dezelfde id (${id}) staat ook in rij ${row}.`,
    en: `The same id (${id}) is also in row ${row}.`,
  }),
  sameRefInRow: (ref: string, row: number): Bilingual => ({
    nl: `Dezelfde referentie (${ref}) staat ook in rij ${row}.`,
    en: `The same reference (${ref}) is also in row ${row}.`,
  }),
  headerColumn: (column: number, why: Bilingual): Bilingual => ({
    nl: `Kolom ${column} van de kopregel: ${why.nl}`,
    en: `Column ${column} of the header: ${why.en}`,
  }),
  notRdCoordinates: (x: string, y: string): Bilingual => ({
    nl: `x/y (${x}, ${y}) zijn geen RD-coördinaten in Nederland.`,
    en: `x/y (${x}, ${y}) are not RD New coordinates in the Netherlands.`,
  }),
  lonLatNotNumbers: (lon: string, lat: string): Bilingual => ({
    nl: `lon/lat (${lon}, ${lat}) zijn geen getallen.`,
    en: `lon/lat (${lon}, ${lat}) are not numbers.`,
  }),
  required: { nl: 'Verplicht.', en: 'Required.' },
  expectedVersion: { nl: 'Verwacht "v<nummer>".', en: 'Expected "v<number>".' },
  unknownCursor: { nl: 'Onbekende cursor.', en: 'Unknown cursor.' },
  fileMissing: { nl: 'Bestand ontbreekt.', en: 'File missing.' },
  requiredToChange: {
    nl: 'Verplicht bij wijzigen of verwijderen.',
    en: 'Required to change or delete.',
  },
  choose7to10: { nl: 'Kies 7–10.', en: 'Choose 7–10.' },
  chooseWalkOrBike: { nl: 'Kies walk of bike.', en: 'Choose walk or bike.' },
  distanceAtMost: (max: number, how: Bilingual): Bilingual => ({
    nl: `Ten hoogste ${max} meter ${how.nl}.`,
    en: `At most ${max} metres ${how.en}.`,
  }),
  outsideBox: (box: string): Bilingual => ({ nl: `Buiten ${box}.`, en: `Outside ${box}.` }),
  proposedPlacesFormat: {
    nl: 'Geef voorgestelde plekken als lengte,breedte,soort;… (bijv. 5.47,52.51,community_centre).',
    en: 'Give proposed places as lon,lat,kind;lon,lat,kind (e.g. 5.47,52.51,community_centre).',
  },
  tileResolution: {
    nl: 'Inwoners en afstanden zijn er voor resolutie 7 tot en met 10.',
    en: 'Inhabitants and distances exist for resolutions 7 to 10.',
  },
  tileDetourMode: {
    nl: 'De omweg vergelijkt het wegennet met de rechte lijn: kies walk of bike.',
    en: 'The detour compares the network with the straight line: choose walk or bike.',
  },
  noUsableNetwork: {
    nl: 'Geen bruikbare wegen of paden gevonden.',
    en: 'No usable roads or paths found.',
  },
  invalidGeometry: {
    nl: 'De geometrie is ongeldig (bijvoorbeeld een lus die zichzelf snijdt).',
    en: 'The geometry is invalid (for example a self-intersecting ring).',
  },
  areaNotLoaded: (code: string): Bilingual => ({
    nl: `Gebied ${code} is niet geladen: laad eerst zijn grenzen.`,
    en: `Area ${code} is not loaded: load its outline first.`,
  }),
  unreadableCsv: (file: string, why: string): Bilingual => ({
    nl: `${file} is geen leesbare CSV: ${why}`,
    en: `${file} is not readable CSV: ${why}`,
  }),
  controlCharacter: {
    nl: 'Bevat een onzichtbaar stuurteken (zoals NUL); haal het weg.',
    en: 'Contains a control character (such as NUL); remove it.',
  },
  nulCharacter: {
    nl: 'Bevat een NUL-teken (\\u0000). Dat kan niet worden opgeslagen; haal het weg.',
    en: 'Contains a NUL character (\\u0000), which cannot be stored; remove it.',
  },
  loneSurrogate: {
    nl: 'Bevat een ongeldig teken (een losse helft van een UTF-16-tekenpaar); haal het weg.',
    en: 'Contains an invalid character (half of a UTF-16 surrogate pair on its own); remove it.',
  },
  setByVerify: {
    nl: 'Alleen POST /api/assets/{id}/verify zet dit (dat markeert een plek als vandaag gecontroleerd).',
    en: 'Only POST /api/assets/{id}/verify sets this (it marks a place as checked today).',
  },
  positionNumbers: {
    nl: 'Een positie heeft twee getallen (lengtegraad, breedtegraad).',
    en: 'A position has two numbers (longitude, latitude), optionally an elevation.',
  },
  longitudeRange: {
    nl: 'De lengtegraad moet tussen -180 en 180 graden liggen.',
    en: 'Longitude must be between -180 and 180 degrees.',
  },
  latitudeRange: {
    nl: 'De breedtegraad moet tussen -90 en 90 graden liggen.',
    en: 'Latitude must be between -90 and 90 degrees.',
  },
  outsideRegion: (lon: number, lat: number, region: string, box: string): Bilingual => ({
    nl:
      `Het punt (${lon}, ${lat}) ligt buiten het gebied van deze kaart: ${region} ` +
      `met een marge (lengte/breedte ${box}). Let op de volgorde: eerst lengtegraad, dan breedtegraad.`,
    en:
      `The point (${lon}, ${lat}) is outside the region of this map: ${region} ` +
      `plus a margin (lon/lat box ${box}). Check the order: longitude first, then latitude.`,
  }),
  openingHours: (why: string): Bilingual => ({
    nl: `Geen geldige openingstijden in OpenStreetMap-notatie (zoals "Mo-Fr 09:00-17:00"): ${why}`,
    en: `Not valid OpenStreetMap opening_hours syntax: ${why}`,
  }),
  openingHoursWord: (word: string): Bilingual => ({
    nl: `Dit woord ken ik niet in openingstijden: "${word}". Schrijf de dagen en tijden zo: "di-do 10-16" of "ma t/m vr 9:00-17:00".`,
    en: `This word is not understood in opening hours: "${word}". Write days and times like "di-do 10-16", "ma t/m vr 9:00-17:00" or "Mo-Fr 09:00-17:00".`,
  }),
  openingHoursTime: (time: string): Bilingual => ({
    nl: `"${time}" is geen tijd. Een tijd ligt tussen 0:00 en 24:00, bijvoorbeeld 9:30 of 17.`,
    en: `"${time}" is not a time. A time lies between 0:00 and 24:00, for example 9:30 or 17.`,
  }),
  openingHoursNoTime: (days: string): Bilingual => ({
    nl: `Bij "${days}" staat geen tijd. Zet de tijd erachter, bijvoorbeeld "${days} 10-16". Dicht? Schrijf "${days} gesloten".`,
    en: `"${days}" has no time. Put the time after it, for example "${days} 10-16". Closed? Write "${days} gesloten".`,
  }),
  openingHoursOrder: (from: string, to: string): Bilingual => ({
    nl: `Van ${from} tot ${to} klopt niet: de eindtijd ligt voor de begintijd. Schrijf de tijden van 0 tot 24 uur, dus 17 in plaats van 5.`,
    en: `From ${from} to ${to} is not right: the end comes before the start. Use the 24-hour clock, so 17 instead of 5.`,
  }),
  openingHoursUnreadable: {
    nl: 'Deze openingstijden kan ik niet lezen. Schrijf eerst de dagen, dan de tijden, bijvoorbeeld "di-do 10-16", "ma t/m vr 9:00-17:00" of "za 10.00-12.30".',
    en: 'These opening hours cannot be read. Write the days first, then the times, for example "di-do 10-16", "ma t/m vr 9:00-17:00" or "Mo-Fr 09:00-17:00".',
  },
  email: {
    nl: 'Geen e-mailadres (naam@voorbeeld.nl).',
    en: 'Not an e-mail address (name@example.nl).',
  },
  phone: {
    nl: 'Geen telefoonnummer (cijfers, spaties, +, -, haakjes).',
    en: 'Not a phone number (digits, spaces, +, -, parentheses).',
  },
  notFeatureCollection: {
    nl: 'Het bestand is geen GeoJSON FeatureCollection.',
    en: 'The file is not a GeoJSON FeatureCollection.',
  },
  noCode: (lookedFor: string): Bilingual => ({
    nl: `Geen code gevonden (gezocht in: ${lookedFor}).`,
    en: `No code found (looked for: ${lookedFor}).`,
  }),
  unknownLevel: (code: string): Bilingual => ({
    nl: `Code ${code} is geen GM-, WK-, BU- of PC4-code; geef het niveau op.`,
    en: `Code ${code} is not a GM, WK, BU or PC4 code; give the level.`,
  }),
  codeTwice: (code: string): Bilingual => ({
    nl: `Code ${code} komt twee keer voor.`,
    en: `Code ${code} occurs twice.`,
  }),
  inhabitantsWhole: {
    nl: 'Het aantal inwoners moet een geheel getal zijn.',
    en: 'Inhabitants must be a whole number.',
  },
  areaGeometry: {
    nl: 'Een gebied moet een Polygon of MultiPolygon zijn.',
    en: 'An area must be a Polygon or MultiPolygon.',
  },
  noCountCode: (lookedFor: string): Bilingual => ({
    nl: `Geen GM-, WK- of BU-code in deze rij (gezocht in: ${lookedFor}).`,
    en: `No GM, WK or BU code in this row (looked for: ${lookedFor}).`,
  }),
  noCount: (lookedFor: string): Bilingual => ({
    nl: `Geen aantal inwoners in deze rij (gezocht in: ${lookedFor}).`,
    en: `No number of inhabitants in this row (looked for: ${lookedFor}).`,
  }),
  yearUnknown: (file: string): Bilingual => ({
    nl: `Van welk jaar zijn de aantallen in ${file}? Geef het jaar (--year).`,
    en: `Which year are the counts in ${file} of? Give the year (--year).`,
  }),
} satisfies Record<string, Bilingual | ((...args: never[]) => Bilingual)>

/** Why a file or a download could not be used: the detail of `unreadableFile` and its kin. */
export const REASON = {
  cannotOpen: (code: string): Bilingual => ({
    nl: `Het bestand is niet te openen (${code}).`,
    en: `The file cannot be opened (${code}).`,
  }),
  badGzip: {
    nl: 'Het bestand lijkt gzip, maar is niet uit te pakken.',
    en: 'The file looks gzipped but does not decompress.',
  },
  notOsm: {
    nl: 'Geen OpenStreetMap-bestand: verwacht .osm.pbf, .osm (XML) of Overpass-JSON, eventueel met gzip.',
    en: 'Not an OpenStreetMap file: expected .osm.pbf, .osm (XML) or Overpass JSON, optionally gzipped.',
  },
  pbfCutOff: {
    nl: 'Het .osm.pbf-bestand houdt midden in een blok op (onvolledig?).',
    en: 'The .osm.pbf file ends in the middle of a block (incomplete?).',
  },
  pbfBlockClaimsTooLarge: (bytes: number): Bilingual => ({
    nl: `een blok zegt uitgepakt ${bytes} bytes te zijn; het formaat staat hoogstens 32 MiB toe.`,
    en: `a block says it unpacks to ${bytes} bytes; the format allows at most 32 MiB.`,
  }),
  pbfCompression: (other: string | undefined): Bilingual => ({
    nl: `Een blok in het .osm.pbf-bestand is ingepakt met ${other ?? 'niets bekends'}; alleen zlib wordt gelezen.`,
    en: `A block in the .osm.pbf file is compressed with ${other ?? 'nothing known'}; only zlib is read.`,
  }),
  pbfInflate: (why: string): Bilingual => ({
    nl: `Een blok in het .osm.pbf-bestand is niet uit te pakken (${why}).`,
    en: `A block in the .osm.pbf file does not decompress (${why}).`,
  }),
  pbfUnpacksBeyondStated: (bytes: number): Bilingual => ({
    nl: `Een blok in het .osm.pbf-bestand pakt uit tot meer dan de ${bytes} bytes die het opgeeft.`,
    en: `A block in the .osm.pbf file unpacks to more than the ${bytes} bytes it states.`,
  }),
  pbfBlockUnpacksTooLarge: {
    nl: 'een blok pakt uit tot meer dan 32 MiB.',
    en: 'a block unpacks to more than 32 MiB.',
  },
  pbfHeaderTooLarge: (bytes: number): Bilingual => ({
    nl: `een BlobHeader is ${bytes} bytes; het formaat staat minder dan 64 KiB toe.`,
    en: `a BlobHeader is ${bytes} bytes; the format allows less than 64 KiB.`,
  }),
  pbfBlockTooLarge: (bytes: number): Bilingual => ({
    nl: `een blok is ${bytes} bytes; het formaat staat hoogstens 32 MiB toe.`,
    en: `a block is ${bytes} bytes; the format allows at most 32 MiB.`,
  }),
  pbfNoHeader: {
    nl: 'Het .osm.pbf-bestand begint niet met een OSMHeader-blok.',
    en: 'The .osm.pbf file does not start with an OSMHeader block.',
  },
  pbfDataBlock: (why: string): Bilingual => ({
    nl: `Een datablok in het .osm.pbf-bestand is niet te lezen (${why}).`,
    en: `A data block in the .osm.pbf file cannot be read (${why}).`,
  }),
  xmlMalformed: (why: string): Bilingual => ({
    nl: `Het XML-bestand is niet goed: ${why}`,
    en: `The XML file is not well-formed: ${why}`,
  }),
  jsonTextTooLong: (max: number): Bilingual => ({
    nl: `Het JSON-bestand heeft een tekst of getal van meer dan ${max} tekens.`,
    en: `The JSON file has a string or number of more than ${max} characters.`,
  }),
  jsonInvalid: (why: string): Bilingual => ({
    nl: `Het JSON-bestand is niet goed: ${why}`,
    en: `The JSON file is not valid: ${why}`,
  }),
  damaged: (why: string): Bilingual => ({
    nl: `Het bestand is beschadigd of onvolledig: ${why}`,
    en: `The file is damaged or incomplete: ${why}`,
  }),
  gemeenteCodeFormat: (code: string): Bilingual => ({
    nl: `Een gemeentecode ziet eruit als GM0995, niet "${code}".`,
    en: `A gemeente code looks like GM0995, not "${code}".`,
  }),
  gemeenteUnknown: (code: string, year: number | string): Bilingual => ({
    nl: `PDOK kent gemeente ${code} niet in ${year}.`,
    en: `PDOK does not know gemeente ${code} in ${year}.`,
  }),
  chooseTarget: {
    nl: 'Kies --region flevoland, --gemeente GM0995 of --bbox west,zuid,oost,noord.',
    en: 'Choose --region flevoland, --gemeente GM0995 or --bbox west,south,east,north.',
  },
  importNotJson: (why: string): Bilingual => ({
    nl: `Geen geldige JSON: ${why}`,
    en: `Not valid JSON: ${why}`,
  }),
  expectedFeatureCollection: {
    nl: 'Verwacht een GeoJSON FeatureCollection.',
    en: 'Expected a GeoJSON FeatureCollection.',
  },
  csvUnreadable: (why: string): Bilingual => ({
    nl: `Het CSV-bestand is niet te lezen: ${why}`,
    en: `Cannot read the CSV file: ${why}`,
  }),
  noCoordinates: {
    nl: 'Geen coördinaten: geef kolommen lon en lat (WGS84) of x en y (RD New).',
    en: 'No coordinates: give columns lon and lat (WGS84) or x and y (RD New).',
  },
  notJson: { nl: 'geen JSON.', en: 'not JSON.' },
  noElements: { nl: 'geen lijst "elements".', en: 'no "elements" list.' },
  pagesLoop: {
    nl: 'de pagina’s verwijzen in een kring naar elkaar.',
    en: 'the pages link to each other in a loop.',
  },
  notFeatureCollection: {
    nl: 'geen GeoJSON FeatureCollection.',
    en: 'not a GeoJSON FeatureCollection.',
  },
  notFeature: { nl: 'een object is geen Feature.', en: 'an item is not a Feature.' },
  fieldsMissing: (missing: string, present: string): Bilingual => ({
    nl: `het veld ${missing} ontbreekt (wel: ${present}).`,
    en: `the field ${missing} is missing (present: ${present}).`,
  }),
  httpStatus: (status: number, attempts: number | null): Bilingual => ({
    nl: `De server antwoordde met HTTP ${status}${attempts !== null ? `, ook na ${attempts} pogingen` : ''}.`,
    en: `The server answered HTTP ${status}${attempts !== null ? `, also after ${attempts} attempts` : ''}.`,
  }),
  unreachable: (why: string, attempts: number): Bilingual => ({
    nl: `Geen verbinding met de server (${why}); is er internet? Na ${attempts} pogingen opgegeven.`,
    en: `Could not reach the server (${why}); is there internet? Gave up after ${attempts} attempts.`,
  }),
} satisfies Record<string, Bilingual | ((...args: never[]) => Bilingual)>

/** How a distance is travelled, in "at most 2000 metres walking". */
export const TRAVELLED = {
  line: { nl: 'in een rechte lijn', en: 'in a straight line' },
  walk: { nl: 'lopend', en: 'walking' },
  bike: { nl: 'fietsend', en: 'by bike' },
} satisfies Record<string, Bilingual>

/** A wait in words: seconds under two minutes, minutes above. */
export function waitInWords(waitMs: number): Bilingual {
  const s = Math.max(1, Math.ceil(waitMs / 1000))
  if (s < 120)
    return {
      nl: `${s} ${s === 1 ? 'seconde' : 'seconden'}`,
      en: `${s} second${s === 1 ? '' : 's'}`,
    }
  const m = Math.ceil(s / 60)
  return { nl: `${m} minuten`, en: `${m} minutes` }
}

/** What a value is, in "expected …, got …". */
const KIND_OF_VALUE = {
  null: same('null'),
  nothing: { nl: 'niets', en: 'nothing' },
  array: { nl: 'een lijst', en: 'an array' },
  string: { nl: 'tekst', en: 'a string' },
  number: { nl: 'een getal', en: 'a number' },
  int: { nl: 'een geheel getal', en: 'an integer' },
  boolean: { nl: 'ja/nee (boolean)', en: 'a boolean' },
  booleanExpected: { nl: 'ja/nee (true of false)', en: 'a boolean (true or false)' },
  object: { nl: 'een object', en: 'an object' },
} satisfies Record<string, Bilingual>

/** What is wrong with a value that failed its schema (see `validation.ts`). */
export const VALIDATION = {
  /** What a value given is. */
  given: KIND_OF_VALUE,
  /** What a schema expects, by Zod's name for it. */
  expected: {
    string: KIND_OF_VALUE.string,
    number: KIND_OF_VALUE.number,
    int: KIND_OF_VALUE.int,
    boolean: KIND_OF_VALUE.booleanExpected,
    array: KIND_OF_VALUE.array,
    object: KIND_OF_VALUE.object,
    tuple: KIND_OF_VALUE.array,
    null: KIND_OF_VALUE.null,
  } as Readonly<Record<string, Bilingual>>,
  /** A value's name as it is, for a type this table does not know. */
  literal: same,
  required: { nl: 'Dit veld is verplicht.', en: 'This field is required.' },
  invalidType: (want: Bilingual, got: Bilingual): Bilingual => ({
    nl: `Verwacht ${want.nl}, maar kreeg ${got.nl}.`,
    en: `Expected ${want.en}, got ${got.en}.`,
  }),
  unknownField: (keys: string): Bilingual => ({
    nl: `Onbekend veld: ${keys}.`,
    en: `Unknown field: ${keys}.`,
  }),
  oneOf: (allowed: string): Bilingual => ({
    nl: `Kies een van: ${allowed}.`,
    en: `Must be one of: ${allowed}.`,
  }),
  notEmpty: { nl: 'Dit veld mag niet leeg zijn.', en: 'This field must not be empty.' },
  minChars: (limit: string): Bilingual => ({
    nl: `Minstens ${limit} tekens.`,
    en: `At least ${limit} characters.`,
  }),
  maxChars: (limit: string): Bilingual => ({
    nl: `Hoogstens ${limit} tekens.`,
    en: `At most ${limit} characters.`,
  }),
  minItems: (limit: string): Bilingual => ({
    nl: `Minstens ${limit} items.`,
    en: `At least ${limit} items.`,
  }),
  maxItems: (limit: string): Bilingual => ({
    nl: `Hoogstens ${limit} items.`,
    en: `At most ${limit} items.`,
  }),
  atLeast: (limit: string): Bilingual => ({
    nl: `Moet minstens ${limit} zijn.`,
    en: `Must be at least ${limit}.`,
  }),
  atMost: (limit: string): Bilingual => ({
    nl: `Mag hoogstens ${limit} zijn.`,
    en: `Must be at most ${limit}.`,
  }),
  dateTime: {
    nl: 'Verwacht een datum en tijd zoals 2026-11-21T10:00:00Z.',
    en: 'Expected a date-time such as 2026-11-21T10:00:00Z.',
  },
  invalidFormat: (format: string): Bilingual => ({
    nl: `Ongeldig formaat (${format}).`,
    en: `Invalid format (${format}).`,
  }),
  multipleOf: (divisor: string): Bilingual => ({
    nl: `Moet een veelvoud van ${divisor} zijn.`,
    en: `Must be a multiple of ${divisor}.`,
  }),
  /** A check without a Dutch text of its own; `en` is the check's own message. */
  invalid: (en: string): Bilingual => ({ nl: 'Ongeldige waarde.', en }),
} satisfies Record<string, unknown>

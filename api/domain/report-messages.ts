import {
  formatDate,
  formatDistance as km,
  formatNumber as fmt,
  formatShare as pct,
} from './format.js'
import type { Bilingual } from './messages.js'
import type { Mode } from './reach.js'

/**
 * The printable gap report's texts, part of the one message catalogue (see `messages.ts`):
 * plain Dutch (B1) first, then English. Parameters are values, not text, so each language
 * formats its own numbers, distances and dates.
 */

const MODE: Record<Mode, Bilingual> = {
  walk: { nl: 'lopen', en: 'walking' },
  bike: { nl: 'fietsen', en: 'cycling' },
  line: { nl: 'hemelsbreed', en: 'straight-line' },
}

const SOURCE: Record<string, Bilingual> = {
  osm: { nl: 'uit OpenStreetMap', en: 'from OpenStreetMap' },
  import: { nl: 'uit een bestand', en: 'from a file' },
  user: { nl: 'met de hand', en: 'by hand' },
  seed: { nl: 'uit het onderzoek', en: 'from the research' },
  cbs: { nl: 'van CBS', en: 'from CBS' },
}

const UNIT: Record<'gemeente' | 'wijk' | 'buurt' | 'pc4', Bilingual> = {
  gemeente: { nl: 'gemeente', en: 'municipality' },
  wijk: { nl: 'wijk', en: 'district' },
  buurt: { nl: 'buurt', en: 'neighbourhood' },
  pc4: { nl: 'postcodegebied (PC4)', en: 'postcode area (PC4)' },
}

/**
 * A CBS area name without its numbering: "Wijk 05 Buitengebied Dronten" → "Buitengebied
 * Dronten" (for map labels and sentences); a name without a number is returned as it is.
 */
export function shortAreaName(name: string): string {
  return name.replace(/^(wijk|buurt)\s+\d+\s+/i, '') || name
}

/** "800 m lopen": a threshold and how it is travelled, in one language. */
const reach = (thresholdM: number, mode: Mode, lang: keyof Bilingual) =>
  `${km(thresholdM, lang)} ${MODE[mode][lang]}`

/** "12 uit OpenStreetMap, 3 met de hand": places counted per source. */
const bySourceText = (bySource: Readonly<Record<string, number>>, lang: keyof Bilingual) =>
  Object.entries(bySource)
    .map(([source, n]) => `${fmt(n, lang)} ${SOURCE[source]?.[lang] ?? source}`)
    .join(', ')

export const REPORT = {
  mode: MODE,
  modeLong: {
    walk: { nl: 'lopend over paden en wegen', en: 'walking over paths and roads' },
    bike: {
      nl: 'met de fiets over fietspaden en wegen',
      en: 'cycling over cycleways and roads',
    },
    line: { nl: 'hemelsbreed (in een rechte lijn)', en: 'in a straight line' },
  } satisfies Record<Mode, Bilingual>,
  title: (area: string): Bilingual => ({
    nl: `Ontmoetingsplekken in ${area}`,
    en: `Meeting places in ${area}`,
  }),
  lead: (thresholdM: number, mode: Mode): Bilingual => ({
    nl: `Hoeveel inwoners wonen binnen ${reach(thresholdM, mode, 'nl')} van een ontmoetingsplek?`,
    en: `How many inhabitants live within ${reach(thresholdM, mode, 'en')} of a meeting place?`,
  }),
  keyLine: (
    share: number | null,
    thresholdM: number,
    mode: Mode,
    province: number | null,
  ): Bilingual => ({
    nl: `${pct(share, 'nl')} van de inwoners woont binnen ${reach(thresholdM, mode, 'nl')} van een ontmoetingsplek (provincie: ${pct(province, 'nl')}).`,
    en: `${pct(share, 'en')} of the inhabitants live within ${reach(thresholdM, mode, 'en')} of a meeting place (province: ${pct(province, 'en')}).`,
  }),
  print: { nl: 'Afdrukken of opslaan als PDF', en: 'Print or save as PDF' },
  back: { nl: 'Terug naar de kaart', en: 'Back to the map' },
  toolbar: { nl: 'Rapport: afdrukken en downloaden', en: 'Report: print and download' },
  accessibility: { nl: 'Toegankelijkheid', en: 'Accessibility' },
  downloads: { nl: 'Download de cijfers:', en: 'Download the figures:' },
  mapTitle: {
    nl: 'Kaart: waar wonen mensen te ver weg?',
    en: 'Map: where do people live too far away?',
  },
  legendGap: (thresholdM: number, mode: Mode): Bilingual => ({
    nl: `Verder dan ${reach(thresholdM, mode, 'nl')} (donkerder: meer inwoners)`,
    en: `Farther than ${reach(thresholdM, mode, 'en')} (darker: more inhabitants)`,
  }),
  legendOk: (thresholdM: number, mode: Mode): Bilingual => ({
    nl: `Binnen ${reach(thresholdM, mode, 'nl')}`,
    en: `Within ${reach(thresholdM, mode, 'en')}`,
  }),
  legendPlace: { nl: 'Ontmoetingsplek', en: 'Meeting place' },
  legendProposed: { nl: 'Voorgestelde plek (scenario)', en: 'Proposed place (scenario)' },
  keyFigures: { nl: 'Kerncijfers', en: 'Key figures' },
  colProvince: { nl: 'Provincie', en: 'Province' },
  inhabitants: { nl: 'Inwoners', en: 'Inhabitants' },
  within: (thresholdM: number, mode: Mode): Bilingual => ({
    nl: `Woont binnen ${reach(thresholdM, mode, 'nl')}`,
    en: `Live within ${reach(thresholdM, mode, 'en')}`,
  }),
  places: { nl: 'Ontmoetingsplekken', en: 'Meeting places' },
  per10k: { nl: 'Plekken per 10.000 inwoners', en: 'Places per 10,000 inhabitants' },
  meanDistance: (mode: Mode): Bilingual => ({
    nl: `Gemiddelde afstand tot de dichtstbijzijnde plek (${MODE[mode].nl}, zoals CBS)`,
    en: `Mean distance to the nearest place (${MODE[mode].en}, as CBS)`,
  }),
  meanWithin: (kmRadius: number, mode: Mode): Bilingual => ({
    nl: `Gemiddeld aantal plekken binnen ${kmRadius} km (${MODE[mode].nl})`,
    en: `Mean number of places within ${kmRadius} km (${MODE[mode].en})`,
  }),
  unreachable: { nl: 'Inwoners zonder bereikbare plek', en: 'Inhabitants with no reachable place' },
  bandsTitle: (mode: Mode): Bilingual => ({
    nl: `Hoe ver wonen mensen van een ontmoetingsplek? (${MODE[mode].nl})`,
    en: `How far from a meeting place do people live? (${MODE[mode].en})`,
  }),
  bandsLegend: (area: string): Bilingual => ({
    nl: `Brede balk: ${area}; smalle grijze balk: de provincie. Oranje: verder dan de grens.`,
    en: `Wide bar: ${area}; narrow grey bar: the province. Orange: beyond the threshold.`,
  }),
  band: (fromM: number, toM: number | null): Bilingual => ({
    nl: toM === null ? `meer dan ${km(fromM, 'nl')}` : `${km(fromM, 'nl')} – ${km(toM, 'nl')}`,
    en: toM === null ? `more than ${km(fromM, 'en')}` : `${km(fromM, 'en')} – ${km(toM, 'en')}`,
  }),
  gapsTitle: { nl: 'Waar is het gat het grootst?', en: 'Where is the gap largest?' },
  gapsLead: (thresholdM: number, mode: Mode, areas: number): Bilingual => ({
    nl: `Gebieden waar inwoners verder dan ${reach(thresholdM, mode, 'nl')} van een ontmoetingsplek wonen (aangrenzende zeshoeken samengenomen), de grootste eerst: inwoners × afstand boven de grens. ${areas === 1 ? 'Er is 1 zo’n gebied.' : `Er zijn ${fmt(areas, 'nl')} zulke gebieden; hier de grootste.`}`,
    en: `Areas where inhabitants live farther than ${reach(thresholdM, mode, 'en')} from a meeting place (neighbouring hexagons taken together), largest first: inhabitants × distance beyond the threshold. ${areas === 1 ? 'There is 1 such area.' : `There are ${fmt(areas, 'en')} such areas; the largest are listed.`}`,
  }),
  colRank: { nl: '#', en: '#' },
  colArea: { nl: 'Gebied', en: 'Area' },
  colInhabitants: { nl: 'Inwoners', en: 'Inhabitants' },
  colDistance: { nl: 'Afstand', en: 'Distance' },
  sparse: { nl: 'dunbevolkt buitengebied', en: 'sparsely populated countryside' },
  registerTitle: {
    nl: 'Let op: het register is nog niet compleet',
    en: 'Note: the register is not complete yet',
  },
  changedTitle: { nl: 'De gegevens zijn veranderd', en: 'The data has changed' },
  noPlace: { nl: 'geen plek bereikbaar', en: 'no place reachable' },
  noGaps: {
    nl: 'Iedereen woont binnen de grens. Er is hier geen gat.',
    en: 'Everyone lives within the threshold. There is no gap here.',
  },
  waterTitle: { nl: 'Water en omwegen', en: 'Water and detours' },
  water: (detour: number, inhabitants: number): Bilingual => ({
    nl: `Door water, spoor en ontbrekende paden is de looproute naar de dichtstbijzijnde plek gemiddeld ${fmt(detour, 'nl', 1)}× zo lang als hemelsbreed (over ${fmt(inhabitants, 'nl')} inwoners). Een kaart in rechte lijnen onderschat hier de afstand.`,
    en: `Because of water, railways and missing paths the walking route to the nearest place is on average ${fmt(detour, 'en', 1)}× the straight line (over ${fmt(inhabitants, 'en')} inhabitants). A straight-line map underestimates distance here.`,
  }),
  waterSmall: (detour: number): Bilingual => ({
    nl: `De looproute is gemiddeld ${fmt(detour, 'nl', 1)}× zo lang als hemelsbreed: water maakt hier weinig verschil.`,
    en: `The walking route is on average ${fmt(detour, 'en', 1)}× the straight line: water makes little difference here.`,
  }),
  noNetwork: {
    nl: 'Er is nog geen wegennet geladen: afstanden zijn hemelsbreed. Over water en sloten kan de echte route veel langer zijn.',
    en: 'No road network has been loaded yet: distances are straight lines. Across water the real route can be much longer.',
  },
  scenarioTitle: (name: string): Bilingual => ({ nl: `Wat als: ${name}`, en: `What if: ${name}` }),
  scenarioLine: (gain: number, thresholdM: number, mode: Mode, places: number): Bilingual => ({
    nl: `Met ${places === 1 ? 'de voorgestelde plek' : `de ${places} voorgestelde plekken`}: ${fmt(gain, 'nl')} inwoners erbij binnen ${reach(thresholdM, mode, 'nl')}.`,
    en: `With ${places === 1 ? 'the proposed place' : `the ${places} proposed places`}: ${fmt(gain, 'en')} more inhabitants within ${reach(thresholdM, mode, 'en')}.`,
  }),
  scenarioMapTitle: {
    nl: 'Uitsnede: de voorgestelde plek en wie er binnen bereik komt',
    en: 'Detail: the proposed place and who it brings within reach',
  },
  scenarioShare: (today: number | null, withScenario: number | null): Bilingual => ({
    nl: `Van ${pct(today, 'nl')} naar ${pct(withScenario, 'nl')} van de inwoners.`,
    en: `From ${pct(today, 'en')} to ${pct(withScenario, 'en')} of the inhabitants.`,
  }),
  methodsTitle: { nl: 'Hoe is dit berekend?', en: 'How was this computed?' },
  mSources: { nl: 'Bronnen', en: 'Sources' },
  mThreshold: { nl: 'Grens', en: 'Threshold' },
  mMode: { nl: 'Afstand', en: 'Distance' },
  mPlaces: { nl: 'Welke plekken tellen', en: 'Which places count' },
  mPlacesText: (
    counted: number,
    bySource: Readonly<Record<string, number>>,
    checked: number,
    left: number,
  ): Bilingual => {
    const nlBy = bySourceText(bySource, 'nl')
    const enBy = bySourceText(bySource, 'en')
    return {
      nl: `${fmt(counted, 'nl')} ontmoetingsplekken in dit gebied die open zijn (status actief), van alle soorten die standaard een ontmoetingsplek zijn en met een bekend adres${nlBy ? ` (${nlBy})` : ''}; ${fmt(checked, 'nl')} daarvan zijn het afgelopen jaar ter plekke gecontroleerd.${left > 0 ? ` ${fmt(left, 'nl')} plek${left === 1 ? ' telt' : 'ken tellen'} niet mee: daarvan is alleen de plaats of wijk bekend.` : ''}`,
      en: `${fmt(counted, 'en')} meeting places in this area that are open (status active), of every kind that is a meeting place by default and with a known address${enBy ? ` (${enBy})` : ''}; ${fmt(checked, 'en')} of them were checked on site in the past year.${left > 0 ? ` ${fmt(left, 'en')} place${left === 1 ? ' does' : 's do'} not count: only their town or district is known.` : ''}`,
    }
  },
  mResolution: { nl: 'Inwoners en zeshoeken', en: 'Inhabitants and hexagons' },
  mResolutionText: (
    resolution: number,
    units: 'gemeente' | 'wijk' | 'buurt' | 'pc4',
    year: string,
    pc4: boolean,
  ): Bilingual => ({
    nl: `Elke ${UNIT[units].nl} houdt het eigen CBS-aantal inwoners van ${year}; een gemeente en een wijk tellen dus precies zoals CBS. Binnen de ${UNIT[units].nl} zijn de inwoners verdeeld over de H3-zeshoeken (resolutie ${resolution}) waar gewoond kan worden${pc4 ? ', naar de dichtheid van de postcodegebieden (PC4, inwoners per km² land)' : ', naar oppervlakte'}; dijken, dammen en smalle stroken (minder dan 100 m breed) en ver afgelegen losse stukjes tellen niet als woongebied. Er wordt niets afgerond: een zeshoek kan een deel van een inwoner bevatten.`,
    en: `Every ${UNIT[units].en} keeps its own CBS count of inhabitants of ${year}, so a municipality and a district count exactly as CBS does. Within each ${UNIT[units].en} the inhabitants are placed on the H3 hexagons (resolution ${resolution}) of land people can live on${pc4 ? ', by the density of the postcode areas (PC4, inhabitants per km² of land)' : ', by area'}; dikes, dams, strips under 100 m wide and far-off detached bits do not count as living area. Nothing is rounded: a hexagon may hold part of an inhabitant.`,
  }),
  /** How a distance is measured, per mode (the figures' `inputs.distance`, in both languages). */
  distanceMethod: {
    line: {
      nl: 'in een rechte lijn, in meters in het Rijksdriehoekstelsel (RD New, EPSG:28992), vanaf het bewoonde midden van elke zeshoek',
      en: 'in a straight line, in metres in the Dutch national grid (RD New, EPSG:28992), from the populated centre of each hexagon',
    },
    walk: {
      nl: 'de kortste looproute over het OpenStreetMap-netwerk (voetpaden, paden en wegen waar lopen mag), vanaf het bewoonde midden van elke zeshoek; zeshoek en plek worden in een rechte lijn met het dichtstbijzijnde bruikbare pad verbonden (die afstand telt mee); een pont telt de overtocht plus een wachttijd',
      en: 'the shortest walking route over the OpenStreetMap network (footways, paths and roads where walking is allowed), from the populated centre of each hexagon; hexagon and place are joined to the nearest usable path in a straight line (that distance is included); a ferry counts its crossing plus a waiting time',
    },
    bike: {
      nl: 'de kortste fietsroute over het OpenStreetMap-netwerk (fietspaden en wegen waar fietsen mag, eenrichting voor fietsers waar dat is aangegeven), vanaf het bewoonde midden van elke zeshoek; zeshoek en plek worden in een rechte lijn met het dichtstbijzijnde bruikbare pad verbonden (die afstand telt mee); een pont telt de overtocht plus een wachttijd',
      en: 'the shortest cycling route over the OpenStreetMap network (cycleways and roads where cycling is allowed, one-way for bikes where tagged), from the populated centre of each hexagon; hexagon and place are joined to the nearest usable path in a straight line (included); a ferry counts its crossing plus a waiting time',
    },
  } satisfies Record<Mode, Bilingual>,
  dataVersion: { nl: 'versie van de gegevens', en: 'data version' },
  mPermalinkData: { nl: 'De cijfers als gegevens (JSON):', en: 'The figures as data (JSON):' },
  qrCaption: {
    nl: 'Scan de code om dit rapport online te openen, met de cijfers van nu.',
    en: 'Scan the code to open this report online, with today’s figures.',
  },
  legendGained: (thresholdM: number, mode: Mode): Bilingual => ({
    nl: `Komt binnen ${reach(thresholdM, mode, 'nl')} door de voorgestelde plek`,
    en: `Brought within ${reach(thresholdM, mode, 'en')} by the proposed place`,
  }),
  legendAreas: (level: 'gemeente' | 'wijk' | 'buurt'): Bilingual => ({
    nl: `Dunne lijn: grens van ${{ gemeente: 'de gemeenten', wijk: 'de wijken', buurt: 'de buurten' }[level]}, met de naam`,
    en: `Thin line: boundary of the ${{ gemeente: 'municipalities', wijk: 'districts', buurt: 'neighbourhoods' }[level]}, with its name`,
  }),
  scaleTitle: { nl: 'Schaalstok', en: 'Scale bar' },
  /** Where a proposed place lies: wijk and gemeente, and the nearest known address. */
  placeWhere: (w: {
    readonly gemeente: string | null
    readonly wijk: string | null
    readonly buurt: string | null
    readonly nearest: { readonly address: string; readonly distanceM: number } | null
  }): Bilingual => {
    const wijk = w.wijk ? shortAreaName(w.wijk) : null
    const buurt = w.buurt ? shortAreaName(w.buurt) : null
    const nl: string[] = []
    const en: string[] = []
    if (buurt) {
      nl.push(`in buurt ${buurt}`)
      en.push(`in the ${buurt} neighbourhood`)
    }
    if (wijk) {
      nl.push(`${buurt ? '' : 'in '}wijk ${wijk}`)
      en.push(`${buurt ? '' : 'in '}the ${wijk} district`)
    }
    if (w.gemeente) {
      nl.push(`${wijk || buurt ? '' : 'in '}gemeente ${w.gemeente}`)
      en.push(`${wijk || buurt ? '' : 'in '}${w.gemeente}`)
    }
    if (nl.length === 0) {
      nl.push('buiten de gebieden die in Buurtkaart zijn geladen')
      en.push('outside the areas loaded in Buurtkaart')
    }
    let nlText = nl.join(', ')
    let enText = en.join(', ')
    if (w.nearest) {
      const d = Math.max(10, Math.round(w.nearest.distanceM / 10) * 10)
      nlText +=
        w.nearest.distanceM < 25
          ? `, bij ${w.nearest.address}`
          : `, ongeveer ${km(d, 'nl')} van ${w.nearest.address}`
      enText +=
        w.nearest.distanceM < 25
          ? `, at ${w.nearest.address}`
          : `, about ${km(d, 'en')} from ${w.nearest.address}`
    }
    return { nl: nlText, en: enText }
  },
  mDate: { nl: 'Berekend op', en: 'Computed on' },
  mPermalink: { nl: 'Deze cijfers opnieuw maken', en: 'Reproduce these figures' },
  mNetwork: (file: string, newestIso: string | null): Bilingual => ({
    nl: `Wegennet: OpenStreetMap (${file}, gegevens tot ${newestIso ? formatDate(newestIso, 'nl') : '–'}), ODbL 1.0 © OpenStreetMap-bijdragers.`,
    en: `Road network: OpenStreetMap (${file}, data up to ${newestIso ? formatDate(newestIso, 'en') : '–'}), ODbL 1.0 © OpenStreetMap contributors.`,
  }),
  mCbs: {
    nl: 'Inwoners: CBS Wijk- en Buurtkaart (CC BY 4.0), per gebied:',
    en: 'Inhabitants: CBS Wijk- en Buurtkaart (CC BY 4.0), per area:',
  },
  mRegister: {
    nl: 'Plekken: het Buurtkaart-register (bijdragers, OpenStreetMap en eigen invoer).',
    en: 'Places: the Buurtkaart register (contributors, OpenStreetMap and own input).',
  },
  generated: { nl: 'Gemaakt met Buurtkaart', en: 'Made with Buurtkaart' },

  // The notices in the report and in the figures' JSON.
  changedPlaces: { nl: 'de plekken', en: 'the places' },
  changedAreas: { nl: 'de gebieden of inwonertallen', en: 'the areas or their counts' },
  changedNetwork: { nl: 'het wegennet', en: 'the road network' },
  /** `what` lists what changed (the three entries above); empty: the settings or the model. */
  dataChanged: (what: readonly Bilingual[]): Bilingual => ({
    nl: `Let op: de gegevens zijn veranderd sinds deze link werd gemaakt (${what.length ? what.map((w) => w.nl).join(', ') : 'de instellingen of het rekenmodel'}). De cijfers hieronder zijn die van nu, niet die van toen.`,
    en: `Note: the data changed since this link was made (${what.length ? what.map((w) => w.en).join(', ') : 'the settings or the model'}). The figures below are today's, not those of then.`,
  }),
  registerNotice: (gaps: {
    readonly noOsmImport: boolean
    /** Places that count and the inhabitants they serve, when that is too few. */
    readonly fewPlaces: { readonly counted: number; readonly inhabitants: number } | null
    /** Places left out because only their town or district is known. */
    readonly approximateLeftOut: number | null
  }): Bilingual => {
    const nl = ['Het register is voor dit gebied waarschijnlijk nog niet compleet.']
    const en = ['The register for this area is probably not complete yet.']
    if (gaps.noOsmImport) {
      nl.push('Er zijn nog geen plekken uit OpenStreetMap geladen.')
      en.push('No places have been loaded from OpenStreetMap yet.')
    }
    if (gaps.fewPlaces) {
      const n = gaps.fewPlaces.counted
      const people = Math.round(gaps.fewPlaces.inhabitants)
      nl.push(
        n === 0
          ? `Er telt nog geen enkele ontmoetingsplek mee voor de ${fmt(people, 'nl')} inwoners.`
          : `Er ${n === 1 ? 'telt maar 1 ontmoetingsplek' : `tellen maar ${n} ontmoetingsplekken`} mee voor ${fmt(people, 'nl')} inwoners.`,
      )
      en.push(
        n === 0
          ? `Not a single meeting place counts yet for the ${fmt(people, 'en')} inhabitants.`
          : `Only ${n} meeting place${n === 1 ? '' : 's'} count${n === 1 ? 's' : ''} for ${fmt(people, 'en')} inhabitants.`,
      )
    }
    if (gaps.approximateLeftOut !== null) {
      const k = gaps.approximateLeftOut
      nl.push(
        `${k} ${k === 1 ? 'plek telt' : 'plekken tellen'} niet mee, omdat alleen de plaats of wijk bekend is, niet het adres.`,
      )
      en.push(
        `${k} place${k === 1 ? ' does' : 's do'} not count, because only the town or district is known, not the address.`,
      )
    }
    nl.push('De cijfers zeggen daarom vooral iets over het register, niet over de buurt.')
    en.push('So these figures say more about the register than about the neighbourhood.')
    return { nl: nl.join(' '), en: en.join(' ') }
  },
  registerAdvice: {
    nl:
      'Wat u kunt doen: laad de plekken uit OpenStreetMap (npm run data:download -- --region flevoland, ' +
      'of npm run import:osm met een OSM-bestand), zet plekken op hun precieze adres, of breng samen met ' +
      'bewoners in kaart welke plekken er zijn.',
    en:
      'What you can do: load the places from OpenStreetMap (npm run data:download -- --region flevoland, ' +
      'or npm run import:osm with an OSM file), put places at their exact address, or map together with ' +
      'residents which places there are.',
  },
} satisfies Record<
  string,
  Bilingual | Record<string, Bilingual> | ((...args: never[]) => Bilingual)
>

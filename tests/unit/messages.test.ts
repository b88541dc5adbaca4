import { describe, expect, it } from 'vitest'
import {
  FIELD,
  LABEL,
  PROBLEM,
  REASON,
  ROLE_NAME,
  TRAVELLED,
  VALUE_NAME,
  type Bilingual,
  type ProblemText,
} from '../../api/domain/messages.js'
import { REPORT } from '../../api/domain/report-messages.js'

/** For each message with parameters, one set of arguments; the type makes the list complete. */
type Args<T> = {
  [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] extends (
    ...args: infer A
  ) => unknown
    ? A
    : never
}

const b: Bilingual = { nl: 'iets', en: 'something' }

const problemArgs: Args<typeof PROBLEM> = {
  invalidInput: [2],
  invalidParameters: ['bbox'],
  notFound: [LABEL.area, 'GM0995'],
  malformedJson: ['Unexpected end'],
  badRequest: ['Bad'],
  databaseUnavailable: [5],
  tooManyAttempts: [b],
  noActiveAccount: ['a@b.nl'],
  analysisBusy: [10],
  analysisTooSlow: [10],
  networkUnavailable: ['walk'],
  noNetworkLoaded: ['bike'],
  suggestionTooExpensive: [40, 30],
  assetDeleted: ['id'],
  proposalAssetDeleted: ['id'],
  versionConflict: [1, 2],
  sourceRefTaken: ['ref'],
  assetNotDeleted: ['id'],
  unknownVersion: ['id', 1, 2],
  proposalDecided: ['approved'],
  anonymousProposalLimit: [5],
  placeChangedMeanwhile: [['name']],
  unreadableFile: [b],
  notPbf: [b],
  osmFileTooLarge: ['1 GiB'],
  importNotCarriedOut: [1, 2],
  areasNotLoaded: [1],
  notJsonFile: ['a.json', 'why'],
  whichArea: [b],
  overpassIncomplete: ['runtime error'],
  sourceChanged: ['https://example.org', b],
  downloadFailed: ['https://example.org', b],
  downloadTooLarge: ['https://example.org', '1 GiB'],
  roleNotAllowed: ['moderator'],
  tooManyChanges: [3],
  invalidResolution: [6],
  distanceTooLarge: [9000, 2000, { nl: 'lopend', en: 'walking' }],
  unknownLayer: ['x', 'assets, cells'],
  invalidTile: ['z'],
  tileParameterNotAllowed: [b],
  undoOnlyOwn: [10],
  notJsonContentType: [''],
  methodNotAllowed: ['PUT', '/api/x', 'GET'],
  nothingAt: ['/api/x'],
}

const fieldArgs: Args<typeof FIELD> = {
  passwordLength: [12, 200],
  invalidBecause: ['why'],
  tokenLifetime: [365],
  roleAtMost: ['trusted'],
  sourceRefUsedBy: ['id'],
  chooseVersion: [3],
  unpackedLargerThan: ['1 GiB'],
  sameIdInRow: ['id', 2],
  sameRefInRow: ['ref', 2],
  headerColumn: [2, b],
  notRdCoordinates: ['1', '2'],
  lonLatNotNumbers: ['a', 'b'],
  areaNotLoaded: ['GM0995'],
  unreadableCsv: ['a.csv', 'why'],
  yearUnknown: ['a.csv'],
  noCode: ['code'],
  unknownLevel: ['XX1'],
  codeTwice: ['GM0995'],
  noCountCode: ['code'],
  noCount: ['inwoners'],
  distanceAtMost: [2000, { nl: 'lopend', en: 'walking' }],
  outsideBox: ['5, 52, 6, 53'],
  outsideRegion: [4, 51, 'Flevoland', '5, 52, 6, 53'],
  openingHours: ['why'],
  unknownParameter: ['limit, offset'],
  unknownCrs: ['http://www.opengis.net/def/crs/OGC/1.3/CRS84'],
  ogcLimit: [1000],
  ogcList: ['active, planned'],
  openingHoursWord: ['xyz'],
  openingHoursTime: ['25:00'],
  openingHoursNoTime: ['ma-vr'],
  openingHoursOrder: ['09:00', '05:00'],
}

const reasonArgs: Args<typeof REASON> = {
  cannotOpen: ['ENOENT'],
  pbfBlockClaimsTooLarge: [1],
  pbfCompression: [undefined],
  pbfInflate: ['why'],
  pbfUnpacksBeyondStated: [1],
  pbfHeaderTooLarge: [1],
  pbfBlockTooLarge: [1],
  pbfDataBlock: ['why'],
  xmlMalformed: ['why'],
  jsonTextTooLong: [1],
  jsonInvalid: ['why'],
  damaged: ['why'],
  gemeenteCodeFormat: ['x'],
  gemeenteUnknown: ['GM0995', 2024],
  importNotJson: ['why'],
  csvUnreadable: ['why'],
  fieldsMissing: ['a', 'b'],
  httpStatus: [503, 3],
  unreachable: ['ECONNREFUSED', 3],
}

const reportArgs: Args<typeof REPORT> = {
  title: ['Lelystad'],
  lead: [800, 'walk'],
  keyLine: [0.5, 800, 'walk', null],
  legendGap: [800, 'bike'],
  legendOk: [800, 'line'],
  within: [800, 'walk'],
  meanDistance: ['walk'],
  meanWithin: [1, 'walk'],
  bandsTitle: ['walk'],
  bandsLegend: ['Lelystad'],
  band: [0, null],
  gapsLead: [800, 'walk', 3],
  water: [1.4, 100],
  waterSmall: [1.1],
  scenarioTitle: ['Zuid'],
  scenarioLine: [10, 800, 'walk', 2],
  scenarioShare: [0.5, 0.6],
  mPlacesText: [3, { osm: 2, user: 1 }, 1, 1],
  mResolutionText: [9, 'wijk', '2024', true],
  mNetwork: ['flevoland.osm.pbf', null],
  legendGained: [800, 'walk'],
  legendAreas: ['wijk'],
  placeWhere: [
    {
      gemeente: 'Dronten',
      wijk: 'Wijk 05 Buitengebied Dronten',
      buurt: null,
      nearest: { address: 'De Zuiderzeestraat 1', distanceM: 60 },
    },
  ],
  dataChanged: [[]],
  registerNotice: [
    { noOsmImport: true, fewPlaces: { counted: 0, inhabitants: 10 }, approximateLeftOut: 1 },
  ],
}

/** Every message of a catalogue section, with parameters filled in from `args`. */
function entries(section: object, args: object): [string, unknown][] {
  return Object.entries(section).map(([key, value]) => [
    key,
    typeof value === 'function'
      ? (value as (...a: unknown[]) => unknown)(...(args as Record<string, unknown[]>)[key]!)
      : value,
  ])
}

/** The Dutch and English texts inside a message, a problem or a record of messages. */
function texts(message: unknown): Bilingual[] {
  const m = message as Partial<ProblemText> & Partial<Bilingual> & Record<string, unknown>
  if (typeof m.nl === 'string' || typeof m.en === 'string') return [m as Bilingual]
  return Object.values(m).flatMap(texts)
}

describe('the message catalogue', () => {
  const all = [
    ...entries(PROBLEM, problemArgs),
    ...entries(FIELD, fieldArgs),
    ...entries(REASON, reasonArgs),
    ...entries(LABEL, {}),
    ...entries(ROLE_NAME, {}),
    ...entries(TRAVELLED, {}),
    ...entries(VALUE_NAME, {}),
    ...entries(REPORT, reportArgs),
  ]

  it('has a Dutch and an English text for every message, without holes', () => {
    expect(all.length).toBeGreaterThan(150)
    for (const [key, message] of all) {
      const found = texts(message)
      expect(found.length, key).toBeGreaterThan(0)
      for (const text of found) {
        for (const lang of ['nl', 'en'] as const) {
          expect(typeof text[lang], `${key}.${lang}`).toBe('string')
          expect(text[lang].trim(), `${key}.${lang}`).not.toBe('')
          expect(text[lang], `${key}.${lang}`).not.toMatch(/undefined|\[object|NaN/)
        }
      }
    }
  })

  it('gives every problem a title and a detail', () => {
    for (const [key, problem] of entries(PROBLEM, problemArgs)) {
      expect(problem, key).toHaveProperty('title.nl')
      expect(problem, key).toHaveProperty('detail.en')
    }
  })
})

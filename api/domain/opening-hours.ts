import OpeningHours from 'opening_hours'
import { FIELD, type Bilingual } from './messages.js'

/**
 * Opening hours as people write them and as OpenStreetMap stores them. A person types
 * "di-do 10-16 uur" or "ma t/m vr 9:00-17:00"; the register keeps the OSM `opening_hours` value
 * ("Tu-Th 10:00-16:00"), which the "open at" filter evaluates and an OSM export can carry.
 */

/** Why a text could not be read as opening hours (stable codes, for tests and clients). */
export type OpeningHoursReason =
  'unknown_word' | 'invalid_time' | 'missing_time' | 'time_order' | 'unreadable' | 'invalid_osm'

export type OpeningHoursReading =
  | {
      readonly ok: true
      /** The OSM `opening_hours` value to store. */
      readonly value: string
      /** `osm`: the text was OSM syntax and is kept as given; `dutch`: it was converted. */
      readonly notation: 'osm' | 'dutch'
    }
  | { readonly ok: false; readonly reason: OpeningHoursReason; readonly message: Bilingual }

/** The OSM `opening_hours` evaluation context: the Netherlands, for public holidays. */
export const OPENING_HOURS_CONTEXT = {
  lat: 52.5,
  lon: 5.5,
  address: { country_code: 'nl', state: 'Flevoland' },
}

type Osm = { ok: true; warnings: boolean } | { ok: false; why: string }

function parseOsm(value: string): Osm {
  try {
    const oh = new OpeningHours(value, OPENING_HOURS_CONTEXT)
    return { ok: true, warnings: oh.getWarnings().length > 0 }
  } catch (e) {
    return { ok: false, why: String(e).replace(/\s+/g, ' ').trim() }
  }
}

const DAY_WORDS: Record<string, string> = {}
for (const [osm, words] of [
  ['Mo', 'ma maa maan maandag maandags'],
  ['Tu', 'di din dins dinsdag dinsdags'],
  ['We', 'wo woe woens woensdag woensdags'],
  ['Th', 'do don dond donderdag donderdags'],
  ['Fr', 'vr vrij vrijdag vrijdags'],
  ['Sa', 'za zat zaterdag zaterdags'],
  ['Su', 'zo zon zondag zondags'],
] as const) {
  for (const w of words.split(' ')) DAY_WORDS[w] = osm
}

/** Words that stand for several days at once. */
const DAY_GROUPS: Record<string, string> = {
  dagelijks: 'Mo-Su',
  elkedag: 'Mo-Su',
  alledagen: 'Mo-Su',
  werkdagen: 'Mo-Fr',
  doordeweeks: 'Mo-Fr',
  weekdagen: 'Mo-Fr',
  weekend: 'Sa,Su',
  weekends: 'Sa,Su',
  feestdagen: 'PH',
  feestdag: 'PH',
}

/** Words that carry no meaning of their own here ("op zaterdag", "9 uur", "van 9 tot 17"). */
const FILLER = new Set(['op', 'van', 'om', 'open', 'geopend', 's', 'uur', 'u', 'h', 'in', 'het'])
const CLOSED = new Set(['gesloten', 'dicht'])

type Token =
  | { kind: 'time'; text: string; hour: number; minute: number }
  | { kind: 'day'; text: string; osm: string; group: boolean }
  | { kind: 'closed'; text: string }
  | { kind: 'dash' | 'comma' | 'semicolon'; text: string }

type Failure = { ok: false; reason: OpeningHoursReason; message: Bilingual }
const fail = (reason: OpeningHoursReason, message: Bilingual): Failure => ({
  ok: false,
  reason,
  message,
})

function tokenize(input: string): Token[] | Failure {
  const text = input
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\bt\s*\/\s*m\b|\bt\.\s*m\.?|\btot en met\b|\btot\b/g, '-')
    .replace(/\belke dag\b|\biedere dag\b/g, 'elkedag')
    .replace(/\balle dagen\b/g, 'alledagen')
    .replace(/\ben\b|&|\+/g, ',')
  const tokens: Token[] = []
  const re = /\s+|(\d{1,2})(?:[:.](\d{2}))?|([a-z\u00e0-\u00ff]+)\.?|(-)|([,/])|(;|\n)|'|(.)/gy
  let m: RegExpExecArray | null
  while ((m = re.exec(text)) !== null && m[0] !== '') {
    if (m[1] !== undefined) {
      const hour = Number(m[1])
      const minute = m[2] === undefined ? 0 : Number(m[2])
      if (hour > 24 || minute > 59 || (hour === 24 && minute > 0)) {
        return fail('invalid_time', FIELD.openingHoursTime(m[0]))
      }
      tokens.push({ kind: 'time', text: m[0], hour, minute })
    } else if (m[3] !== undefined) {
      const word = m[3]
      if (FILLER.has(word)) continue
      if (CLOSED.has(word)) tokens.push({ kind: 'closed', text: word })
      else if (DAY_WORDS[word])
        tokens.push({ kind: 'day', text: word, osm: DAY_WORDS[word], group: false })
      else if (DAY_GROUPS[word])
        tokens.push({ kind: 'day', text: word, osm: DAY_GROUPS[word], group: true })
      else return fail('unknown_word', FIELD.openingHoursWord(word))
    } else if (m[4] !== undefined) tokens.push({ kind: 'dash', text: '-' })
    else if (m[5] !== undefined) tokens.push({ kind: 'comma', text: m[5] })
    else if (m[6] !== undefined) tokens.push({ kind: 'semicolon', text: ';' })
    else if (m[7] !== undefined) return fail('unknown_word', FIELD.openingHoursWord(m[7]))
  }
  return tokens
}

const hhmm = (t: { hour: number; minute: number }) =>
  `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`

/**
 * Converts opening hours in common Dutch notation to an OSM `opening_hours` value:
 * "di-do 10-16 uur" → "Tu-Th 10:00-16:00", "ma t/m vr 9:00-17:00" → "Mo-Fr 09:00-17:00",
 * "za 10.00-12.30" → "Sa 10:00-12:30", "ma,wo 9-12" → "Mo,We 09:00-12:00",
 * "dagelijks 8-20" → "Mo-Su 08:00-20:00", "ma-vr 9-12 en 13-17, za 10-12" →
 * "Mo-Fr 09:00-12:00,13:00-17:00; Sa 10:00-12:00", "zo gesloten" → "Su off".
 * Days: ma di wo do vr za zo (also written out), dagelijks / elke dag, werkdagen /
 * doordeweeks, weekend, feestdagen. Times: 9, 9:00, 9.00, 24-hour clock; "tot", "t/m" and
 * "-" for ranges; "uur", "van", "op" are ignored. A range that ends before it starts is read as
 * running past midnight only when it starts at 18:00 or later ("22-2"); "9 tot 5" is refused
 * with a hint to write 9-17. Never guesses: anything it does not know is an error naming the
 * word, in Dutch and English.
 */
export function dutchOpeningHours(input: string): { ok: true; value: string } | Failure {
  const tokens = tokenize(input.trim())
  if (!Array.isArray(tokens)) return tokens
  if (tokens.length === 0) return fail('unreadable', FIELD.openingHoursUnreadable)
  const rules: string[] = []
  let i = 0
  const peek = (k = 0) => tokens[i + k]
  while (i < tokens.length) {
    while (peek()?.kind === 'comma' || peek()?.kind === 'semicolon') i++
    if (i >= tokens.length) break
    // Days: "ma", "ma-vr", "ma,wo", "werkdagen", "ma-vr, za".
    const days: string[] = []
    const daysText: string[] = []
    while (peek()?.kind === 'day') {
      const from = peek() as Extract<Token, { kind: 'day' }>
      i++
      daysText.push(from.text)
      if (peek()?.kind === 'dash' && peek(1)?.kind === 'day') {
        const to = peek(1) as Extract<Token, { kind: 'day' }>
        if (from.group || to.group) return fail('unreadable', FIELD.openingHoursUnreadable)
        days.push(`${from.osm}-${to.osm}`)
        daysText.push('-', to.text)
        i += 2
      } else days.push(from.osm)
      if (peek()?.kind === 'comma' && peek(1)?.kind === 'day') {
        i++
        daysText.push(',')
      }
    }
    if (peek()?.kind === 'closed') {
      i++
      if (days.length === 0) return fail('unreadable', FIELD.openingHoursUnreadable)
      rules.push(`${days.join(',')} off`)
      continue
    }
    // Times: "9-17", "9-12, 13-17", "9-12 en 13-17".
    const ranges: string[] = []
    while (peek()?.kind === 'time') {
      const from = peek() as Extract<Token, { kind: 'time' }>
      const to = peek(2)
      if (peek(1)?.kind !== 'dash' || to?.kind !== 'time') {
        return fail('unreadable', FIELD.openingHoursUnreadable)
      }
      i += 3
      const start = from.hour * 60 + from.minute
      const end = to.hour * 60 + to.minute
      if (end === start || (end < start && from.hour < 18)) {
        return fail('time_order', FIELD.openingHoursOrder(hhmm(from), hhmm(to)))
      }
      ranges.push(`${hhmm(from)}-${hhmm(to)}`)
      if (peek()?.kind === 'comma' && peek(1)?.kind === 'time') i++
    }
    if (ranges.length === 0) {
      if (days.length > 0) return fail('missing_time', FIELD.openingHoursNoTime(daysText.join('')))
      return fail('unreadable', FIELD.openingHoursUnreadable)
    }
    rules.push(days.length ? `${days.join(',')} ${ranges.join(',')}` : ranges.join(','))
    const next = peek()
    if (next && next.kind !== 'comma' && next.kind !== 'semicolon' && next.kind !== 'day') {
      return fail('unreadable', FIELD.openingHoursUnreadable)
    }
  }
  const value = rules.join('; ')
  const osm = parseOsm(value)
  if (!osm.ok) return fail('unreadable', FIELD.openingHoursUnreadable)
  return { ok: true, value }
}

/** Whether a text looks like OSM syntax (English day abbreviations, PH, 24/7), not Dutch. */
const LOOKS_OSM = /\b(Mo|Tu|We|Th|Fr|Sa|Su|PH|SH|off)\b|24\/7/

/**
 * Reads opening hours as a person or a file gives them: OSM `opening_hours` syntax is kept as
 * given; common Dutch notation is converted ({@link dutchOpeningHours}); text with OSM's
 * English day names that the OSM parser only accepts with warnings ("Mo-Fr 9-17") is kept as
 * given, as before. Text that is neither is refused, also when the OSM parser would guess at it
 * ("ma-vr" without a time): the error says in plain Dutch (and English) what to write instead;
 * for text that looks like OSM syntax it gives the OSM parser's reason.
 */
export function readOpeningHours(input: string): OpeningHoursReading {
  const text = input.trim()
  const osm = parseOsm(text)
  if (osm.ok && !osm.warnings) return { ok: true, value: text, notation: 'osm' }
  const dutch = dutchOpeningHours(text)
  if (dutch.ok) {
    return dutch.value === text
      ? { ok: true, value: text, notation: 'osm' }
      : { ok: true, value: dutch.value, notation: 'dutch' }
  }
  if (!LOOKS_OSM.test(text)) return dutch
  return osm.ok
    ? { ok: true, value: text, notation: 'osm' }
    : fail('invalid_osm', FIELD.openingHours(osm.why))
}

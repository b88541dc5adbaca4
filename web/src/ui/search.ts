import type { FeatureCollection } from '../api-client/index.js'
import { locale, t } from '../i18n/index.js'
import { escapeHtml } from './dom.js'

type Place = FeatureCollection['features'][number]

/** Text to search in, lower case without accents ("café" matches "cafe"). */
const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()

const fields = ['name', 'organisation', 'address', 'description'] as const

/** Places whose name, organisation, address or description hold every word of the query. */
export function searchPlaces(places: readonly Place[], query: string, limit = 8): Place[] {
  const words = fold(query).split(/\s+/).filter(Boolean)
  if (words.length === 0) return []
  const hay = (p: Place) =>
    fold(fields.map((f) => (typeof p.properties[f] === 'string' ? p.properties[f] : '')).join(' '))
  const nameFirst = (p: Place) =>
    fold(String(p.properties.name)).startsWith(words[0] ?? '') ? 0 : 1
  return places
    .filter((p) => {
      const text = hay(p)
      return words.every((w) => text.includes(w))
    })
    .sort(
      (a, b) =>
        nameFirst(a) - nameFirst(b) ||
        String(a.properties.name).localeCompare(String(b.properties.name), locale),
    )
    .slice(0, limit)
}

/** Places as buttons (`data-result` = index), each with its organisation and address. */
export function renderPlaceList(places: readonly Place[]): string {
  return places
    .map((p, i) => {
      const sub = [p.properties.organisation, p.properties.address]
        .filter((v): v is string => typeof v === 'string')
        .join(' · ')
      return `<li><button type="button" data-result="${i}">${escapeHtml(String(p.properties.name))}${sub ? `<span class="sub">${escapeHtml(sub)}</span>` : ''}</button></li>`
    })
    .join('')
}

/** Search results for a query: nothing before typing, a note when nothing matches. */
export function renderResults(results: readonly Place[], query: string): string {
  if (!query.trim()) return ''
  if (results.length === 0) return `<li class="note">${t('noResults')}</li>`
  return renderPlaceList(results)
}

import type { AssetFeature, HistoryEntry, Taxonomy } from '../api-client/index.js'
import { escapeHtml } from './dom.js'

/** "21 nov 2026" (UX.md). */
export const dutchDate = (iso: string) =>
  new Intl.DateTimeFormat('nl-NL', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'Europe/Amsterdam',
  })
    .format(new Date(iso))
    .replace('.', '')

const ACTIONS: Record<HistoryEntry['action'], string> = {
  create: 'toegevoegd',
  update: 'gewijzigd',
  delete: 'verwijderd',
  restore: 'teruggezet',
  import: 'geïmporteerd',
}

const SOURCES: Record<string, string> = {
  user: 'ingevoerd op de kaart',
  osm: 'OpenStreetMap',
  cbs: 'CBS',
  import: 'geïmporteerd bestand',
  seed: 'startregister (plekken uit het onderzoek)',
}

const PRECISION_NOTE: Record<string, string> = {
  exact: '',
  street: 'Locatie bij benadering: de straat.',
  district: 'Locatie bij benadering: het midden van de wijk.',
  town: 'Locatie bij benadering: het midden van de plaats.',
}

/** All public fields of a place and its history, in plain Dutch. */
export function renderPlace(
  place: AssetFeature,
  history: HistoryEntry[],
  taxonomy: Taxonomy,
): string {
  const p = place.properties
  const label = (list: { code: string; label: { nl: string } }[], code: unknown) =>
    list.find((x) => x.code === code)?.label.nl ?? String(code)
  const rows: [string, string][] = []
  const add = (name: string, value: string | number | null | undefined) => {
    if (value === null || value === undefined || value === '') return
    rows.push([name, escapeHtml(String(value))])
  }
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? v : null)
  add('Soort', label(taxonomy.kinds, p.kind))
  add('Ontmoetingsplek', p.is_meeting_place ? 'ja' : 'nee')
  add('Status', label(taxonomy.status, p.status))
  add('Adres', text(p.address))
  add('Organisatie', text(p.organisation))
  add(
    'Voor wie',
    (p.target_groups as string[]).map((g) => label(taxonomy.target_groups, g)).join(', '),
  )
  add('Activiteiten', (p.activities as string[]).join(', '))
  add('Openingstijden', text(p.opening_hours))
  add('Rolstoeltoegankelijk', label(taxonomy.wheelchair, p.wheelchair))
  add('Gratis toegang', p.free_entry === null ? null : p.free_entry ? 'ja' : 'nee')
  add('Aantal plaatsen', text(p.capacity))
  add('Bron', SOURCES[String(p.source)] ?? text(p.source))
  add('Gecontroleerd', typeof p.verified_at === 'string' ? dutchDate(p.verified_at) : 'nog niet')
  const note = PRECISION_NOTE[String(p.location_precision)] ?? ''
  return `
    <h3>${escapeHtml(p.name)}</h3>
    ${typeof p.description === 'string' ? `<p>${escapeHtml(p.description)}</p>` : ''}
    ${note ? `<p class="note">${note}</p>` : ''}
    <dl class="figures">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
    <h4>Geschiedenis</h4>
    <ol class="history">${history
      .slice()
      .reverse()
      .map(
        (h) =>
          `<li>${dutchDate(h.at)}: ${ACTIONS[h.action]} door ${escapeHtml(h.actor)} (versie ${h.version})</li>`,
      )
      .join('')}</ol>
    <button type="button" id="place-close" class="secondary">Sluiten</button>`
}

import type { AssetFeature, HistoryEntry, Taxonomy } from '../api-client/index.js'
import { formatDate } from '../i18n/format.js'
import { pickLabel, t } from '../i18n/index.js'
import { escapeHtml } from './dom.js'

const ACTIONS = {
  create: 'actionCreate',
  update: 'actionUpdate',
  delete: 'actionDelete',
  restore: 'actionRestore',
  import: 'actionImport',
} as const

const SOURCES: Record<string, Parameters<typeof t>[0]> = {
  user: 'sourceUser',
  osm: 'sourceOsm',
  cbs: 'sourceCbs',
  import: 'sourceImport',
  seed: 'sourceSeed',
}

const PRECISION_NOTE: Record<string, Parameters<typeof t>[0]> = {
  street: 'precisionStreet',
  district: 'precisionDistrict',
  town: 'precisionTown',
}

/** All public fields of a place, its history, and what a person can do with it. */
export function renderPlace(
  place: AssetFeature,
  history: HistoryEntry[],
  taxonomy: Taxonomy,
): string {
  const p = place.properties
  const label = (list: { code: string; label: { nl: string; en: string } }[], code: unknown) => {
    const found = list.find((x) => x.code === code)
    return found ? pickLabel(found.label) : String(code)
  }
  const rows: [string, string][] = []
  const add = (name: string, value: string | number | null | undefined) => {
    if (value === null || value === undefined || value === '') return
    rows.push([name, escapeHtml(String(value))])
  }
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? v : null)
  add(t('fieldKind'), label(taxonomy.kinds, p.kind))
  add(t('fieldMeetingPlace'), p.is_meeting_place ? t('yes') : t('no'))
  add(t('fieldStatus'), label(taxonomy.status, p.status))
  add(t('fieldAddress'), text(p.address))
  add(t('fieldOrganisation'), text(p.organisation))
  add(
    t('fieldTargetGroups'),
    (p.target_groups as string[]).map((g) => label(taxonomy.target_groups, g)).join(', '),
  )
  add(t('fieldActivities'), (p.activities as string[]).join(', '))
  add(t('fieldOpeningHours'), text(p.opening_hours))
  add(t('fieldWheelchair'), label(taxonomy.wheelchair, p.wheelchair))
  add(t('fieldFreeEntry'), p.free_entry === null ? null : p.free_entry ? t('yes') : t('no'))
  add(t('fieldCapacity'), text(p.capacity))
  const source = SOURCES[String(p.source)]
  add(t('fieldSource'), source ? t(source) : text(p.source))
  add(
    t('fieldVerified'),
    typeof p.verified_at === 'string' ? formatDate(p.verified_at) : t('notYet'),
  )
  const precision = PRECISION_NOTE[String(p.location_precision)]
  return `
    <h3>${escapeHtml(p.name)}</h3>
    ${typeof p.description === 'string' ? `<p>${escapeHtml(p.description)}</p>` : ''}
    ${precision ? `<p class="note">${t(precision)}</p>` : ''}
    <dl class="figures">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
    <div class="actions">
      <button type="button" id="place-edit" class="secondary">${t('edit')}</button>
      <button type="button" id="place-delete" class="secondary danger">${t('delete')}</button>
    </div>
    <div id="place-confirm" class="confirm" role="alertdialog" aria-labelledby="place-confirm-text" hidden>
      <p id="place-confirm-text">${t('deleteConfirm')}</p>
      <button type="button" id="place-delete-yes" class="primary danger">${t('deleteYes')}</button>
      <button type="button" id="place-delete-no" class="secondary">${t('deleteNo')}</button>
    </div>
    <h4>${t('history')}</h4>
    <ol class="history">${history
      .slice()
      .reverse()
      .map(
        (h) =>
          `<li>${escapeHtml(t('historyItem', formatDate(h.at), t(ACTIONS[h.action]), h.actor, h.version))}</li>`,
      )
      .join('')}</ol>
    <button type="button" id="place-close" class="secondary">${t('close')}</button>`
}

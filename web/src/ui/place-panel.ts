import type { AssetFeature, HistoryEntry, Taxonomy } from '../api-client/index.js'
import { formatDate } from '../i18n/format.js'
import { pickLabel, t } from '../i18n/index.js'
import { roleText } from './account.js'
import { changedFields, fieldLabel } from './changes.js'
import { escapeHtml } from './dom.js'

const ACTIONS = {
  create: 'actionCreate',
  update: 'actionUpdate',
  delete: 'actionDelete',
  restore: 'actionRestore',
  import: 'actionImport',
  revert: 'actionRevert',
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

/** Who made a change when it was not an account: the labels the API writes. */
const SYSTEM_ACTORS: Record<string, Parameters<typeof t>[0]> = {
  'system:seed': 'actorSeed',
  'data-download': 'actorDownload',
  anonymous: 'aVisitor',
}

/** Who made a change, in words: the account's name, a known label, or "onbekend". */
export function actorText(entry: Pick<HistoryEntry, 'actor' | 'actor_name'>): string {
  if (entry.actor_name) return entry.actor_name
  const label = SYSTEM_ACTORS[entry.actor]
  return label ? t(label) : t('unknownActor')
}

/** What the person looking may do with a place. */
export interface PlaceRights {
  /** Edit (directly, or as a proposal for a contributor). */
  readonly edit: boolean
  /** Delete: directly with undo (moderator), directly (trusted), as a proposal, or not. */
  readonly delete: 'undo' | 'direct' | 'propose' | 'none'
  readonly verify: boolean
  readonly revert: boolean
}

/** "Gecontroleerd door moderator op 21 nov 2026", or the warning that it may be out of date. */
function verification(p: AssetFeature['properties']): string {
  const at = typeof p.verified_at === 'string' ? formatDate(p.verified_at) : undefined
  if (p.possibly_outdated === true) {
    return `<p id="place-verified" class="outdated"><span class="outdated-dot" aria-hidden="true"></span><strong>${t('possiblyOutdated')}</strong> (${
      at ? t('outdatedLast', at) : t('outdatedNever')
    })</p>`
  }
  const text = !at
    ? t('notVerified')
    : typeof p.verified_by_role === 'string'
      ? t('verifiedBy', roleText(p.verified_by_role), at)
      : t('verifiedOn', at)
  return `<p id="place-verified" class="verified">${escapeHtml(text)}</p>`
}

/** The history, newest first: date, what, who, which fields changed; older versions revertible. */
function renderHistory(history: HistoryEntry[], rights: PlaceRights): string {
  const latest = Math.max(...history.map((h) => h.version))
  return history
    .slice()
    .reverse()
    .map((h) => {
      const changed =
        h.before && h.after && (h.action === 'update' || h.action === 'revert')
          ? changedFields(h.before, h.after)
          : []
      // Marked as checked: only the two verification fields changed.
      const verified =
        h.action === 'update' &&
        changed.length > 0 &&
        changed.every((f) => f === 'verified_at' || f === 'verified_by_role')
      const action = verified ? t('actionVerify') : t(ACTIONS[h.action])
      const line = t('historyItem', formatDate(h.at), action, actorText(h), h.version)
      const fields = verified ? [] : changed.map(fieldLabel)
      const revertible = rights.revert && h.version < latest && h.after && h.action !== 'delete'
      return `<li data-version="${h.version}">${escapeHtml(line)}${
        h.proposal_id ? ` <span class="sub">${t('viaProposal')}</span>` : ''
      }${h.version === latest ? ` <span class="sub">(${t('currentVersion')})</span>` : ''}${
        fields.length
          ? `<span class="changed">${escapeHtml(t('changedFields', fields.join(', ')))}</span>`
          : ''
      }${
        revertible
          ? `<button type="button" class="link small" data-revert="${h.version}">${t('revertButton')}</button>`
          : ''
      }</li>`
    })
    .join('')
}

/** All fields of a place the viewer may see, its history, and what they can do with it. */
export function renderPlace(
  place: AssetFeature,
  history: HistoryEntry[],
  taxonomy: Taxonomy,
  rights: PlaceRights,
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
    ((p.target_groups as string[] | undefined) ?? [])
      .map((g) => label(taxonomy.target_groups, g))
      .join(', '),
  )
  add(t('fieldActivities'), ((p.activities as string[] | undefined) ?? []).join(', '))
  add(t('fieldOpeningHours'), text(p.opening_hours))
  add(t('fieldWheelchair'), label(taxonomy.wheelchair, p.wheelchair))
  add(t('fieldFreeEntry'), p.free_entry === null ? null : p.free_entry ? t('yes') : t('no'))
  add(t('fieldCapacity'), text(p.capacity))
  // Contact details come only to signed-in people (the API leaves them out for visitors).
  add(t('fieldContactName'), text(p.contact_name))
  if (typeof p.contact_email === 'string' && p.contact_email) {
    rows.push([
      t('fieldContactEmail'),
      `<a href="mailto:${escapeHtml(p.contact_email)}">${escapeHtml(p.contact_email)}</a>`,
    ])
  }
  if (typeof p.contact_phone === 'string' && p.contact_phone) {
    rows.push([
      t('fieldContactPhone'),
      `<a href="tel:${escapeHtml(p.contact_phone.replace(/[^+0-9]/g, ''))}">${escapeHtml(p.contact_phone)}</a>`,
    ])
  }
  const source = SOURCES[String(p.source)]
  add(t('fieldSource'), source ? t(source) : text(p.source))
  const precision = PRECISION_NOTE[String(p.location_precision)]
  const deleteText =
    rights.delete === 'propose'
      ? t('deleteConfirmProposal')
      : rights.delete === 'direct'
        ? t('deleteConfirmNoUndo')
        : t('deleteConfirm')
  const actions = [
    rights.edit
      ? `<button type="button" id="place-edit" class="secondary">${t('edit')}</button>`
      : '',
    rights.delete !== 'none'
      ? `<button type="button" id="place-delete" class="secondary danger">${t('delete')}</button>`
      : '',
  ].join('')
  return `
    <h3>${escapeHtml(p.name)}</h3>
    ${verification(p)}
    ${typeof p.description === 'string' ? `<p class="description">${escapeHtml(p.description)}</p>` : ''}
    ${precision ? `<p class="note">${t(precision)}</p>` : ''}
    <dl class="figures">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
    ${
      rights.verify
        ? `<div class="verify"><p class="note">${t('verifyHint')}</p><button type="button" id="place-verify" class="secondary">${t('verifyButton')}</button></div>`
        : ''
    }
    ${actions ? `<div class="actions">${actions}</div>` : ''}
    <div id="place-confirm" class="confirm" role="alertdialog" aria-labelledby="place-confirm-text" hidden>
      <p id="place-confirm-text">${deleteText}</p>
      <button type="button" id="place-delete-yes" class="primary danger">${
        rights.delete === 'propose' ? t('deleteProposeYes') : t('deleteYes')
      }</button>
      <button type="button" id="place-delete-no" class="secondary">${t('deleteNo')}</button>
    </div>
    <h4>${t('history')}</h4>
    <ol id="place-history" class="history">${renderHistory(history, rights)}</ol>
    <div id="revert-confirm" class="confirm" role="alertdialog" aria-labelledby="revert-confirm-text" hidden>
      <p id="revert-confirm-text"></p>
      <button type="button" id="revert-yes" class="primary">${t('revertYes')}</button>
      <button type="button" id="revert-no" class="secondary">${t('revertNo')}</button>
    </div>
    <button type="button" id="place-close" class="secondary">${t('close')}</button>`
}

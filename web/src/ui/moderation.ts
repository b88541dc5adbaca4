import {
  api,
  ApiError,
  type AssetFeature,
  type Proposal,
  type Taxonomy,
} from '../api-client/index.js'
import { formatDate, formatDistance } from '../i18n/format.js'
import { t } from '../i18n/index.js'
import { may } from './account.js'
import { changedFields, fieldLabel, POSITION, showValue } from './changes.js'
import { byId, escapeHtml } from './dom.js'
import { showToast } from './toast.js'

/** The map abilities the review needs: where the place is now, and where it would be. */
export interface ReviewMap {
  showReview(before: [number, number] | undefined, after: [number, number] | undefined): void
}

const ACTION_TEXT = {
  create: 'proposalCreate',
  update: 'proposalUpdate',
  delete: 'proposalDelete',
} as const

const STATUS_TEXT = {
  pending: 'proposalPending',
  approved: 'proposalApproved',
  rejected: 'proposalRejected',
} as const

const nameOf = (p: Proposal) => String(p.after?.properties.name ?? p.before?.properties.name ?? '')

const proposerOf = (p: Proposal) => p.proposer.name ?? t('aVisitor')

/** "Nieuwe plek: Buurtkamer" */
const headline = (p: Proposal) => `${t(ACTION_TEXT[p.action])}: ${nameOf(p)}`

const positionOf = (f: AssetFeature | null) => f?.geometry.coordinates

/** Metres between two positions (a move of a few hundred metres at most: flat is exact enough). */
function metresBetween([lon1, lat1]: [number, number], [lon2, lat2]: [number, number]) {
  const k = (Math.PI / 180) * 6_371_000
  const dx = (lon2 - lon1) * k * Math.cos(((lat1 + lat2) / 2) * (Math.PI / 180))
  const dy = (lat2 - lat1) * k
  return Math.hypot(dx, dy)
}

/**
 * The changed fields of a proposal as a table: field, as it is now, as proposed. A new place has
 * no "now"; a move reads as a distance, with the dots on the map.
 */
function diffTable(p: Proposal, taxonomy: Taxonomy | undefined): string {
  if (p.action === 'delete') return `<p>${t('proposalDeleteText')}</p>`
  const fields = changedFields(p.before, p.after)
  if (fields.length === 0) return `<p class="note">${t('proposalNoChanges')}</p>`
  const isNew = !p.before
  const cell = (f: string, side: AssetFeature | null, which: 'before' | 'after') => {
    if (f !== POSITION) return showValue(f, side, taxonomy)
    if (which === 'before') return t('diffPositionNow')
    const from = positionOf(p.before)
    const to = positionOf(p.after)
    return from && to
      ? t('diffPositionMoved', formatDistance(metresBetween(from, to)))
      : t('diffPositionNew')
  }
  // One group per field: its name across the width (the panel is narrow), its values below.
  const groups = fields
    .map(
      (f) =>
        `<tbody><tr><th scope="rowgroup" colspan="${isNew ? 1 : 2}">${escapeHtml(
          fieldLabel(f),
        )}</th></tr><tr>${
          isNew ? '' : `<td>${escapeHtml(cell(f, p.before, 'before'))}</td>`
        }<td><ins>${escapeHtml(cell(f, p.after, 'after'))}</ins></td></tr></tbody>`,
    )
    .join('')
  return `<table class="diff${isNew ? ' new' : ''}"><caption>${t('diffCaption')}</caption><thead><tr>${
    isNew ? '' : `<th scope="col">${t('diffNow')}</th>`
  }<th scope="col">${t('diffProposed')}</th></tr></thead>${groups}</table>`
}

/**
 * The moderators' queue (pending proposals: what, which place, by whom, when). A selected
 * proposal shows on the map (now grey, proposed highlighted) and as a table of its changes;
 * it is approved, or rejected with a reason the proposer reads. Contributors see their own
 * proposals with their status and the moderator's reason.
 */
export function createModeration(deps: {
  map: ReviewMap
  taxonomy: Promise<Taxonomy>
  /** A proposal was approved: the place changed. */
  onApproved: (asset: AssetFeature | null) => void
}) {
  const section = byId<HTMLElement>('moderation')
  const count = byId<HTMLElement>('moderation-count')
  const list = byId<HTMLElement>('moderation-list')
  const detail = byId<HTMLElement>('proposal-detail')
  const mine = byId<HTMLElement>('my-proposals')
  const mineList = byId<HTMLElement>('my-proposals-list')
  let pending: Proposal[] = []
  let selected: string | undefined
  let taxonomy: Taxonomy | undefined
  void deps.taxonomy.then((x) => (taxonomy = x)).catch(() => undefined)

  function renderList() {
    count.textContent = t('moderationCount', pending.length)
    list.innerHTML = pending
      .map(
        (p, i) =>
          `<li><button type="button" data-proposal="${i}" aria-pressed="${p.id === selected}"><strong>${escapeHtml(
            headline(p),
          )}</strong><span class="sub">${escapeHtml(
            t('proposalBy', proposerOf(p), formatDate(p.created_at)),
          )}</span></button></li>`,
      )
      .join('')
  }

  function close() {
    selected = undefined
    detail.hidden = true
    detail.replaceChildren()
    deps.map.showReview(undefined, undefined)
    renderList()
  }

  function select(p: Proposal) {
    selected = p.id
    renderList()
    detail.hidden = false
    detail.innerHTML = `
      <h3 id="proposal-title" tabindex="-1">${escapeHtml(headline(p))}</h3>
      <p class="note">${escapeHtml(t('proposalBy', proposerOf(p), formatDate(p.created_at)))}</p>
      ${p.note ? `<p class="proposal-note">${escapeHtml(t('proposalNote', p.note))}</p>` : ''}
      <ul class="review-legend">
        ${p.before ? `<li><span class="mark mark-before" aria-hidden="true"></span>${t('diffNowMark')}</li>` : ''}
        ${p.after ? `<li><span class="mark mark-after" aria-hidden="true"></span>${t('diffProposedMark')}</li>` : ''}
      </ul>
      ${diffTable(p, taxonomy)}
      <p id="proposal-error" class="form-summary" role="alert"></p>
      <div class="actions">
        <button type="button" id="proposal-approve" class="primary">${t('approve')}</button>
        <button type="button" id="proposal-reject" class="secondary danger">${t('reject')}</button>
        <button type="button" id="proposal-close" class="secondary">${t('close')}</button>
      </div>
      <form id="reject-form" class="reject" novalidate hidden>
        <label for="reject-reason">${t('rejectReason')}</label>
        <textarea id="reject-reason" name="reason" rows="3" aria-describedby="reject-error"></textarea>
        <p id="reject-error" class="field-error"></p>
        <button type="submit" class="primary danger">${t('rejectSend')}</button>
      </form>`
    deps.map.showReview(positionOf(p.before), positionOf(p.after))
    byId<HTMLElement>('proposal-title').focus()
    const error = byId<HTMLElement>('proposal-error')
    const buttons = () => detail.querySelectorAll<HTMLButtonElement>('button')
    const busy = (on: boolean) => buttons().forEach((b) => (b.disabled = on))
    byId<HTMLButtonElement>('proposal-close').addEventListener('click', close)
    byId<HTMLButtonElement>('proposal-approve').addEventListener('click', () => {
      error.textContent = ''
      busy(true)
      void api
        .approve(p.id)
        .then(async ({ asset }) => {
          showToast(t('approved', nameOf(p)))
          close()
          await refresh()
          deps.onApproved(asset)
        })
        .catch((e: unknown) => {
          busy(false)
          error.textContent =
            e instanceof ApiError && e.status === 409
              ? t('approveConflict')
              : e instanceof ApiError
                ? e.message
                : t('offline')
        })
    })
    const rejectForm = byId<HTMLFormElement>('reject-form')
    const reason = byId<HTMLTextAreaElement>('reject-reason')
    byId<HTMLButtonElement>('proposal-reject').addEventListener('click', () => {
      rejectForm.hidden = false
      reason.focus()
    })
    rejectForm.addEventListener('submit', (e) => {
      e.preventDefault()
      const rejectError = byId<HTMLElement>('reject-error')
      rejectError.textContent = ''
      if (!reason.value.trim()) {
        rejectError.textContent = t('rejectReasonNeeded')
        reason.setAttribute('aria-invalid', 'true')
        reason.focus()
        return
      }
      busy(true)
      void api
        .reject(p.id, reason.value.trim())
        .then(async () => {
          showToast(t('rejected'))
          close()
          await refresh()
        })
        .catch((err: unknown) => {
          busy(false)
          rejectError.textContent = err instanceof ApiError ? err.message : t('offline')
        })
    })
  }

  list.addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-proposal]')
    const p = button ? pending[Number(button.dataset.proposal)] : undefined
    if (p) select(p)
  })

  /** One's own proposals, newest first, with what became of them. */
  function renderMine(proposals: Proposal[]) {
    mineList.innerHTML = proposals.length
      ? proposals
          .slice()
          .sort((a, b) => b.created_at.localeCompare(a.created_at))
          .map(
            (p) =>
              `<li><strong>${escapeHtml(headline(p))}</strong> <span class="proposal-status status-${p.status}">${t(
                STATUS_TEXT[p.status],
              )}</span><span class="sub">${formatDate(p.created_at)}</span>${
                p.reason
                  ? `<span class="reason">${escapeHtml(t('proposalReason', p.reason))}</span>`
                  : ''
              }</li>`,
          )
          .join('')
      : `<li class="note">${t('noProposals')}</li>`
  }

  /** Loads what the person signed in should see: the queue, or their own proposals. */
  async function refresh() {
    const moderator = may('moderator')
    const contributor = may('contributor') && !moderator
    section.hidden = !moderator
    // A trusted contributor sees the list only when it holds older proposals (see below).
    mine.hidden = !contributor || may('trusted')
    if (!moderator && selected) close()
    try {
      if (moderator) {
        if (!pending.length) count.textContent = t('moderationLoading')
        pending = await api.proposals('pending')
        if (selected && !pending.some((p) => p.id === selected)) close()
        renderList()
        document.body.dataset.proposals = String(pending.length)
      } else if (contributor) {
        const proposals = await api.proposals()
        renderMine(proposals)
        // A trusted contributor's changes apply directly: the list only shows older proposals.
        mine.hidden = proposals.length === 0 && may('trusted')
      }
    } catch (e) {
      const text = e instanceof ApiError ? e.message : t('moderationFailed')
      if (moderator) count.textContent = text
      else mineList.innerHTML = `<li class="note">${escapeHtml(text)}</li>`
    }
  }

  return { refresh, close, isOpen: () => selected !== undefined }
}

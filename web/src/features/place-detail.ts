import {
  api,
  ApiError,
  type AssetFeature,
  type Proposal,
  type Taxonomy,
} from '../api-client/index.js'
import { t } from '../i18n/index.js'
import { latest, type Store } from '../state/store.js'
import type { ViewState } from '../state/view.js'
import { may } from '../ui/account.js'
import { byId, escapeHtml } from '../ui/dom.js'
import type { PlaceValues } from '../ui/place-form.js'
import { renderPlace, type PlaceRights } from '../ui/place-panel.js'
import type { Scenario } from '../ui/scenario.js'
import { showToast } from '../ui/toast.js'

/** What the person signed in may do with a place (a visitor: nothing). */
function rights(): PlaceRights {
  return {
    edit: may('contributor'),
    delete: may('moderator')
      ? 'undo'
      : may('trusted')
        ? 'direct'
        : may('contributor')
          ? 'propose'
          : 'none',
    verify: may('trusted'),
    revert: may('moderator'),
  }
}

const failure = (e: unknown) => (e instanceof ApiError ? e.message : t('offline'))

/**
 * The Plek section: the place of the view state with its history, and what one may do with it
 * (edit, delete with undo, verify, revert to a version, let it close in a scenario).
 */
export function createPlaceDetail(deps: {
  store: Store<ViewState>
  taxonomy: Promise<Taxonomy>
  scenario: () => Scenario
  edit: (place: AssetFeature) => Promise<void>
  /** The register changed: the map, list and figures follow. */
  reload: () => Promise<void>
  /** A proposal went to the moderators. */
  onProposed: () => void
}) {
  const { store } = deps
  const placeSection = byId<HTMLElement>('place')
  const placeBody = byId<HTMLElement>('place-body')
  const request = latest()
  let shown: Promise<void> = Promise.resolve()

  /** Shows one place with its history (or closes the section). */
  async function render(id: string) {
    const signal = request.next()
    if (!id) {
      placeSection.hidden = true
      placeBody.innerHTML = ''
      delete document.body.dataset.place
      return
    }
    placeSection.hidden = false
    // Another place: say it is loading. The same place again (after a change): keep it in view.
    if (document.body.dataset.place !== id) {
      placeBody.innerHTML = `<p class="note">${t('placeLoading')}</p>`
    }
    try {
      const [place, history, labels] = await Promise.all([
        api.asset(id),
        api.history(id),
        deps.taxonomy,
      ])
      if (signal.aborted) return
      placeBody.innerHTML = renderPlace(place, history, labels, rights())
      byId<HTMLButtonElement>('place-close').addEventListener('click', () => void open(''))
      document.getElementById('place-edit')?.addEventListener('click', () => void deps.edit(place))
      const confirm = byId<HTMLElement>('place-confirm')
      document.getElementById('place-delete')?.addEventListener('click', () => {
        confirm.hidden = false
        byId<HTMLButtonElement>('place-delete-no').focus()
      })
      byId<HTMLButtonElement>('place-delete-no').addEventListener('click', () => {
        confirm.hidden = true
      })
      byId<HTMLButtonElement>('place-delete-yes').addEventListener(
        'click',
        () => void deletePlace(place),
      )
      document.getElementById('place-verify')?.addEventListener('click', (e) => {
        const button = e.currentTarget as HTMLButtonElement
        button.disabled = true
        void api
          .verifyAsset(place.id)
          .then(async () => {
            showToast(t('verifiedNow', place.properties.name))
            await deps.reload()
            await open(place.id)
          })
          .catch((err: unknown) => {
            button.disabled = false
            showToast(failure(err))
          })
      })
      offerRevert(place)
      offerClosing(place)
      byId<HTMLButtonElement>('place-close').focus({ preventScroll: true })
      document.body.dataset.place = id
    } catch (e) {
      if (signal.aborted) return
      placeBody.innerHTML = `<p class="note">${e instanceof ApiError ? escapeHtml(e.message) : t('placeFailed')}</p>`
    }
  }

  /** Opens a place ('' closes): the view state names it; the same place again is shown anew. */
  function open(id: string): Promise<void> {
    if (id === store.get().place) shown = render(id)
    else store.set({ place: id })
    return shown
  }

  /** A contributor's change went to the moderators: say so, and show the place as it still is. */
  function proposed(proposal: Proposal) {
    showToast(t('proposalSent'))
    deps.onProposed()
    if (proposal.asset_id && proposal.asset_id === store.get().place) void open(proposal.asset_id)
  }

  /**
   * Deletes a place after the inline confirmation. A moderator's toast offers undo (restore); a
   * contributor's delete is a proposal.
   */
  async function deletePlace(place: AssetFeature) {
    let proposal: Proposal | undefined
    try {
      proposal = await api.deleteAsset(place.id, place.properties.version)
    } catch (e) {
      showToast(failure(e))
      return
    }
    if (proposal) {
      proposed(proposal)
      return
    }
    await open('')
    await deps.reload()
    // Only a moderator may bring a deleted place back.
    if (!may('moderator')) {
      showToast(t('deleted', place.properties.name))
      return
    }
    showToast(t('deleted', place.properties.name), {
      label: t('undo'),
      run: () =>
        void api
          .restoreAsset(place.id)
          .then(async (restored) => {
            await deps.reload()
            await open(restored.id)
            showToast(t('undone'))
          })
          .catch((e: unknown) => showToast(failure(e))),
    })
  }

  /**
   * In a what-if scenario, an open meeting place can close (only in the scenario): the preview
   * then shows who loses a place nearby.
   */
  function offerClosing(place: AssetFeature) {
    const scenario = deps.scenario()
    const p = place.properties
    if (!scenario.isActive() || p.is_meeting_place !== true || p.status !== 'active') return
    if (scenario.isClosed(place.id)) return
    const box = document.createElement('div')
    box.className = 'scenario-closing'
    const button = document.createElement('button')
    button.type = 'button'
    button.id = 'place-scenario-close'
    button.className = 'secondary'
    button.textContent = t('scenarioCloseThis')
    const note = document.createElement('p')
    note.className = 'note'
    note.textContent = t('scenarioCloseNote')
    button.addEventListener('click', () => {
      scenario.closePlace(place.id, p.name)
      box.remove()
    })
    box.append(button, note)
    placeBody.append(box)
  }

  /** "Terugzetten naar deze versie": asked inline under that version, then a new version. */
  function offerRevert(place: AssetFeature) {
    const history = byId<HTMLElement>('place-history')
    const confirm = byId<HTMLElement>('revert-confirm')
    let version = 0
    history.addEventListener('click', (e) => {
      const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-revert]')
      if (!button) return
      version = Number(button.dataset.revert)
      byId<HTMLElement>('revert-confirm-text').textContent = t('revertConfirm', version)
      button.closest('li')?.append(confirm)
      confirm.hidden = false
      byId<HTMLButtonElement>('revert-no').focus()
    })
    byId<HTMLButtonElement>('revert-no').addEventListener('click', () => {
      confirm.hidden = true
    })
    byId<HTMLButtonElement>('revert-yes').addEventListener('click', () => {
      byId<HTMLButtonElement>('revert-yes').disabled = true
      void api
        .revertAsset(place.id, version)
        .then(async () => {
          showToast(t('reverted', version))
          await deps.reload()
          await open(place.id)
        })
        .catch((err: unknown) => {
          byId<HTMLButtonElement>('revert-yes').disabled = false
          showToast(failure(err))
        })
    })
  }

  store.subscribe((s, prev) => {
    if (s.place !== prev.place) shown = render(s.place)
  })

  return {
    open,
    proposed,
    /** Shows the place of the state (after loading the page, or when rights changed). */
    refresh: () => (store.get().place ? open(store.get().place) : Promise.resolve()),
    isOpen: () => !placeSection.hidden,
    /** After a save: show the place, and for an edit offer to undo it (back to what it was). */
    saved(place: AssetFeature, previous: { version: number; values: PlaceValues } | undefined) {
      void deps.reload().then(() => open(place.id))
      if (!previous) {
        showToast(t('savedAs', place.properties.name))
        return
      }
      showToast(t('savedAs', place.properties.name), {
        label: t('undo'),
        run: () => {
          const { position, ...fields } = previous.values
          void api
            .updateAsset(place.id, previous.version, {
              properties: fields,
              ...(position ? { geometry: { type: 'Point' as const, coordinates: position } } : {}),
            })
            .then(async (back) => {
              if (back.proposal) {
                proposed(back.proposal)
                return
              }
              await deps.reload()
              await open(back.asset.id)
              showToast(t('undone'))
            })
            .catch((e: unknown) => showToast(failure(e)))
        },
      })
    },
  }
}

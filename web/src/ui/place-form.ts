import {
  api,
  ApiError,
  type AssetFeature,
  type Proposal,
  type Taxonomy,
} from '../api-client/index.js'
import { pickLabel, t } from '../i18n/index.js'
import { KIND_ICONS } from '../map/icons.js'
import { latest } from '../state/store.js'
import { byId, escapeHtml } from './dom.js'

/** The map abilities the form needs. */
export interface DraftMap {
  setDraft(position: [number, number] | undefined, moved: (lon: number, lat: number) => void): void
  /** Brings a point into view (the pin just placed), the bottom sheet taken into account. */
  flyTo(lon: number, lat: number, zoom?: number): void
  /** Asks the device where it is (the map's "locate me"). */
  locate(): void
}

/** A kind's Maki icon as an inline SVG element (decorative: the label says what it is). */
function kindIcon(code: string): SVGElement | undefined {
  const svg = KIND_ICONS[code]
  if (!svg) return undefined
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml')
  const icon = doc.documentElement as unknown as SVGElement
  icon.removeAttribute('id')
  icon.setAttribute('aria-hidden', 'true')
  icon.setAttribute('focusable', 'false')
  icon.setAttribute('class', 'kind-icon')
  return document.importNode(icon, true)
}

/** While a spot is chosen on a phone the sheet is a one-line bar and the map is free. */
function setPicking(on: boolean) {
  document.body.dataset.picking = String(on)
  byId<HTMLElement>('pick-bar').hidden = !on
}

/** The fields the form edits, by their API names. */
const FIELDS = [
  'name',
  'kind',
  'address',
  'description',
  'opening_hours',
  'wheelchair',
  'free_entry',
  'contact_name',
  'contact_email',
  'contact_phone',
] as const
type Field = (typeof FIELDS)[number]
interface Values {
  name: string
  kind: string | null
  address: string | null
  description: string | null
  opening_hours: string | null
  wheelchair: string
  free_entry: boolean | null
  contact_name: string | null
  contact_email: string | null
  contact_phone: string | null
  position: [number, number] | undefined
}

const LABEL: Record<Field | 'position', Parameters<typeof t>[0]> = {
  name: 'fieldName',
  kind: 'fieldKind',
  address: 'fieldAddress',
  description: 'fieldDescription',
  opening_hours: 'fieldOpeningHours',
  wheelchair: 'fieldWheelchair',
  free_entry: 'fieldFreeEntry',
  contact_name: 'fieldContactName',
  contact_email: 'fieldContactEmail',
  contact_phone: 'fieldContactPhone',
  position: 'position',
}

const DRAFT_KEY = 'buurtkaart.draft'
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

function valuesOf(
  place: { properties: Record<string, unknown> } & { lon?: number; lat?: number },
  position: [number, number],
): Values {
  const p = place.properties
  const text = (v: unknown) => (typeof v === 'string' ? v : null)
  return {
    name: text(p.name) ?? '',
    kind: text(p.kind),
    address: text(p.address),
    description: text(p.description),
    opening_hours: text(p.opening_hours),
    wheelchair: text(p.wheelchair) ?? 'unknown',
    free_entry: typeof p.free_entry === 'boolean' ? p.free_entry : null,
    contact_name: text(p.contact_name),
    contact_email: text(p.contact_email),
    contact_phone: text(p.contact_phone),
    position,
  }
}

interface Editing {
  readonly id: string
  /** The version the person started from, and its values: the base of a merge. */
  version: number
  base: Values
}

/**
 * Adding and editing a place in one form: position on the map (tap, device location, or drag
 * the pin), name and kind first, the rest may wait. The API's refusals show next to their field.
 * A stale edit never overwrites: the other person's change is shown beside one's own, to apply
 * one's changes on top or take theirs. What was typed survives a failed save, closing by
 * accident (asked first) and a reload (kept as a draft in this browser).
 *
 * A visitor (when the map allows suggestions) uses the same form to suggest a place: no contact
 * fields, a note for the moderator, and a honeypot field that people never see.
 */
export function createPlaceForm(deps: {
  map: DraftMap
  taxonomy: Promise<Taxonomy>
  /** True while nobody is signed in: the form suggests instead of saving. */
  suggesting: () => boolean
  /** True when a save becomes a proposal (a visitor, or a contributor). */
  proposing: () => boolean
  onSaved: (place: AssetFeature, previous: { version: number; values: Values } | undefined) => void
  /** A contributor's change (or a visitor's suggestion) went to the moderators. */
  onProposed: (proposal: Proposal) => void
  /** The form opened (its section shows it). */
  onOpen?: () => void
}) {
  const section = byId<HTMLElement>('add')
  const title = byId<HTMLElement>('add-title')
  const form = byId<HTMLFormElement>('add-form')
  const where = byId<HTMLElement>('add-where')
  const summary = byId<HTMLElement>('add-summary')
  const conflictBox = byId<HTMLElement>('add-conflict')
  const unsavedBox = byId<HTMLElement>('add-unsaved')
  const geometryError = byId<HTMLElement>('err-geometry')
  const locationButton = byId<HTMLButtonElement>('use-location')
  const contactBox = byId<HTMLFieldSetElement>('add-contact')
  const suggestBox = byId<HTMLElement>('add-suggest')
  const note = byId<HTMLTextAreaElement>('add-note')
  const honeypot = byId<HTMLInputElement>('add-website')
  let position: [number, number] | undefined
  let editing: Editing | undefined
  let initial: Values | undefined

  const input = <T extends HTMLElement>(field: Field) => byId<T>(`add-${field}`)

  function read(): Values {
    const data = new FormData(form)
    const text = (name: string) => {
      const v = data.get(name)
      return typeof v === 'string' && v.trim() !== '' ? v.trim() : null
    }
    const free = data.get('free_entry')
    return {
      name: (data.get('name') as string | null) ?? '',
      kind: text('kind'),
      address: text('address'),
      description: text('description'),
      opening_hours: text('opening_hours'),
      wheelchair: text('wheelchair') ?? 'unknown',
      free_entry: free === 'true' ? true : free === 'false' ? false : null,
      contact_name: text('contact_name'),
      contact_email: text('contact_email'),
      contact_phone: text('contact_phone'),
      position,
    }
  }

  function fill(v: Values) {
    input<HTMLInputElement>('name').value = v.name
    for (const radio of form.querySelectorAll<HTMLInputElement>('input[name=kind]')) {
      radio.checked = radio.value === v.kind
    }
    input<HTMLInputElement>('address').value = v.address ?? ''
    input<HTMLTextAreaElement>('description').value = v.description ?? ''
    input<HTMLInputElement>('opening_hours').value = v.opening_hours ?? ''
    input<HTMLSelectElement>('wheelchair').value = v.wheelchair === 'unknown' ? '' : v.wheelchair
    input<HTMLSelectElement>('free_entry').value = v.free_entry === null ? '' : String(v.free_entry)
    input<HTMLInputElement>('contact_name').value = v.contact_name ?? ''
    input<HTMLInputElement>('contact_email').value = v.contact_email ?? ''
    input<HTMLInputElement>('contact_phone').value = v.contact_phone ?? ''
    if (v.position) setPosition(v.position[0], v.position[1], false)
  }

  const dirty = () => initial !== undefined && !same({ ...read() }, initial)

  function saveDraft() {
    try {
      if (dirty()) localStorage.setItem(DRAFT_KEY, JSON.stringify({ editing, values: read() }))
      else localStorage.removeItem(DRAFT_KEY)
    } catch {
      // No storage (private mode): the open form still holds the input.
    }
  }

  function setPosition(lon: number, lat: number, byPerson = true) {
    position = [lon, lat]
    deps.map.setDraft(position, (x, y) => setPosition(x, y))
    if (byPerson) where.textContent = editing ? t('moveHint') : t('picked')
    geometryError.textContent = ''
    if (byPerson) saveDraft()
  }

  /** A spot chosen by a tap or the device: the pin is shown, and the form comes back. */
  function placed(lon: number, lat: number) {
    setPosition(lon, lat)
    // The sheet first, so the map knows how much of it the sheet covers.
    if (document.body.dataset.picking === 'true') {
      setPicking(false)
      input<HTMLInputElement>('name').focus({ preventScroll: true })
    }
    deps.map.flyTo(lon, lat, 15)
  }

  const clearErrors = () => {
    summary.replaceChildren()
    geometryError.textContent = ''
    conflictBox.hidden = true
    conflictBox.replaceChildren()
    for (const f of FIELDS) {
      const error = document.getElementById(`err-${f}`)
      if (error) error.textContent = ''
      document.getElementById(`add-${f}`)?.removeAttribute('aria-invalid')
    }
  }

  async function buildKinds() {
    const { kinds } = await deps.taxonomy
    const box = byId<HTMLFieldSetElement>('add-kinds')
    for (const kind of kinds) {
      const label = document.createElement('label')
      const radio = document.createElement('input')
      radio.type = 'radio'
      radio.name = 'kind'
      radio.value = kind.code
      radio.setAttribute('aria-describedby', 'err-kind')
      const text = document.createElement('span')
      text.textContent = pickLabel(kind.label)
      const icon = kindIcon(kind.code)
      label.append(radio, ...(icon ? [icon] : []), text)
      box.append(label)
    }
  }

  function open(values: Values | undefined, edit: Editing | undefined) {
    clearErrors()
    unsavedBox.hidden = true
    editing = edit
    section.hidden = false
    const suggesting = !edit && deps.suggesting()
    title.textContent = edit ? t('editPlace') : suggesting ? t('suggestTitle') : t('newPlace')
    locationButton.hidden = Boolean(edit)
    where.textContent = edit ? t('moveHint') : t('pickHint')
    form.reset()
    // Contact details are personal data: only for people with an account.
    contactBox.hidden = deps.suggesting()
    contactBox.disabled = deps.suggesting()
    suggestBox.hidden = !suggesting
    byId<HTMLElement>('add-proposal-intro').hidden = !deps.proposing()
    const button = form.querySelector<HTMLButtonElement>('button[type=submit]')
    if (button) button.textContent = deps.proposing() ? t('sendProposal') : t('save')
    position = undefined
    deps.map.setDraft(undefined, setPosition)
    if (values) fill(values)
    initial = edit ? edit.base : read()
    document.body.dataset.adding = 'true'
    deps.onOpen?.()
    // A new place on a phone starts with its spot: the map free, the form a bar below.
    const phone = window.matchMedia('(max-width: 700px)').matches
    if (!edit && !values && phone) {
      setPicking(true)
      byId<HTMLElement>('pick-bar').focus()
    } else {
      setPicking(false)
      input<HTMLInputElement>('name').focus()
    }
  }

  function forceClose() {
    // The focus was in the form: back to the button that opens it.
    const hadFocus = section.contains(document.activeElement)
    section.hidden = true
    unsavedBox.hidden = true
    editing = undefined
    initial = undefined
    position = undefined
    deps.map.setDraft(undefined, setPosition)
    form.reset()
    clearErrors()
    document.body.dataset.adding = 'false'
    setPicking(false)
    if (hadFocus) {
      const opener = ['add-place', 'suggest-place']
        .map((id) => byId<HTMLButtonElement>(id))
        .find((b) => !b.hidden)
      opener?.focus({ preventScroll: true })
    }
    try {
      localStorage.removeItem(DRAFT_KEY)
    } catch {
      // Nothing stored.
    }
  }

  /** Closes, but asks first when something typed would be lost. */
  function close() {
    if (section.hidden) return
    if (!dirty()) return forceClose()
    unsavedBox.hidden = false
    byId<HTMLButtonElement>('add-unsaved-keep').focus()
  }

  /** The changed fields as an API patch (null clears a field). */
  function patchOf(now: Values, from: Values) {
    const properties: Record<string, unknown> = {}
    for (const f of FIELDS) if (!same(now[f], from[f])) properties[f] = now[f]
    const moved = !same(now.position, from.position)
    return {
      ...(Object.keys(properties).length ? { properties } : {}),
      ...(moved && now.position
        ? { geometry: { type: 'Point' as const, coordinates: now.position } }
        : {}),
    }
  }

  function showFieldErrors(err: ApiError) {
    summary.textContent = err.message
    for (const field of err.fields) {
      // A suggestion's fields sit under /feature.
      const pointer = field.pointer.replace(/^\/feature(?=\/)/, '')
      const name = pointer.replace(/^\/properties\//, '').split('/')[0] ?? ''
      if (pointer.startsWith('/geometry')) {
        geometryError.textContent = field.detail
      } else if ((FIELDS as readonly string[]).includes(name)) {
        const error = document.getElementById(`err-${name}`)
        if (error) error.textContent = field.detail
        document.getElementById(`add-${name}`)?.setAttribute('aria-invalid', 'true')
      }
    }
  }

  /** Someone else saved first: show both sides; the person chooses. Nothing is overwritten. */
  function showConflict(current: Record<string, unknown>, edit: Editing) {
    const theirs = valuesOf({ properties: current }, [Number(current.lon), Number(current.lat)])
    const mine = read()
    const show = (field: Field | 'position', v: unknown): string => {
      if (field === 'position') return t('moved')
      if (v === null || v === undefined || v === '') return '–'
      if (typeof v === 'boolean') return v ? t('yes') : t('no')
      return typeof v === 'string' || typeof v === 'number' ? String(v) : '–'
    }
    const rows = ([...FIELDS, 'position'] as const)
      .filter((f) => !same(theirs[f], edit.base[f]))
      .map((f) => {
        const mineChanged = !same(mine[f], edit.base[f])
        return `<tr><th scope="row">${t(LABEL[f])}</th><td>${escapeHtml(show(f, theirs[f]))}</td><td>${
          mineChanged ? `${escapeHtml(show(f, mine[f]))} <em>(${t('conflictBoth')})</em>` : '–'
        }</td></tr>`
      })
      .join('')
    conflictBox.innerHTML = `
      <p><strong>${escapeHtml(t('conflictTitle', Number(current.version)))}</strong></p>
      <table><thead><tr><th scope="col">${t('conflictField')}</th><th scope="col">${t('conflictTheirs')}</th><th scope="col">${t('conflictMine')}</th></tr></thead>
      <tbody>${rows}</tbody></table>
      <div class="actions">
        <button type="button" id="conflict-mine" class="primary">${t('conflictApplyMine')}</button>
        <button type="button" id="conflict-theirs" class="secondary">${t('conflictTakeTheirs')}</button>
      </div>`
    conflictBox.hidden = false
    byId<HTMLButtonElement>('conflict-mine').addEventListener('click', () => {
      // My changes (against what I started from, as typed now) on top of the version saved now.
      const mine = read()
      const changes = patchOf(mine, edit.base)
      const merged: Values = { ...theirs }
      for (const f of FIELDS) {
        if (changes.properties && f in changes.properties) {
          ;(merged as unknown as Record<string, unknown>)[f] = mine[f]
        }
      }
      if (changes.geometry) merged.position = mine.position
      edit.version = Number(current.version)
      edit.base = theirs
      initial = theirs
      fill(merged)
      conflictBox.hidden = true
      void submit()
    })
    byId<HTMLButtonElement>('conflict-theirs').addEventListener('click', () => {
      edit.version = Number(current.version)
      edit.base = theirs
      initial = theirs
      fill(theirs)
      conflictBox.hidden = true
      saveDraft()
    })
    byId<HTMLButtonElement>('conflict-mine').focus()
  }

  let saving = false

  async function submit() {
    // One save at a time: a second click (or the online retry) must not create a duplicate.
    if (saving) return
    saving = true
    const button = form.querySelector<HTMLButtonElement>('button[type=submit]')
    if (button) button.disabled = true
    try {
      await save()
    } finally {
      saving = false
      if (button) button.disabled = false
    }
  }

  /**
   * What the person can fix before anything is sent: a spot, a name and a kind. Says so next to
   * each field and moves the focus to the first; true when all is there.
   */
  function complete(values: Values): boolean {
    const missing: HTMLElement[] = []
    if (!position) {
      geometryError.textContent = t('pickFirst')
      missing.push(locationButton.hidden ? input('name') : locationButton)
    }
    if (values.name.trim() === '') {
      byId<HTMLElement>('err-name').textContent = t('nameRequired')
      input('name').setAttribute('aria-invalid', 'true')
      missing.push(input('name'))
    }
    if (!values.kind) {
      byId<HTMLElement>('err-kind').textContent = t('kindRequired')
      missing.push(form.querySelector<HTMLInputElement>('input[name=kind]') ?? input('name'))
    }
    if (missing.length === 0) return true
    summary.textContent = t('checkFields')
    missing[0]?.focus()
    return false
  }

  async function save() {
    clearErrors()
    const values = read()
    if (!complete(values) || !position) return
    try {
      if (editing) {
        const patch = patchOf(values, editing.base)
        const written = await api.updateAsset(editing.id, editing.version, patch)
        const base = editing.base
        forceClose()
        if (written.proposal) deps.onProposed(written.proposal)
        else
          deps.onSaved(written.asset, { version: written.asset.properties.version, values: base })
        return
      }
      const properties: Record<string, unknown> = {}
      for (const f of FIELDS) {
        if (values[f] !== null && values[f] !== '') properties[f] = values[f]
      }
      // The name is always sent, so an empty one gets the API's own message.
      properties.name = values.name
      const feature = { geometry: { type: 'Point' as const, coordinates: position }, properties }
      if (deps.suggesting()) {
        const sent = await api.suggest({
          feature,
          note: note.value.trim() || null,
          // Empty for people; a robot that fills every field gives itself away.
          website: honeypot.value,
        })
        forceClose()
        deps.onProposed('proposal' in sent ? sent.proposal : sent)
        return
      }
      const written = await api.createAsset(feature)
      forceClose()
      if (written.proposal) deps.onProposed(written.proposal)
      else deps.onSaved(written.asset, undefined)
    } catch (err) {
      if (!(err instanceof ApiError)) {
        // No connection: keep everything, say so, and try again when the connection is back.
        saveDraft()
        const retry = document.createElement('button')
        retry.type = 'button'
        retry.className = 'link'
        retry.id = 'add-retry'
        retry.textContent = t('retryNow')
        retry.addEventListener('click', () => void submit())
        summary.replaceChildren(document.createTextNode(t('notSentQueued')), ' ', retry)
        return
      }
      if (err.status === 412 && editing && err.problem.current) {
        showConflict(err.problem.current as Record<string, unknown>, editing)
        return
      }
      showFieldErrors(err)
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void submit()
  })
  form.addEventListener('input', saveDraft)
  // Opening hours as people write them ("di-do 10-16 uur"): the API says what it will store, or
  // in plain words what it cannot read, while the person types.
  const hoursRequest = latest()
  let hoursTimer: ReturnType<typeof setTimeout> | undefined
  const hoursInput = input<HTMLInputElement>('opening_hours')
  hoursInput.addEventListener('input', () => {
    clearTimeout(hoursTimer)
    hoursRequest.cancel()
    const hint = byId<HTMLElement>('hint-opening_hours')
    const error = byId<HTMLElement>('err-opening_hours')
    hint.textContent = ''
    error.textContent = ''
    hoursInput.removeAttribute('aria-invalid')
    const text = hoursInput.value.trim()
    if (text === '') return
    hoursTimer = setTimeout(() => {
      const signal = hoursRequest.next()
      api.openingHours(text, signal).then(
        (r) => {
          if (signal.aborted) return
          if (r.notation === 'dutch') hint.textContent = t('openingHoursStored', r.opening_hours)
        },
        (e: unknown) => {
          if (signal.aborted || !(e instanceof ApiError) || e.status !== 422) return
          error.textContent = e.fields[0]?.detail ?? e.message
          hoursInput.setAttribute('aria-invalid', 'true')
        },
      )
    }, 400)
  })
  // A missing name or kind, once given, is no longer reported.
  form.addEventListener('change', (e) => {
    const target = e.target as HTMLInputElement
    if (target.name === 'kind') byId<HTMLElement>('err-kind').textContent = ''
    if (target.name === 'name' && target.value.trim() !== '') {
      byId<HTMLElement>('err-name').textContent = ''
      target.removeAttribute('aria-invalid')
    }
  })
  byId<HTMLButtonElement>('add-cancel').addEventListener('click', close)
  byId<HTMLButtonElement>('add-unsaved-discard').addEventListener('click', forceClose)
  byId<HTMLButtonElement>('add-unsaved-keep').addEventListener('click', () => {
    unsavedBox.hidden = true
    input<HTMLInputElement>('name').focus()
  })
  const useLocation = () => {
    if (!navigator.geolocation) {
      geometryError.textContent = t('noGeolocation')
      setPicking(false)
      return
    }
    navigator.geolocation.getCurrentPosition(
      (p) => placed(p.coords.longitude, p.coords.latitude),
      () => {
        geometryError.textContent = t('locationUnavailable')
        setPicking(false)
      },
      { enableHighAccuracy: true, timeout: 10_000 },
    )
  }
  locationButton.addEventListener('click', useLocation)
  byId<HTMLButtonElement>('pick-locate').addEventListener('click', useLocation)
  byId<HTMLButtonElement>('pick-done').addEventListener('click', () => {
    setPicking(false)
    input<HTMLInputElement>('name').focus()
  })
  byId<HTMLButtonElement>('add-place').addEventListener('click', () => open(undefined, undefined))
  byId<HTMLButtonElement>('suggest-place').addEventListener('click', () =>
    open(undefined, undefined),
  )
  window.addEventListener('online', () => {
    if (!section.hidden && document.getElementById('add-retry')) void submit()
  })
  window.addEventListener('beforeunload', (e) => {
    if (!section.hidden && dirty()) e.preventDefault()
  })

  const ready = buildKinds()

  return {
    /** While the form is open, a map click picks (or moves) the position. */
    picking: () => (section.hidden ? undefined : placed),
    close,
    isOpen: () => !section.hidden,
    /** Edits a place as it is now. */
    async edit(place: AssetFeature) {
      await ready
      const base = valuesOf(place, place.geometry.coordinates)
      open(base, { id: place.id, version: place.properties.version, base })
    },
    /** Brings back what was typed before a reload, if anything. */
    async restoreDraft() {
      await ready
      let stored: { editing?: Editing; values: Values } | undefined
      try {
        const text = localStorage.getItem(DRAFT_KEY)
        stored = text ? (JSON.parse(text) as typeof stored) : undefined
      } catch {
        stored = undefined
      }
      if (!stored) return
      open(stored.editing?.base, stored.editing)
      fill(stored.values)
      saveDraft()
    },
  }
}

export type PlaceForm = ReturnType<typeof createPlaceForm>
export type { Values as PlaceValues }

import { api, type Taxonomy } from '../api-client/index.js'
import { lang, t } from '../i18n/index.js'
import { modeWords } from '../map/layers.js'
import type { Store } from '../state/store.js'
import {
  filterQuery,
  parseLayer,
  parseMode,
  parseResolution,
  parseThreshold,
  parseWheelchair,
  STATUSES,
  type Mode,
  type PlaceFilter,
  type ViewState,
} from '../state/view.js'
import { byId } from '../ui/dom.js'

/**
 * The layer choices and the place filter: the form fields show the view state, and a change in
 * a field changes the state. Two rules keep the state possible: a mode needs its network loaded,
 * and the detour layer needs a network mode.
 */
export function createControls(deps: { store: Store<ViewState>; taxonomy: Promise<Taxonomy> }) {
  const { store } = deps
  const layerSelect = byId<HTMLSelectElement>('layer')
  const thresholdSelect = byId<HTMLSelectElement>('threshold')
  const modeSelect = byId<HTMLSelectElement>('mode')
  const resSelect = byId<HTMLSelectElement>('res')
  const counted = byId<HTMLDetailsElement>('counted')
  const kindsBox = byId<HTMLFieldSetElement>('kinds')
  const statusBox = byId<HTMLFieldSetElement>('statuses')
  const wheelchairSelect = byId<HTMLSelectElement>('wheelchair')
  const freeEntryBox = byId<HTMLInputElement>('free-entry')
  const approximateBox = byId<HTMLInputElement>('approximate')
  const openNowBox = byId<HTMLInputElement>('open-now')

  /** The modes that can be measured: the straight line, and each network that is loaded. */
  let available: readonly Mode[] = ['line']
  /** Whether the loaded networks are known (until then the mode of a permalink is kept). */
  let networksKnown = false
  /** The meeting-place kinds, in the taxonomy's order (none until it is in). */
  let kinds: readonly string[] = []

  const boxes = (fieldset: HTMLElement) => [
    ...fieldset.querySelectorAll<HTMLInputElement>('input[type=checkbox]'),
  ]

  function render(s: ViewState) {
    layerSelect.value = s.layer
    thresholdSelect.value = String(s.threshold)
    // A mode whose network is not loaded (yet) cannot be chosen: the straight line meanwhile.
    modeSelect.value = available.includes(s.mode) ? s.mode : 'line'
    resSelect.value = String(s.res)
    const f = s.filter
    for (const box of boxes(kindsBox))
      box.checked = f.kinds === 'all' || f.kinds.includes(box.value)
    for (const box of boxes(statusBox)) box.checked = f.statuses.some((v) => v === box.value)
    wheelchairSelect.value = f.wheelchair
    freeEntryBox.checked = f.freeEntry
    openNowBox.checked = f.openNow
    approximateBox.checked = f.approximate
  }

  /** The filter the fields show; every kind checked is no kind filter. */
  function readFilter(): PlaceFilter {
    const checkedKinds = boxes(kindsBox).filter((b) => b.checked)
    const statuses = boxes(statusBox)
      .filter((b) => b.checked)
      .map((b) => b.value)
    return {
      kinds: checkedKinds.length === kinds.length ? 'all' : checkedKinds.map((b) => b.value),
      statuses: STATUSES.filter((s) => statuses.includes(s)),
      wheelchair: parseWheelchair(wheelchairSelect.value),
      freeEntry: freeEntryBox.checked,
      openNow: openNowBox.checked,
      approximate: approximateBox.checked,
    }
  }

  /** The state made possible: a loaded mode, and a network for the detour. */
  function possible(s: ViewState): Partial<ViewState> {
    if (!networksKnown) return {}
    const mode = available.includes(s.mode) ? s.mode : 'line'
    if (s.layer === 'detour' && mode === 'line') {
      const network = available.find((m) => m !== 'line')
      if (network) return { mode: network }
      // No network: the detour cannot be drawn; the list says why.
      return { mode, layer: 'none' }
    }
    return { mode }
  }

  /** The meeting-place kinds, one checkbox each; the filter keeps only kinds that exist. */
  async function buildKindBoxes() {
    const taxonomy = await deps.taxonomy
    const meeting = taxonomy.kinds.filter((k) => k.is_meeting_place)
    kinds = meeting.map((k) => k.code)
    for (const kind of meeting) {
      const label = document.createElement('label')
      label.className = 'check'
      const box = document.createElement('input')
      box.type = 'checkbox'
      box.value = kind.code
      label.append(box, ` ${kind.label[lang]}`)
      kindsBox.append(label)
    }
    const f = store.get().filter
    if (f.kinds !== 'all') {
      const known = kinds.filter((k) => f.kinds.includes(k))
      store.set({ filter: { ...f, kinds: known.length === kinds.length ? 'all' : known } })
    }
    render(store.get())
  }

  /** Walk and bike can be chosen once a network for them is loaded. */
  async function enableModes() {
    const info = await api.network().catch(() => undefined)
    const loaded: Mode[] = ['line']
    for (const option of modeSelect.options) {
      if (option.value === 'line') continue
      const profile = info?.profiles.find((p) => p.profile === option.value)
      option.disabled = !profile
      option.text = profile
        ? modeWords(option.value)
        : `${modeWords(option.value)} (${t('needsNetwork')})`
      if (profile) loaded.push(parseMode(option.value))
    }
    available = loaded
    networksKnown = true
    // The detour compares the road with the straight line: without a network it cannot be drawn.
    const detour = [...layerSelect.options].find((o) => o.value === 'detour')
    const noNetwork = loaded.length === 1
    if (detour) {
      detour.disabled = noNetwork
      detour.text = noNetwork ? `${t('layerDetour')} (${t('needsNetwork')})` : t('layerDetour')
    }
    byId<HTMLElement>('layer-note').hidden = !noNetwork
    store.set(possible(store.get()))
    render(store.get())
  }

  render(store.get())
  store.subscribe((s, prev) => {
    if (s.layer !== prev.layer || s.mode !== prev.mode) store.set(possible(s))
    render(s)
  })
  layerSelect.addEventListener('change', () => store.set({ layer: parseLayer(layerSelect.value) }))
  thresholdSelect.addEventListener('change', () =>
    store.set({ threshold: parseThreshold(thresholdSelect.value) }),
  )
  modeSelect.addEventListener('change', () => store.set({ mode: parseMode(modeSelect.value) }))
  resSelect.addEventListener('change', () => store.set({ res: parseResolution(resSelect.value) }))
  counted.addEventListener('change', () => store.set({ filter: readFilter() }))

  return {
    /** Loads what the choices depend on: the kinds and the networks. */
    async start() {
      await Promise.all([buildKindBoxes(), enableModes()])
      // A permalink with a filter shows it.
      if (Object.keys(filterQuery(store.get().filter)).length > 0) counted.open = true
    },
    /** True when the place filter differs from the default. */
    filtered: () => Object.keys(filterQuery(store.get().filter)).length > 0,
  }
}

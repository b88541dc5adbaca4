import {
  api,
  ApiError,
  type PlanningSettings,
  type ProposedPlace,
  type SavedScenario,
  type ScenarioPreview,
  type Taxonomy,
} from '../api-client/index.js'
import { formatDistance, formatNumber, formatPeople, formatPercent } from '../i18n/format.js'
import { lang, pickLabel, t } from '../i18n/index.js'
import { SCENARIO_COLORS } from '../map/layers.js'
import type { MapPin } from '../map/index.js'
import type { ScenarioView } from '../state/view.js'
import { session } from './account.js'
import { byId } from './dom.js'
import { showToast } from './toast.js'

/** The map abilities a scenario needs. */
export interface ScenarioMap {
  pin(
    position: [number, number],
    element: HTMLElement,
    options?: {
      draggable?: boolean
      onDrag?: (lon: number, lat: number) => void
      onDragEnd?: (lon: number, lat: number) => void
    },
  ): MapPin
  showScenarioCells(
    cells: readonly { cell: string; gained: boolean; lost: boolean }[],
  ): Promise<number>
  /** The middle of the part of the map that can be seen. */
  center(): [number, number]
}

/** The kind a proposed place gets unless chosen otherwise: a neighbourhood living room. */
export const DEFAULT_KIND = 'living_room'

/** "hemelsbreed", "lopen", "fietsen": how a distance is measured, short. */
export function modeShort(mode: string): string {
  return mode === 'walk'
    ? t('modeShortWalk')
    : mode === 'bike'
      ? t('modeShortBike')
      : t('modeShortLine')
}

/** Signed whole people in the interface language: "+2.340", "−12", "+0" (fractions rounded). */
const signed = (n: number) => {
  const whole = Math.round(n)
  return `${whole < 0 ? '−' : '+'}${formatNumber(Math.abs(whole))}`
}

/** Six decimals (about 10 cm) are plenty for a position in a URL. */
const coord = (v: number) => Number(v.toFixed(6))

interface Proposed {
  lon: number
  lat: number
  kind: string
  name?: string | undefined
  pin?: MapPin | undefined
  element?: HTMLElement | undefined
}

interface Closed {
  id: string
  name: string
}

/**
 * "Wat als hier een ontmoetingsplek komt?": proposed places (purple diamonds, draggable) and
 * places that close, without touching the register. Every change, and every drag step, asks the
 * API for the live difference: one request at a time, always the latest position, answers of an
 * older state ignored. The cells that come within reach are drawn on the map. A named scenario
 * is saved for the report.
 */
export function createScenario(deps: {
  map: ScenarioMap
  taxonomy: Promise<Taxonomy>
  /** The area, mode and threshold on screen (none while no area is chosen). */
  settings: () => PlanningSettings | undefined
  /** True when the place filter differs from the default (the scenario does not use it). */
  filtered: () => boolean
  /** Something the URL and the report link show has changed. */
  onChange: () => void
  /** The scenario mode was opened or closed (the place panel offers "gaat dicht" while open). */
  onToggle: () => void
}) {
  const section = byId<HTMLElement>('scenario')
  const openButton = byId<HTMLButtonElement>('scenario-open')
  const kindSelect = byId<HTMLSelectElement>('scenario-kind')
  const result = byId<HTMLElement>('scenario-result')
  const filterNote = byId<HTMLElement>('scenario-filter-note')
  const legend = byId<HTMLElement>('scenario-legend')
  const list = byId<HTMLElement>('scenario-places')
  const form = byId<HTMLFormElement>('scenario-save')
  const nameInput = byId<HTMLInputElement>('scenario-name')
  const error = byId<HTMLElement>('scenario-error')
  const loginNote = byId<HTMLElement>('scenario-login')
  const saved = byId<HTMLElement>('scenario-saved')
  const reportLink = byId<HTMLAnchorElement>('scenario-report')

  let active = false
  let proposed: Proposed[] = []
  let closed: Closed[] = []
  let savedScenario: SavedScenario | undefined
  let kindLabels = new Map<string, string>()

  // One preview request at a time; `again` asks for one more with the state as it is by then.
  let running = false
  let again = false
  /** Bumped whenever earlier answers no longer fit (area or settings changed, emptied, left). */
  let epoch = 0
  let last: ScenarioPreview | undefined

  void deps.taxonomy.then((taxonomy) => {
    const kinds = taxonomy.kinds.filter((k) => k.is_meeting_place)
    kindLabels = new Map(kinds.map((k) => [k.code, pickLabel(k.label)]))
    kindSelect.replaceChildren(...kinds.map((k) => new Option(pickLabel(k.label), k.code)))
    kindSelect.value = DEFAULT_KIND
    if (active) renderList()
  })

  const what = (p: Proposed) => p.name ?? kindLabels.get(p.kind) ?? p.kind

  const toApi = (p: Proposed): ProposedPlace => ({
    lon: coord(p.lon),
    lat: coord(p.lat),
    kind: p.kind,
    ...(p.name ? { name: p.name } : {}),
  })

  /** The scenario changed: what was saved is no longer what is on screen. */
  function changed() {
    if (savedScenario) {
      savedScenario = undefined
      saved.hidden = true
    }
    deps.onChange()
  }

  function legendLine(text: string, className: string, colour?: string) {
    const li = document.createElement('li')
    const swatch = document.createElement('span')
    swatch.className = className
    swatch.setAttribute('aria-hidden', 'true')
    if (colour) swatch.style.background = colour
    li.append(swatch, text)
    return li
  }

  function renderLegend(preview: ScenarioPreview | undefined) {
    const s = deps.settings()
    if (!s) return
    const items = [legendLine(t('scenarioLegendProposed'), 'swatch-diamond')]
    items.push(
      legendLine(
        t('scenarioLegendGained', formatDistance(s.threshold), modeShort(s.mode)),
        'chip',
        SCENARIO_COLORS.gained,
      ),
    )
    if (preview?.cells.some((c) => c.lost)) {
      items.push(legendLine(t('scenarioLegendLost'), 'chip', SCENARIO_COLORS.lost))
    }
    legend.replaceChildren(...items)
  }

  function renderResult(preview: ScenarioPreview) {
    const s = deps.settings()
    if (!s) return
    const gain = document.createElement('p')
    gain.id = 'scenario-gain'
    gain.className = 'scenario-gain'
    const strong = document.createElement('strong')
    strong.textContent = t(
      'scenarioGain',
      signed(preview.gained),
      formatDistance(preview.inputs.thresholdM),
      modeShort(preview.inputs.mode),
    )
    gain.append(strong)
    const share = document.createElement('p')
    share.id = 'scenario-share'
    const part = (n: number) =>
      preview.inhabitants > 0 ? formatPercent(n / preview.inhabitants) : '–'
    share.textContent = t(
      'scenarioShare',
      part(preview.withinToday),
      part(preview.withinAfter),
      formatPeople(preview.inhabitants),
    )
    const parts: HTMLElement[] = [gain, share]
    if (Math.round(preview.gained) === 0 && closed.length === 0) {
      const nobody = document.createElement('p')
      nobody.className = 'note'
      nobody.textContent = t('scenarioNobody')
      parts.push(nobody)
    }
    result.replaceChildren(...parts)
    document.body.dataset.scenarioGain = String(preview.gained)
  }

  function renderMessage(text: string, className = 'note') {
    const p = document.createElement('p')
    p.className = className
    p.textContent = text
    result.replaceChildren(p)
    delete document.body.dataset.scenarioGain
  }

  /** The live difference, throttled to one request in flight. */
  function preview() {
    if (!active) return
    const s = deps.settings()
    if (!s) return
    if (proposed.length === 0 && closed.length === 0) {
      epoch++
      last = undefined
      renderMessage(t('scenarioEmpty'))
      renderLegend(undefined)
      void deps.map.showScenarioCells([]).then((n) => {
        document.body.dataset.scenarioCells = String(n)
      })
      return
    }
    if (running) {
      again = true
      return
    }
    running = true
    const mine = epoch
    result.setAttribute('aria-busy', 'true')
    api
      .scenarioPreview({ ...s, add: proposed.map(toApi), close: closed.map((c) => c.id) })
      .then(async (answer) => {
        if (mine !== epoch || !active) return
        last = answer
        renderResult(answer)
        renderLegend(answer)
        const n = await deps.map.showScenarioCells(answer.cells)
        if (mine !== epoch || !active) return
        document.body.dataset.scenarioCells = String(n)
      })
      .catch((e: unknown) => {
        if (mine !== epoch || !active) return
        renderMessage(e instanceof ApiError ? e.message : t('scenarioFailed'), 'form-summary')
      })
      .finally(() => {
        running = false
        result.removeAttribute('aria-busy')
        if (again) {
          again = false
          preview()
        }
      })
  }

  /** The purple diamond of a proposed place, numbered; focusable, so the keys move it too. */
  function pinElement(index: number, p: Proposed) {
    const element = document.createElement('div')
    element.className = 'scenario-pin'
    element.tabIndex = 0
    element.setAttribute('role', 'img')
    element.setAttribute('aria-label', t('scenarioPinLabel', index + 1, what(p)))
    const diamond = document.createElement('span')
    diamond.className = 'diamond'
    const number = document.createElement('span')
    number.className = 'number'
    number.textContent = String(index + 1)
    diamond.append(number)
    element.append(diamond)
    return element
  }

  function placePin(p: Proposed) {
    p.pin?.remove()
    const index = proposed.indexOf(p)
    p.element = pinElement(index, p)
    p.pin = deps.map.pin([p.lon, p.lat], p.element, {
      draggable: true,
      onDrag: (lon, lat) => {
        p.lon = lon
        p.lat = lat
        preview()
      },
      onDragEnd: (lon, lat) => {
        p.lon = lon
        p.lat = lat
        changed()
        preview()
      },
    })
  }

  /** The proposed places and closures as a list, each with its own button. */
  function renderList() {
    const items: HTMLElement[] = []
    proposed.forEach((p, i) => {
      const li = document.createElement('li')
      li.className = 'proposed'
      const mark = document.createElement('span')
      mark.className = 'swatch-diamond'
      mark.setAttribute('aria-hidden', 'true')
      const text = document.createElement('span')
      text.textContent = what(p)
      const remove = document.createElement('button')
      remove.type = 'button'
      remove.className = 'link small'
      remove.dataset.remove = String(i)
      remove.textContent = t('scenarioRemove')
      remove.setAttribute('aria-label', t('scenarioRemoveLabel', i + 1))
      li.append(mark, text, ' ', remove)
      items.push(li)
    })
    closed.forEach((c, i) => {
      const li = document.createElement('li')
      li.className = 'closed'
      const text = document.createElement('span')
      text.textContent = t('scenarioClosedItem', c.name)
      const reopen = document.createElement('button')
      reopen.type = 'button'
      reopen.className = 'link small'
      reopen.dataset.reopen = String(i)
      reopen.textContent = t('scenarioReopen')
      li.append(text, ' ', reopen)
      items.push(li)
    })
    list.replaceChildren(...items)
    // Numbers and labels follow the list.
    proposed.forEach((p, i) => {
      p.element?.setAttribute('aria-label', t('scenarioPinLabel', i + 1, what(p)))
      const number = p.element?.querySelector('.number')
      if (number) number.textContent = String(i + 1)
    })
    document.body.dataset.scenarioPlaces = String(proposed.length)
  }

  function add(lon: number, lat: number, options: { kind?: string; name?: string } = {}) {
    if (!active) open()
    const p: Proposed = { lon, lat, kind: options.kind ?? (kindSelect.value || DEFAULT_KIND) }
    if (options.name) p.name = options.name
    proposed.push(p)
    placePin(p)
    renderList()
    changed()
    preview()
  }

  function remove(index: number) {
    const [gone] = proposed.splice(index, 1)
    if (!gone) return
    gone.pin?.remove()
    renderList()
    changed()
    preview()
    showToast(t('scenarioRemoved', what(gone)), {
      label: t('undo'),
      run: () => {
        if (!active) return
        proposed.splice(Math.min(index, proposed.length), 0, gone)
        placePin(gone)
        renderList()
        changed()
        preview()
      },
    })
  }

  list.addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button')
    if (!button) return
    if (button.dataset.remove !== undefined) remove(Number(button.dataset.remove))
    if (button.dataset.reopen !== undefined) {
      closed.splice(Number(button.dataset.reopen), 1)
      renderList()
      changed()
      preview()
    }
  })

  form.addEventListener('submit', (e) => {
    e.preventDefault()
    error.textContent = ''
    const s = deps.settings()
    const name = nameInput.value.trim()
    if (!s) return
    if (proposed.length === 0 && closed.length === 0) {
      error.textContent = t('scenarioNothingToSave')
      return
    }
    if (!name) {
      error.textContent = t('scenarioNameMissing')
      nameInput.setAttribute('aria-invalid', 'true')
      nameInput.focus()
      return
    }
    nameInput.removeAttribute('aria-invalid')
    const button = form.querySelector<HTMLButtonElement>('button[type=submit]')
    if (button) button.disabled = true
    api
      .saveScenario({
        ...s,
        name,
        add: proposed.map(toApi),
        close: closed.map((c) => c.id),
      })
      .then((scenario) => {
        savedScenario = scenario
        reportLink.href = reportUrl(scenario.area, scenario.id)
        saved.hidden = false
        showToast(t('scenarioSaved', scenario.name))
        deps.onChange()
        document.body.dataset.scenarioSaved = scenario.id
      })
      .catch((err: unknown) => {
        error.textContent = err instanceof ApiError ? err.message : t('offline')
      })
      .finally(() => {
        if (button) button.disabled = false
      })
  })

  function showLoginNote() {
    loginNote.hidden = Boolean(session().user)
  }

  function open() {
    if (active) return
    active = true
    section.hidden = false
    openButton.setAttribute('aria-expanded', 'true')
    document.body.dataset.scenario = 'on'
    section.scrollIntoView({ block: 'nearest' })
    filterNote.hidden = !deps.filtered()
    showLoginNote()
    renderList()
    renderLegend(last)
    preview()
    deps.onChange()
    deps.onToggle()
  }

  /** Leaves the scenario mode: pins, the difference layer and the figures go. */
  function leave() {
    if (!active) return
    active = false
    epoch++
    for (const p of proposed) p.pin?.remove()
    proposed = []
    closed = []
    last = undefined
    savedScenario = undefined
    saved.hidden = true
    error.textContent = ''
    section.hidden = true
    openButton.setAttribute('aria-expanded', 'false')
    delete document.body.dataset.scenario
    delete document.body.dataset.scenarioGain
    delete document.body.dataset.scenarioSaved
    result.replaceChildren()
    list.replaceChildren()
    void deps.map.showScenarioCells([]).then((n) => {
      document.body.dataset.scenarioCells = String(n)
    })
    deps.onChange()
    deps.onToggle()
  }

  openButton.addEventListener('click', () => {
    if (active) leave()
    else {
      open()
      kindSelect.focus()
    }
  })
  // Without a mouse: a place in the middle of the map, then the arrow keys move its pin.
  byId<HTMLButtonElement>('scenario-add-center').addEventListener('click', () => {
    add(...deps.map.center())
    proposed[proposed.length - 1]?.element?.focus()
  })
  byId<HTMLButtonElement>('scenario-leave').addEventListener('click', () => {
    leave()
    openButton.focus()
  })

  /** The report of an area, in the interface language, with the scenario when one is saved. */
  function reportUrl(area: string, scenarioId?: string) {
    const s = deps.settings()
    const q = new URLSearchParams({ lang })
    if (s) {
      q.set('mode', s.mode)
      q.set(`threshold${s.mode[0]?.toUpperCase() ?? ''}${s.mode.slice(1)}`, String(s.threshold))
    }
    if (scenarioId) q.set('scenario', scenarioId)
    return `/api/v1/reports/${encodeURIComponent(area)}?${q.toString()}`
  }

  return {
    isActive: () => active,
    open,
    leave,
    add,
    reportUrl,
    /** While the scenario is open, a click on the map proposes a place there. */
    proposing: () => (active ? (lon: number, lat: number) => add(lon, lat) : undefined),
    /** The area, mode or threshold changed: the same places, figured anew. */
    settingsChanged() {
      if (!active) return
      epoch++
      changed()
      renderLegend(undefined)
      filterNote.hidden = !deps.filtered()
      preview()
    },
    /** The places (or the filter) changed: the same scenario, figured anew. */
    refresh() {
      if (!active) return
      filterNote.hidden = !deps.filtered()
      epoch++
      preview()
    },
    /** Signed in or out: the note about saving follows. */
    sessionChanged: showLoginNote,
    /** Lets an existing place close in the scenario (offered in the place panel). */
    closePlace(id: string, name: string) {
      if (!active) open()
      if (closed.some((c) => c.id === id)) return
      closed.push({ id, name })
      renderList()
      changed()
      preview()
    },
    isClosed: (id: string) => closed.some((c) => c.id === id),
    /** The saved scenario's id, when what is on screen is saved. */
    savedId: () => savedScenario?.id,
    /** The scenario as the view state holds it (undefined while closed): the permalink's part. */
    view(): ScenarioView | undefined {
      if (!active) return undefined
      return {
        add: proposed.map((p) => ({ lon: coord(p.lon), lat: coord(p.lat), kind: p.kind })),
        close: closed.map((c) => c.id),
        saved: savedScenario?.id,
      }
    },
    /** Opens the scenario of a permalink; a saved one only if it is of the area on screen. */
    async restore(view: ScenarioView | undefined) {
      if (!view) return
      open()
      for (const { lon, lat, kind } of view.add) {
        const p: Proposed = { lon, lat, kind }
        proposed.push(p)
        placePin(p)
      }
      const ids = view.close
      const names = await Promise.all(
        ids.map((id) =>
          api
            .asset(id)
            .then((a) => a.properties.name)
            .catch(() => id),
        ),
      )
      closed = ids.map((id, i) => ({ id, name: names[i] ?? id }))
      renderList()
      const stored = view.saved ? await api.scenario(view.saved).catch(() => undefined) : undefined
      if (stored && stored.area === deps.settings()?.area) {
        savedScenario = stored
        reportLink.href = reportUrl(stored.area, stored.id)
        saved.hidden = false
      }
      deps.onChange()
      preview()
    },
  }
}

export type Scenario = ReturnType<typeof createScenario>

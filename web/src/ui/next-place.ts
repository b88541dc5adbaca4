import {
  api,
  ApiError,
  type PlanningSettings,
  type Suggestions,
  type Taxonomy,
} from '../api-client/index.js'
import { formatDistance, formatPeople } from '../i18n/format.js'
import { pickLabel, t } from '../i18n/index.js'
import type { MapPin } from '../map/index.js'
import { byId } from './dom.js'
import { modeShort, type Scenario, type ScenarioMap } from './scenario.js'

type Suggestion = Suggestions['suggestions'][number]

/**
 * "Waar kan de volgende plek het best komen?": the five sites that bring the most inhabitants
 * within the threshold (greedy, each with what it adds after the ones above), among empty cells
 * or existing buildings. Listed and numbered on the map; choosing one puts it in the scenario,
 * where the preview shows the same gain.
 */
export function createNextPlace(deps: {
  map: ScenarioMap & { fit(points: readonly [number, number][]): void }
  taxonomy: Promise<Taxonomy>
  scenario: Scenario
  settings: () => PlanningSettings | undefined
  /** The wijk (or other name) at a point, for the list. */
  whereIs: (lon: number, lat: number) => string | undefined
}) {
  const section = byId<HTMLElement>('next')
  const openButton = byId<HTMLButtonElement>('next-open')
  const intro = byId<HTMLElement>('next-intro')
  const runButton = byId<HTMLButtonElement>('next-run')
  const status = byId<HTMLElement>('next-status')
  const list = byId<HTMLElement>('next-list')

  let shown: Suggestion[] = []
  let pins: MapPin[] = []
  let inFlight: AbortController | undefined
  const added = new Set<number>()

  const candidates = () =>
    (section.querySelector<HTMLInputElement>('input[name=next-candidates]:checked')?.value ??
      'cells') as 'cells' | 'assets'

  function clear() {
    for (const pin of pins) pin.remove()
    pins = []
    shown = []
    added.clear()
    list.replaceChildren()
    status.textContent = ''
    delete document.body.dataset.suggestions
  }

  function renderIntro() {
    const s = deps.settings()
    if (s) intro.textContent = t('nextIntro', formatDistance(s.threshold), modeShort(s.mode))
  }

  async function label(s: Suggestion): Promise<string> {
    if (s.asset) {
      const kinds = (await deps.taxonomy).kinds
      const kind = kinds.find((k) => k.code === s.asset?.kind)
      return kind ? `${s.asset.name} (${pickLabel(kind.label).toLowerCase()})` : s.asset.name
    }
    const where = deps.whereIs(s.lon, s.lat)
    return where ? t('nextCellIn', where) : t('nextCell')
  }

  async function render(answer: Suggestions, kind: 'cells' | 'assets') {
    clear()
    shown = answer.suggestions
    if (shown.length === 0) {
      status.textContent = kind === 'assets' ? t('nextNoneAssets') : t('nextNone')
      document.body.dataset.suggestions = '0'
      return
    }
    status.textContent = t('nextFound', shown.length)
    const labels = await Promise.all(shown.map(label))
    list.replaceChildren(
      ...shown.map((s, i) => {
        const li = document.createElement('li')
        const button = document.createElement('button')
        button.type = 'button'
        button.dataset.suggestion = String(i)
        button.setAttribute('aria-pressed', 'false')
        const gain = document.createElement('strong')
        gain.className = 'gain'
        gain.textContent = t('nextGain', formatPeople(s.gain))
        const where = document.createElement('span')
        where.className = 'sub'
        where.textContent = labels[i] ?? ''
        const state = document.createElement('span')
        state.className = 'sub added'
        state.textContent = t('nextAdded')
        state.hidden = true
        button.append(gain, where, state)
        li.append(button)
        return li
      }),
    )
    pins = shown.map((s, i) => {
      const element = document.createElement('button')
      element.type = 'button'
      element.className = 'next-pin'
      element.textContent = String(s.rank)
      element.setAttribute(
        'aria-label',
        t('nextPinLabel', s.rank, t('nextGain', formatPeople(s.gain))),
      )
      element.addEventListener('click', () => choose(i))
      return deps.map.pin([s.lon, s.lat], element)
    })
    deps.map.fit(shown.map((s) => [s.lon, s.lat]))
    document.body.dataset.suggestions = String(shown.length)
  }

  /** Puts suggestion `i` in the scenario as a proposed place (a meeting place of the default kind). */
  function choose(i: number) {
    const s = shown[i]
    if (!s || added.has(i)) return
    added.add(i)
    deps.scenario.add(s.lon, s.lat, s.asset ? { name: s.asset.name } : {})
    // The purple diamond takes the numbered disc's place on the map.
    pins[i]?.remove()
    const button = list.querySelector<HTMLButtonElement>(`button[data-suggestion="${i}"]`)
    if (button) {
      button.setAttribute('aria-pressed', 'true')
      const state = button.querySelector<HTMLElement>('.added')
      if (state) state.hidden = false
    }
  }

  async function run() {
    const s = deps.settings()
    if (!s) return
    inFlight?.abort()
    const controller = new AbortController()
    inFlight = controller
    const kind = candidates()
    renderIntro()
    runButton.disabled = true
    status.textContent = t('nextBusy')
    list.setAttribute('aria-busy', 'true')
    try {
      const answer = await api.suggestions({ ...s, k: 5, candidates: kind }, controller.signal)
      if (controller.signal.aborted) return
      await render(answer, kind)
    } catch (e) {
      if (controller.signal.aborted) return
      clear()
      status.textContent = e instanceof ApiError ? e.message : t('nextFailed')
    } finally {
      if (inFlight === controller) {
        runButton.disabled = false
        list.removeAttribute('aria-busy')
      }
    }
  }

  function open() {
    section.hidden = false
    openButton.setAttribute('aria-expanded', 'true')
    renderIntro()
    section.scrollIntoView({ block: 'nearest' })
  }

  function close() {
    inFlight?.abort()
    runButton.disabled = false
    clear()
    section.hidden = true
    openButton.setAttribute('aria-expanded', 'false')
  }

  openButton.addEventListener('click', () => {
    if (section.hidden) {
      open()
      void run()
      runButton.focus()
    } else close()
  })
  runButton.addEventListener('click', () => void run())
  for (const radio of section.querySelectorAll<HTMLInputElement>('input[name=next-candidates]')) {
    radio.addEventListener('change', () => void run())
  }
  list.addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-suggestion]')
    if (button) choose(Number(button.dataset.suggestion))
  })
  byId<HTMLButtonElement>('next-close').addEventListener('click', () => {
    close()
    openButton.focus()
  })

  return {
    close,
    /** The area, mode or threshold changed: an open list is looked up again. */
    settingsChanged() {
      if (section.hidden) return
      renderIntro()
      void run()
    },
  }
}

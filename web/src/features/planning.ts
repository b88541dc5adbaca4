import type { PlanningSettings, Taxonomy } from '../api-client/index.js'
import type { createMap } from '../map/index.js'
import type { Store } from '../state/store.js'
import { filterQuery, type ViewState } from '../state/view.js'
import { byId } from '../ui/dom.js'
import { createNextPlace } from '../ui/next-place.js'
import { createScenario } from '../ui/scenario.js'

/**
 * Planning for the area on screen: the what-if scenario (part of the view state, so of the
 * permalink), the suggestions where the next place should go, and the link to the report.
 */
export function createPlanning(deps: {
  store: Store<ViewState>
  view: ReturnType<typeof createMap>
  taxonomy: Promise<Taxonomy>
  whereIs: (lon: number, lat: number) => string | undefined
  /** The scenario mode was opened or closed. */
  onToggle: () => void
}) {
  const { store } = deps
  const areaActions = byId<HTMLElement>('area-actions')
  const reportLink = byId<HTMLAnchorElement>('report-link')

  /** What a scenario and the suggestions are computed for: the area, mode and threshold on screen. */
  function settings(): PlanningSettings | undefined {
    const { area, mode, threshold } = store.get()
    return area ? { area, mode, threshold } : undefined
  }

  const scenario = createScenario({
    map: deps.view,
    taxonomy: deps.taxonomy,
    settings,
    filtered: () => Object.keys(filterQuery(store.get().filter)).length > 0,
    onChange: () => store.set({ scenario: scenario.view() }),
    onToggle: deps.onToggle,
  })
  const nextPlace = createNextPlace({
    map: deps.view,
    taxonomy: deps.taxonomy,
    scenario,
    settings,
    whereIs: deps.whereIs,
  })

  /** Area, mode and threshold the scenario and suggestions were last computed for. */
  let planningKey = ''

  /** "Rapport maken": the report of the area on screen, with the scenario once it is saved. */
  function showReportLink(s: ViewState) {
    areaActions.hidden = !s.area
    byId<HTMLElement>('report-actions').hidden = !s.area
    byId<HTMLElement>('report-none').hidden = Boolean(s.area)
    if (s.area) reportLink.href = scenario.reportUrl(s.area, s.scenario?.saved)
  }

  store.subscribe((s, prev) => {
    if (s.filter !== prev.filter) scenario.refresh()
    if (
      s.area !== prev.area ||
      s.mode !== prev.mode ||
      s.threshold !== prev.threshold ||
      s.scenario !== prev.scenario
    )
      showReportLink(s)
  })
  showReportLink(store.get())

  return {
    scenario,
    /** The area, mode or threshold changed: the scenario and the suggestions follow. */
    follow() {
      const s = settings()
      const key = s ? `${s.area}|${s.mode}|${s.threshold}` : ''
      if (key === planningKey) return
      planningKey = key
      if (!s) {
        scenario.leave()
        nextPlace.close()
        return
      }
      scenario.settingsChanged()
      nextPlace.settingsChanged()
    },
  }
}

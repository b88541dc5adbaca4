import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon'
import { api, ApiError, type Coverage, type FeatureCollection } from '../api-client/index.js'
import { locale, t } from '../i18n/index.js'
import type { createMap } from '../map/index.js'
import { latest, type Store } from '../state/store.js'
import { filterQuery, gemeenteOf, type ViewState } from '../state/view.js'
import { renderCoverage, sizeBars } from '../ui/area-panel.js'
import { byId, escapeHtml } from '../ui/dom.js'

/**
 * The chosen area: a gemeente and, within it, a wijk; its figures for the threshold, mode and
 * filter on screen, and its largest gaps (a click flies there).
 */
export function createArea(deps: {
  store: Store<ViewState>
  view: ReturnType<typeof createMap>
  /** The figures are about to follow a change of area, mode, threshold or filter. */
  onChange: () => void
}) {
  const { store, view } = deps
  const gemeenteSelect = byId<HTMLSelectElement>('gemeente')
  const wijkSelect = byId<HTMLSelectElement>('wijk')
  const areaFigures = byId<HTMLElement>('area-figures')
  const areaRequest = latest()
  const figuresRequest = latest()

  /** The wijken of the gemeente in the wijk list (names for the suggestions). */
  let wijkFeatures: FeatureCollection['features'] = []
  /** The gemeente whose wijken the wijk list holds. */
  let wijkenOf = ''
  let shownGaps: Coverage['gapAreas'] = []

  /** Figures of the chosen area for the chosen threshold and mode. */
  async function refreshFigures(fit: boolean) {
    deps.onChange()
    const s = store.get()
    const code = s.area
    const signal = figuresRequest.next()
    if (!code) {
      areaFigures.innerHTML = ''
      await view.showSelected(undefined, false)
      return
    }
    areaFigures.innerHTML = `<p class="note">${t('figuresLoading')}</p>`
    try {
      const [feature, coverage] = await Promise.all([
        api.area(code),
        api.coverage(
          { area: code, mode: s.mode, threshold: s.threshold, filter: filterQuery(s.filter) },
          signal,
        ),
      ])
      if (signal.aborted) return
      await view.showSelected(feature, fit)
      shownGaps = coverage.gapAreas
      areaFigures.innerHTML = renderCoverage(coverage)
      sizeBars(areaFigures)
      document.body.dataset.area = code
    } catch (e) {
      if (signal.aborted) return
      areaFigures.innerHTML = `<p class="note">${e instanceof ApiError ? escapeHtml(e.message) : t('figuresFailed')}</p>`
    }
  }

  /** Shows the area of the state: its gemeente's wijken in the list, then its figures. */
  async function showArea() {
    const signal = areaRequest.next()
    const gemeente = gemeenteOf(store.get().area)
    gemeenteSelect.value = gemeente
    if (gemeente !== wijkenOf) {
      wijkSelect.innerHTML = `<option value="">${t('wholeGemeente')}</option>`
      wijkSelect.disabled = !gemeente
      wijkFeatures = []
      if (gemeente) {
        const wijken = await api.areas('wijk', gemeente)
        if (signal.aborted) return
        wijkFeatures = wijken.features
        for (const f of wijken.features.sort((a, b) =>
          String(a.properties.name).localeCompare(String(b.properties.name), locale),
        )) {
          wijkSelect.add(new Option(String(f.properties.name), String(f.properties.code)))
        }
      }
      wijkenOf = gemeente
    }
    const area = store.get().area
    wijkSelect.value = area === gemeente ? '' : area
    // A wijk the gemeente does not have: the whole gemeente (which shows it anew).
    if (wijkSelect.value !== area && area !== gemeente) {
      store.set({ area: gemeente })
      return
    }
    await refreshFigures(true)
  }

  gemeenteSelect.addEventListener('change', () => store.set({ area: gemeenteSelect.value }))
  wijkSelect.addEventListener('change', () =>
    store.set({ area: wijkSelect.value || gemeenteSelect.value }),
  )
  areaFigures.addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-gap]')
    const gap = button ? shownGaps[Number(button.dataset.gap)] : undefined
    if (gap) view.flyTo(gap.point[0], gap.point[1])
  })

  return {
    /** Lists the gemeenten, shows the area of the state (if it exists), then follows changes. */
    async start(gemeenten: FeatureCollection) {
      for (const f of gemeenten.features) {
        gemeenteSelect.add(new Option(String(f.properties.name), String(f.properties.code)))
      }
      const gemeente = gemeenteOf(store.get().area)
      if (gemeente && !gemeenten.features.some((f) => f.properties.code === gemeente)) {
        store.set({ area: '' })
      }
      store.subscribe((s, prev) => {
        if (s.area !== prev.area) void showArea()
        else if (s.mode !== prev.mode || s.threshold !== prev.threshold || s.filter !== prev.filter)
          void refreshFigures(false)
      })
      if (store.get().area) await showArea()
    },
    /** The places changed: the same area figured anew. */
    refresh: () => refreshFigures(false),
    /** The wijk at a point, by name. */
    whereIs(lon: number, lat: number): string | undefined {
      const hit = wijkFeatures.find((f) =>
        booleanPointInPolygon([lon, lat], f as Parameters<typeof booleanPointInPolygon>[1]),
      )
      return hit ? String(hit.properties.name) : undefined
    },
  }
}

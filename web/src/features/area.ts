import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon'
import { api, ApiError, type Coverage, type FeatureCollection } from '../api-client/index.js'
import { formatDistance, formatPeople, formatPercent } from '../i18n/format.js'
import { lang, locale, t } from '../i18n/index.js'
import type { createMap } from '../map/index.js'
import { latest, type Store } from '../state/store.js'
import { filterQuery, gemeenteOf, type ViewState } from '../state/view.js'
import { renderCoverage, sizeBars } from '../ui/area-panel.js'
import { byId, escapeHtml } from '../ui/dom.js'
import { loading, retryButton } from '../ui/progress.js'

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
  const announce = byId<HTMLElement>('map-announce')
  const table = byId<HTMLDetailsElement>('figures-table')
  const tableBody = byId<HTMLElement>('figures-table-body')

  /** An error in the figures' place, with a button that tries again. */
  function failed(message: string, again: () => void) {
    const p = document.createElement('p')
    p.className = 'note error'
    p.append(`${message} `, retryButton('figures-retry', again))
    areaFigures.replaceChildren(p)
  }

  /** The figures as a table: the non-map way to the same numbers. */
  function renderTable(c: Coverage) {
    const total = c.bands.reduce((sum, b) => sum + b.inhabitants, 0)
    const rows = c.bands
      .map((b) => {
        const label =
          b.toM === null
            ? t('legendMoreThan', formatDistance(b.fromM))
            : `${formatDistance(b.fromM)} – ${formatDistance(b.toM)}`
        const share = total > 0 ? formatPercent(b.inhabitants / total) : '–'
        return `<tr><th scope="row">${label}</th><td>${formatPeople(b.inhabitants)}</td><td>${share}</td></tr>`
      })
      .join('')
    tableBody.innerHTML = `<table class="figures-table"><caption>${escapeHtml(t('tableCaption', c.area.name))}</caption>
      <thead><tr><th scope="col">${t('tableDistance')}</th><th scope="col">${t('tableInhabitants')}</th><th scope="col">${t('tableShare')}</th></tr></thead>
      <tbody>${rows}</tbody></table>`
    table.hidden = false
  }

  /** Chooses gap `index` of the list: outlined on the map, brought into view and read out. */
  function chooseGap(index: number) {
    const gap = shownGaps[index]
    if (!gap) return
    view.chooseGap(index)
    void view.showGap(gap.outline, gap.point)
    for (const b of areaFigures.querySelectorAll<HTMLButtonElement>('button[data-gap]')) {
      b.setAttribute('aria-pressed', String(Number(b.dataset.gap) === index))
    }
    announce.textContent = t('gapChosen', `${index + 1}. ${gap.label[lang]}`)
    document.body.dataset.gap = String(index)
  }

  /** No gaps on the map (another area, or none). */
  function clearGaps() {
    shownGaps = []
    view.chooseGap(undefined)
    view.showGapMarkers([], () => {})
    void view.showGap(undefined, undefined)
    delete document.body.dataset.gap
  }

  /** Figures of the chosen area for the chosen threshold and mode. */
  async function refreshFigures(fit: boolean) {
    deps.onChange()
    const s = store.get()
    const code = s.area
    const signal = figuresRequest.next()
    if (!code) {
      areaFigures.innerHTML = ''
      table.hidden = true
      clearGaps()
      loading('figures', false)
      await view.showSelected(undefined, false)
      return
    }
    areaFigures.innerHTML = `<p class="note">${t('figuresLoading')}</p>`
    loading('figures', true)
    try {
      const [feature, coverage] = await Promise.all([
        api.area(code),
        api.coverage(
          { area: code, mode: s.mode, threshold: s.threshold, filter: filterQuery(s.filter) },
          signal,
        ),
      ])
      if (signal.aborted) return
      loading('figures', false)
      await view.showSelected(feature, fit)
      clearGaps()
      shownGaps = coverage.gapAreas
      areaFigures.innerHTML = renderCoverage(coverage)
      sizeBars(areaFigures)
      renderTable(coverage)
      view.showGapMarkers(
        shownGaps.map((g) => ({ point: g.point, label: g.label[lang] })),
        (i) => chooseGap(i),
      )
      document.body.dataset.area = code
    } catch (e) {
      if (signal.aborted) return
      loading('figures', false)
      // The map shows no outline the figures do not go with: the panel says what failed.
      await view.showSelected(undefined, false)
      clearGaps()
      table.hidden = true
      delete document.body.dataset.area
      failed(
        e instanceof ApiError && e.status < 500 ? e.message : t('figuresFailed'),
        () => void refreshFigures(fit),
      )
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
        let wijken: FeatureCollection
        try {
          wijken = await api.areas('wijk', gemeente)
        } catch {
          if (signal.aborted) return
          // The lists and the map stay as they were chosen; the panel offers to try again.
          failed(t('figuresFailed'), () => void showArea())
          return
        }
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
    if (button) chooseGap(Number(button.dataset.gap))
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
      return this.wijkAt(lon, lat)?.name
    },
    /** The wijk of the chosen gemeente at a point. */
    wijkAt(lon: number, lat: number): { code: string; name: string } | undefined {
      const hit = wijkFeatures.find((f) =>
        booleanPointInPolygon([lon, lat], f as Parameters<typeof booleanPointInPolygon>[1]),
      )
      return hit
        ? { code: String(hit.properties.code), name: String(hit.properties.name) }
        : undefined
    },
  }
}

import { api } from './api-client/index.js'
import { createArea } from './features/area.js'
import { createControls } from './features/controls.js'
import { createHexLayer } from './features/hexes.js'
import { keepPermalink } from './features/permalink.js'
import { createPlaceDetail } from './features/place-detail.js'
import { createPlaces } from './features/places.js'
import { createPlanning } from './features/planning.js'
import { createReading } from './features/reading.js'
import { lang, t, translatePage } from './i18n/index.js'
import { createMap } from './map/index.js'
import { createStore, latest } from './state/store.js'
import { fromUrl, type ViewState } from './state/view.js'
import { createAccount, locked, may, session } from './ui/account.js'
import { byId } from './ui/dom.js'
import { offerDataLoad } from './ui/load-data.js'
import { createModeration } from './ui/moderation.js'
import { setUpPage } from './ui/page.js'
import { createPlaceForm } from './ui/place-form.js'
import { createSections } from './ui/sections.js'

// Wiring only: the view state lives in the store, each feature follows it.
translatePage()
setUpPage()

const status = byId<HTMLElement>('status')
const initial = fromUrl(location)
const store = createStore<ViewState>({ ...initial, lang })

const panel = document.querySelector<HTMLElement>('.panel')
const phone = window.matchMedia('(max-width: 700px)')
const view = createMap(byId<HTMLElement>('map'), {
  camera: initial.camera,
  // On a phone the bottom sheet lies over the map: what the map shows must clear it.
  coveredBelow: () =>
    phone.matches && panel
      ? Math.max(0, window.innerHeight - panel.getBoundingClientRect().top)
      : 0,
  onBasemap: (ok) => {
    byId<HTMLElement>('basemap-note').hidden = ok
    document.body.dataset.basemap = ok ? 'pdok' : 'offline'
  },
})
store.set({ camera: view.camera() })
view.onCameraChange((camera) => store.set({ camera }))
// A position typed into the address bar moves the map.
window.addEventListener('hashchange', () => {
  const camera = fromUrl(location).camera
  if (camera) view.jumpTo(camera)
})
const permalink = keepPermalink(store)
const sections = createSections(store)

const taxonomy = api.taxonomy()
const controls = createControls({ store, taxonomy })
const places = createPlaces({ store, view, onOpen: (id) => void detail.open(id) })
const hexes = createHexLayer({ store, view })
const area = createArea({ store, view, onChange: () => planning.follow() })
const reading = createReading({ store, wijkAt: (lon, lat) => area.wijkAt(lon, lat) })
const planning = createPlanning({
  store,
  view,
  taxonomy,
  whereIs: (lon, lat) => area.whereIs(lon, lat),
  onToggle: () => void detail.refresh(),
})
const detail = createPlaceDetail({
  store,
  taxonomy,
  scenario: () => planning.scenario,
  edit: (place) => form.edit(place),
  reload: reloadPlaces,
  onProposed: () => void moderation.refresh(),
})

/** The register changed: places, list, layer, figures and scenario follow. */
async function reloadPlaces() {
  await places.reload()
  hexes.refreshSoon()
  void area.refresh()
  planning.scenario.refresh()
}

const form = createPlaceForm({
  map: view,
  taxonomy,
  suggesting: () => !session().user,
  proposing: () => !may('trusted'),
  onSaved: (place, previous) => detail.saved(place, previous),
  onProposed: (proposal) => detail.proposed(proposal),
  onOpen: () => sections.show('plek'),
})

const moderation = createModeration({
  map: view,
  taxonomy,
  onApproved: (asset) => {
    void reloadPlaces().then(() =>
      asset && !asset.properties.deleted_at ? detail.open(asset.id) : undefined,
    )
  },
})

/** Shows what the person signed in may do: add or suggest places, review, or only read. */
function applyRights() {
  const { user, settings } = session()
  byId<HTMLElement>('add-place').hidden = !user
  byId<HTMLElement>('suggest-place').hidden = Boolean(user) || !settings.anonymous_suggestions
  byId<HTMLElement>('login-hint').hidden = Boolean(user)
  // An open form stays open: after signing in (again) it can still be saved.
  void moderation.refresh()
}

const account = createAccount((why) => {
  applyRights()
  planning.scenario.sessionChanged()
  if (!started) {
    // The map was for accounts only: now it can load.
    start().catch(() => (status.textContent = t('offline')))
    return
  }
  // Contact details and buttons differ per role: show the open place again.
  void detail.refresh()
  void offerDataLoad()
  if (why === 'logout') void reloadPlaces()
})
api.onLoginNeeded(() => void account.loginNeeded(t('loginNeeded')))
byId<HTMLButtonElement>('login-hint-open').addEventListener('click', () => account.openLogin())

view.onClick({
  pick: form.picking,
  propose: planning.scenario.proposing,
  place: (id) => void detail.open(id),
  read: (reading_) => reading.read(reading_),
})

document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape') return
  if (reading.isOpen()) reading.close()
  else if (form.isOpen()) form.close()
  else if (account.isOpen()) account.closeLogin()
  else if (moderation.isOpen()) moderation.close()
  else if (detail.isOpen()) void detail.open('')
})

async function load() {
  void offerDataLoad()
  await controls.start()
  const [gemeenten] = await Promise.all([api.gemeenten(), places.fetch()])
  await Promise.all([view.showGemeenten(gemeenten), places.draw()])
  void view.showLabels('gemeente', gemeenten)
  void nameAreas()
  places.showCount()
  document.body.dataset.places = places.isTiled() ? 'tiles' : 'geojson'
  places.refreshList()
  await area.start(gemeenten)
  await planning.scenario.restore(initial.scenario)
  await detail.refresh()
  await hexes.start()
  permalink.write()
  // A draft is brought back to whoever may still save (or suggest) it.
  if (session().user || session().settings.anonymous_suggestions) await form.restoreDraft()
  document.body.dataset.ready = 'true'
}

/**
 * Area names to orient by, from the areas the service has (offline too): every wijk once, and
 * the buurten in view when the map is close enough (and the buurten are loaded).
 */
async function nameAreas() {
  const wijken = await api.areas('wijk').catch(() => undefined)
  if (wijken) await view.showLabels('wijk', wijken)
  const buurten = latest()
  let named = ''
  const nameBuurten = async () => {
    if (view.map.getZoom() < 13.5) return
    const box = view.bounds()
    const key = box.map((v) => v.toFixed(2)).join(',')
    if (key === named) return
    const signal = buurten.next()
    const found = await api.areasIn('buurt', box, signal).catch(() => undefined)
    if (!found || signal.aborted) return
    named = key
    await view.showLabels('buurt', found)
  }
  view.map.on('moveend', () => void nameBuurten())
  await nameBuurten()
}

let started = false

/** Loads the map, unless it is for accounts only and nobody is signed in yet. */
async function start() {
  if (started || locked()) {
    status.textContent = ''
    return
  }
  started = true
  await load()
}

void account
  .start()
  .then(() => {
    applyRights()
    return start()
  })
  .catch(() => {
    status.textContent = t('offline')
  })

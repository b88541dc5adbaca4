import { api } from './api-client/index.js'
import { createArea } from './features/area.js'
import { createControls } from './features/controls.js'
import { createHexLayer } from './features/hexes.js'
import { keepPermalink } from './features/permalink.js'
import { createPlaceDetail } from './features/place-detail.js'
import { createPlaces } from './features/places.js'
import { createPlanning } from './features/planning.js'
import { lang, t, translatePage } from './i18n/index.js'
import { createMap } from './map/index.js'
import { createStore } from './state/store.js'
import { fromUrl, gemeenteOf, type ViewState } from './state/view.js'
import { createAccount, locked, may, session } from './ui/account.js'
import { byId } from './ui/dom.js'
import { offerDataLoad } from './ui/load-data.js'
import { createModeration } from './ui/moderation.js'
import { setUpPage } from './ui/page.js'
import { createPlaceForm } from './ui/place-form.js'

// Wiring only: the view state lives in the store, each feature follows it.
translatePage()
setUpPage()

const status = byId<HTMLElement>('status')
const initial = fromUrl(location)
const store = createStore<ViewState>({ ...initial, lang })

const view = createMap(byId<HTMLElement>('map'), {
  camera: initial.camera,
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

const taxonomy = api.taxonomy()
const controls = createControls({ store, taxonomy })
const places = createPlaces({ store, view, onOpen: (id) => void detail.open(id) })
const hexes = createHexLayer({ store, view })
const area = createArea({ store, view, onChange: () => planning.follow() })
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
  gemeente: (code) => {
    if (code !== gemeenteOf(store.get().area)) store.set({ area: code })
  },
})

document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape') return
  if (form.isOpen()) form.close()
  else if (account.isOpen()) account.closeLogin()
  else if (moderation.isOpen()) moderation.close()
  else if (detail.isOpen()) void detail.open('')
})

async function load() {
  void offerDataLoad()
  await controls.start()
  const [gemeenten] = await Promise.all([api.gemeenten(), places.fetch()])
  await Promise.all([view.showGemeenten(gemeenten), places.draw()])
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

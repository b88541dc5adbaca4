import { api } from './api-client/index.js'
import { nl } from './i18n/nl.js'
import { COLORS } from './map/layers.js'
import { createMap } from './map/index.js'

const status = document.getElementById('status') as HTMLElement
const legend = document.getElementById('legend') as HTMLElement

legend.innerHTML = [
  [COLORS.meetingPlace, nl.meetingPlace],
  [COLORS.other, nl.other],
]
  .map(
    ([color, text]) => `<li><span class="swatch" style="background:${color}"></span>${text}</li>`,
  )
  .join('')

const view = createMap(document.getElementById('map') as HTMLElement)

async function load() {
  const [gemeenten, assets] = await Promise.all([api.gemeenten(), api.allAssets()])
  await Promise.all([view.showGemeenten(gemeenten), view.showAssets(assets)])
  status.textContent = nl.places(assets.features.length)
  document.body.dataset.ready = 'true'
}

load().catch(() => {
  status.textContent = nl.offline
})

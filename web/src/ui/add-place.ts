import { byId } from './dom.js'
import { api, ApiError, type AssetFeature, type Taxonomy } from '../api-client/index.js'

/** The map abilities the add flow needs. */
export interface DraftMap {
  setDraft(position: [number, number] | undefined, moved: (lon: number, lat: number) => void): void
}

const FIELDS = ['name', 'kind', 'address', 'description', 'opening_hours'] as const

/**
 * Adding a place: pick the position on the map (or from the device), fill name and kind (the
 * rest may wait), save. Refusals show next to the field, in the API's own words; what was typed
 * is never lost when saving fails.
 */
export function createAddPlace(deps: {
  map: DraftMap
  taxonomy: Promise<Taxonomy>
  onSaved: (place: AssetFeature) => void
}) {
  const section = byId<HTMLElement>('add')
  const form = byId<HTMLFormElement>('add-form')
  const where = byId<HTMLElement>('add-where')
  const summary = byId<HTMLElement>('add-summary')
  const geometryError = byId<HTMLElement>('err-geometry')
  let position: [number, number] | undefined

  const setPosition = (lon: number, lat: number) => {
    position = [lon, lat]
    deps.map.setDraft(position, setPosition)
    where.textContent = 'Plek gekozen. Versleep de speld als het preciezer kan.'
    geometryError.textContent = ''
  }

  const clearErrors = () => {
    summary.textContent = ''
    geometryError.textContent = ''
    for (const f of FIELDS) {
      byId<HTMLElement>(`err-${f}`).textContent = ''
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
      label.append(radio, kind.label.nl)
      box.append(label)
    }
  }

  function close() {
    section.hidden = true
    position = undefined
    deps.map.setDraft(undefined, setPosition)
    form.reset()
    clearErrors()
    where.textContent = 'Tik op de kaart waar de plek is. U kunt de speld daarna verslepen.'
    document.body.dataset.adding = 'false'
  }

  function body() {
    const data = new FormData(form)
    const value = (name: string) => {
      const v = data.get(name)
      return typeof v === 'string' ? v : ''
    }
    const text = (name: string) => value(name).trim() || undefined
    const properties: Record<string, unknown> = {
      name: value('name'),
      kind: text('kind'),
      address: text('address'),
      description: text('description'),
      opening_hours: text('opening_hours'),
      wheelchair: text('wheelchair'),
      ...(data.get('free_entry') ? { free_entry: true } : {}),
    }
    for (const key of Object.keys(properties))
      if (properties[key] === undefined) delete properties[key]
    return {
      geometry: { type: 'Point' as const, coordinates: position as [number, number] },
      properties,
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void (async () => {
      clearErrors()
      if (!position) {
        geometryError.textContent = 'Kies eerst de plek op de kaart (of gebruik uw locatie).'
        return
      }
      try {
        const saved = await api.createAsset(body())
        close()
        deps.onSaved(saved)
      } catch (err) {
        if (!(err instanceof ApiError)) {
          summary.textContent =
            'Niet opgeslagen: er is geen verbinding. Uw gegevens staan er nog; probeer het zo opnieuw.'
          return
        }
        summary.textContent = err.message
        for (const field of err.fields) {
          const name = field.pointer.replace(/^\/properties\//, '').split('/')[0] ?? ''
          if (field.pointer.startsWith('/geometry')) {
            geometryError.textContent = field.detail
          } else if ((FIELDS as readonly string[]).includes(name)) {
            byId<HTMLElement>(`err-${name}`).textContent = field.detail
            document.getElementById(`add-${name}`)?.setAttribute('aria-invalid', 'true')
          }
        }
      }
    })()
  })

  byId<HTMLButtonElement>('add-cancel').addEventListener('click', close)
  byId<HTMLButtonElement>('use-location').addEventListener('click', () => {
    if (!navigator.geolocation) {
      geometryError.textContent = 'Dit apparaat geeft geen locatie. Tik op de kaart.'
      return
    }
    navigator.geolocation.getCurrentPosition(
      (p) => setPosition(p.coords.longitude, p.coords.latitude),
      () => (geometryError.textContent = 'Uw locatie is niet beschikbaar. Tik op de kaart.'),
      { enableHighAccuracy: true, timeout: 10_000 },
    )
  })
  byId<HTMLButtonElement>('add-place').addEventListener('click', () => {
    section.hidden = false
    document.body.dataset.adding = 'true'
    byId<HTMLInputElement>('add-name').focus()
  })

  void buildKinds()

  return {
    /** While adding, a map click picks the position. */
    picking: () => (section.hidden ? undefined : setPosition),
    close,
  }
}

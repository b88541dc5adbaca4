import { api, ApiError } from '../api-client/index.js'
import { lang, t } from '../i18n/index.js'
import { byId, escapeHtml } from './dom.js'

type Progress = {
  step: string
  collection?: string
  page?: number
  features?: number
  bytes?: number
  retrievedAt?: string
  why?: string
  waitMs?: number
}

function describe(p: Progress): string {
  switch (p.step) {
    case 'areas':
      return t('loadAreasPage', p.collection ?? '', p.page ?? 0, p.features ?? 0)
    case 'osm':
      return t('loadOsm', `${((p.bytes ?? 0) / 1e6).toFixed(1)} MB`)
    case 'cached':
      return t('loadCached', (p.retrievedAt ?? '').slice(0, 10))
    case 'retry':
      return t('loadRetry', p.why ?? '', Math.round((p.waitMs ?? 0) / 1000))
    default:
      return t('loadImport')
  }
}

let wired = false

/**
 * On an installation without areas: an administrator (signed in) loads real data for a region
 * here — the same download as `npm run data:download` — and follows its progress. Everyone else
 * reads how it is done. Asked again after a login.
 */
export async function offerDataLoad(): Promise<void> {
  const status = await api.dataStatus().catch(() => undefined)
  if (!status?.empty) return
  const section = byId<HTMLElement>('load-data')
  const form = byId<HTMLFormElement>('load-form')
  section.hidden = false
  byId<HTMLElement>('load-intro').textContent = status.adminEnabled
    ? t('loadIntroAdmin')
    : t('loadIntroCli')
  form.hidden = !status.adminEnabled
  if (wired) return
  wired = true
  const region = byId<HTMLSelectElement>('load-region')
  for (const r of status.regions) region.add(new Option(r.name, r.code))
  const progress = byId<HTMLElement>('load-progress')
  const error = byId<HTMLElement>('load-error')
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void (async () => {
      error.textContent = ''
      const gemeente = byId<HTMLInputElement>('load-gemeente').value.trim().toUpperCase()
      try {
        let job = await api.startDataLoad(gemeente ? { gemeente } : { region: region.value })
        form.querySelector('button')?.setAttribute('disabled', 'true')
        while (job.status === 'running') {
          progress.innerHTML = job.progress
            .map((p) => `<li>${escapeHtml(describe(p))}</li>`)
            .join('')
          await new Promise((r) => setTimeout(r, 1000))
          job = await api.dataLoad(job.id)
        }
        if (job.status === 'failed') {
          error.textContent = job.error?.detail[lang] ?? ''
          form.querySelector('button')?.removeAttribute('disabled')
          return
        }
        progress.innerHTML = `<li>${escapeHtml(t('loadDone'))}</li>`
        document.body.dataset.loaded = 'true'
        setTimeout(() => location.reload(), 1500)
      } catch (err) {
        error.textContent = err instanceof ApiError ? err.message : t('offline')
      }
    })()
  })
}

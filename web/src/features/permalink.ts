import type { Store } from '../state/store.js'
import { toUrl, type ViewState } from '../state/view.js'

/**
 * The address bar is the view state's permalink: written after every change, and by `write()`
 * once the page has loaded (until then the link stays as it was opened). Moving the map alone
 * writes at most every 300 ms (browsers refuse more than 100 history writes in 30 s).
 */
export function keepPermalink(store: Store<ViewState>): { write: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined
  let last = 0
  const write = () => {
    last = Date.now()
    history.replaceState(history.state, '', toUrl(store.get()))
  }
  store.subscribe((s, prev) => {
    clearTimeout(timer)
    const keys = Object.keys(s) as (keyof ViewState)[]
    const moved = keys.every((key) => key === 'camera' || s[key] === prev[key])
    const wait = moved ? last + 300 - Date.now() : 0
    if (wait > 0) timer = setTimeout(write, wait)
    else write()
  })
  return { write }
}

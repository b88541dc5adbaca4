import { byId } from './dom.js'

/**
 * A short confirmation in the panel ("Opgeslagen"), optionally with one action such as
 * "Ongedaan maken". It stays longer when it offers an action.
 */
export function showToast(message: string, action?: { label: string; run: () => void }): void {
  const toast = byId<HTMLElement>('toast')
  toast.replaceChildren(document.createTextNode(message))
  if (action) {
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'link'
    button.id = 'toast-action'
    button.textContent = action.label
    button.addEventListener('click', () => {
      toast.replaceChildren()
      action.run()
    })
    toast.append(' ', button)
  }
  const shown = toast.firstChild
  setTimeout(
    () => {
      if (toast.firstChild === shown) toast.replaceChildren()
    },
    action ? 12_000 : 4_000,
  )
}

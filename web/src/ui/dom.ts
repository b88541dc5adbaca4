/** An element that the page is known to have. */
export const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T

/** Text made safe to put into HTML. */
export const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  )

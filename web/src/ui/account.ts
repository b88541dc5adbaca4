import { api, ApiError, type Role, type Settings, type User } from '../api-client/index.js'
import { t } from '../i18n/index.js'
import { byId } from './dom.js'
import { showToast } from './toast.js'

/** Roles, least to most trusted; each may do everything the ones before it may. */
const ROLES: readonly Role[] = ['contributor', 'trusted', 'moderator', 'admin']

const ROLE_TEXT: Record<Role, Parameters<typeof t>[0]> = {
  contributor: 'roleContributor',
  trusted: 'roleTrusted',
  moderator: 'roleModerator',
  admin: 'roleAdmin',
}

/** A role in the words of the interface ("vertrouwde bijdrager"); unknown codes as they are. */
export const roleText = (role: string) => (role in ROLE_TEXT ? t(ROLE_TEXT[role as Role]) : role)

export interface Session {
  readonly user: User | null
  readonly settings: Settings
}

/** What the API says when it is not asked (an older API, or no connection). */
const DEFAULT_SETTINGS: Settings = {
  public_map: true,
  anonymous_suggestions: false,
  verification_max_age_days: 365,
}

let current: Session = { user: null, settings: DEFAULT_SETTINGS }

/** Who uses the map now. */
export const session = (): Session => current

/** True when the person signed in may do what `needed` may. */
export function may(needed: Role): boolean {
  const role = current.user?.role
  return role !== undefined && ROLES.indexOf(role) >= ROLES.indexOf(needed)
}

/** The map is for accounts only and nobody is signed in: only the login shows. */
export const locked = () => !current.user && !current.settings.public_map

/**
 * The account section of the panel (no modal): signing in with e-mail and password, and once
 * signed in the name and role, signing out (here or everywhere) and one's own data.
 */
export function createAccount(onChange: (why: 'login' | 'logout') => void) {
  const section = byId<HTMLElement>('account')
  const title = byId<HTMLElement>('account-title')
  const intro = byId<HTMLElement>('account-intro')
  const form = byId<HTMLFormElement>('login-form')
  const error = byId<HTMLElement>('login-error')
  const email = byId<HTMLInputElement>('login-email')
  const password = byId<HTMLInputElement>('login-password')
  const submit = byId<HTMLButtonElement>('login-submit')
  const info = byId<HTMLElement>('account-info')
  const openButton = byId<HTMLButtonElement>('login-open')
  const closeButton = byId<HTMLButtonElement>('login-close')
  const revokeTokens = byId<HTMLInputElement>('logout-all-tokens')

  function render() {
    const user = current.user
    document.body.dataset.role = user?.role ?? 'visitor'
    document.body.dataset.locked = String(locked())
    openButton.hidden = Boolean(user) || !section.hidden
    form.hidden = Boolean(user)
    info.hidden = !user
    closeButton.hidden = Boolean(user) || locked()
    title.textContent = user ? t('accountTitleSignedIn') : t('accountTitle')
    if (user) {
      section.hidden = false
      byId<HTMLElement>('account-name').textContent = user.display_name
      byId<HTMLElement>('account-role').textContent = roleText(user.role)
      intro.textContent = ''
    } else if (locked()) {
      section.hidden = false
      openButton.hidden = true
      intro.textContent = t('privateMap')
    } else if (!intro.textContent) {
      intro.textContent = t('loginIntro')
    }
  }

  /** Shows the login form, with the reason when a write needed it. */
  function openLogin(reason?: string) {
    if (current.user) return
    section.hidden = false
    error.textContent = ''
    intro.textContent = reason ?? (locked() ? t('privateMap') : t('loginIntro'))
    render()
    // On a phone the sheet opens so the form can be seen.
    document.body.dataset.sheet = 'open'
    document.getElementById('sheet-handle')?.setAttribute('aria-expanded', 'true')
    section.scrollIntoView({ block: 'nearest' })
    email.focus()
  }

  function closeLogin() {
    if (current.user || locked()) return
    section.hidden = true
    form.reset()
    error.textContent = ''
    render()
    openButton.focus()
  }

  async function login() {
    error.textContent = ''
    if (!email.value.trim() || !password.value) {
      error.textContent = t('loginEmpty')
      return
    }
    submit.disabled = true
    submit.textContent = t('loginBusy')
    try {
      const user = await api.login(email.value.trim(), password.value)
      current = { ...current, user }
      form.reset()
      render()
      showToast(t('loggedIn', user.display_name))
      onChange('login')
    } catch (e) {
      if (!(e instanceof ApiError)) {
        error.textContent = t('loginOffline')
      } else if (e.status === 429 && typeof e.problem.detail !== 'string') {
        const seconds = Number(e.problem.retry_after ?? 60)
        error.textContent = t('loginWait', Math.max(1, Math.ceil(seconds / 60)))
      } else {
        error.textContent = e.message
      }
      password.select()
    } finally {
      submit.disabled = false
      submit.textContent = t('loginSubmit')
    }
  }

  async function logout(everywhere: boolean) {
    const revoked = everywhere && revokeTokens.checked
    try {
      await api.logout(everywhere, revoked)
    } catch (e) {
      // A session that had already ended is signed out all the same.
      if (!(e instanceof ApiError) || e.status !== 401) {
        showToast(e instanceof ApiError ? e.message : t('offline'))
        return
      }
    }
    current = { ...current, user: null }
    revokeTokens.checked = false
    // A fresh CSRF token for the next login (the old one belonged to the ended session).
    await api.me().catch(() => undefined)
    section.hidden = true
    intro.textContent = ''
    render()
    showToast(
      revoked
        ? t('loggedOutEverywhereTokens')
        : everywhere
          ? t('loggedOutEverywhere')
          : t('loggedOut'),
    )
    onChange('logout')
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void login()
  })
  openButton.addEventListener('click', () => openLogin())
  closeButton.addEventListener('click', closeLogin)
  byId<HTMLButtonElement>('logout').addEventListener('click', () => void logout(false))
  // On a phone the account's actions fold away, out of the thumb's way over the map.
  const more = byId<HTMLButtonElement>('account-more')
  more.addEventListener('click', () => {
    const open = more.getAttribute('aria-expanded') !== 'true'
    more.setAttribute('aria-expanded', String(open))
    document.body.dataset.accountOpen = String(open)
  })
  // Signing out everywhere is wide: asked first, the answer next to the button.
  const confirmAll = byId<HTMLElement>('logout-all-confirm')
  byId<HTMLButtonElement>('logout-all').addEventListener('click', () => {
    confirmAll.hidden = false
    byId<HTMLButtonElement>('logout-all-no').focus()
  })
  byId<HTMLButtonElement>('logout-all-no').addEventListener('click', () => {
    confirmAll.hidden = true
    byId<HTMLButtonElement>('logout-all').focus()
  })
  byId<HTMLButtonElement>('logout-all-yes').addEventListener('click', () => {
    confirmAll.hidden = true
    void logout(true)
  })

  return {
    /** Asks the API who is signed in; without an answer, a visitor on a public map. */
    async start(): Promise<Session> {
      try {
        const me = await api.me()
        current = { user: me.user, settings: { ...DEFAULT_SETTINGS, ...me.settings } }
      } catch {
        current = { user: null, settings: DEFAULT_SETTINGS }
      }
      render()
      return current
    },
    openLogin,
    closeLogin,
    /**
     * A write was refused for want of a login: the session ended (expired, or signed out
     * everywhere from another device). What was typed stays; the login form opens.
     */
    async loginNeeded(reason: string) {
      if (current.user) {
        current = { ...current, user: null }
        await api.me().catch(() => undefined)
        render()
        onChange('logout')
      }
      openLogin(reason)
    },
    isOpen: () => !section.hidden && !current.user,
  }
}

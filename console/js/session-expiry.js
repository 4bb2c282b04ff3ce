// Session life in the console: a warning shortly before the session (cookie) expires, the login
// again when it has, and login/logout shared with the other tabs of this browser.
import { session } from './api.js';
import { h } from './dom.js';

/** How long before the expiry the warning appears. */
export const WARN_BEFORE_MS = 5 * 60 * 1000;

const timeFmt = new Intl.DateTimeFormat('id-ID', { timeZone: 'Asia/Jakarta', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
/** "08.12 WIB" */
function clock(ms) {
  return `${timeFmt.format(new Date(ms)).replace(':', '.')} WIB`;
}
/** "4 menit" / "kurang dari 1 menit" */
function minutesLeft(ms) {
  const m = Math.floor(ms / 60000);
  return m >= 1 ? `${m} menit` : 'kurang dari 1 menit';
}

let timer = null;
let banner = null;

function removeBanner() {
  banner?.remove();
  banner = null;
}

/** Stops watching (logout, login view). */
export function stopExpiryWatch() {
  if (timer) clearTimeout(timer);
  timer = null;
  removeBanner();
}

/**
 * Watches the current session's expiry: from WARN_BEFORE_MS before it, a banner above the page
 * says when it ends (updated every half minute); at the expiry, `onExpired` runs (the console
 * shows the login with a message).
 */
export function watchSessionExpiry(onExpired) {
  stopExpiryWatch();
  const tick = () => {
    const exp = session.expiresAt;
    if (!exp) return;
    const left = exp - Date.now();
    if (left <= 0) {
      stopExpiryWatch();
      onExpired();
      return;
    }
    if (left <= WARN_BEFORE_MS) {
      const text = `Sesi Anda berakhir pukul ${clock(exp)} (${minutesLeft(left)} lagi). Simpan pekerjaan Anda, lalu keluar dan masuk kembali agar tidak terputus.`;
      if (!banner) {
        banner = h('div', { id: 'session-expiry', class: 'notice warn session-expiry', role: 'status' }, text);
        document.querySelector('header.top')?.after(banner);
      } else if (banner.textContent !== text) banner.textContent = text;
    }
    timer = setTimeout(tick, Math.max(1000, Math.min(left <= WARN_BEFORE_MS ? 30_000 : left - WARN_BEFORE_MS, 2 ** 31 - 1)));
  };
  tick();
}

// Tabs of this browser tell each other about login and logout (the cookie is shared already;
// this only spares a tab showing a stale screen until its next request).
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('becak-session') : null;

export function announceSession(kind) {
  channel?.postMessage({ kind });
}

export function onSessionAnnounced(fn) {
  if (channel) channel.onmessage = (e) => fn(e.data && e.data.kind);
}

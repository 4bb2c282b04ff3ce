// /lacak/{token}: the tracking link from the applicant's WhatsApp messages. Loads the case by its
// token (no NIK to type); changing the case (cancel, resubmit) still asks for the NIK in the form.
import { api } from './api.js';

/** The token of a /lacak/{token} address, or null on /lacak. */
export function trackingTokenFromPath(pathname = location.pathname) {
  const m = /^\/lacak\/([A-Za-z0-9_-]{22,64})\/?$/.exec(pathname);
  return m ? m[1] : null;
}

/** GET /api/tracking/{token}: the same answer as POST /api/tracking. */
export function trackByToken(token) {
  return api.get(`/api/tracking/${encodeURIComponent(token)}`);
}

// The case's workflow in the Temporal Web UI (read-only), for supervisors and the admin: a link
// under the case title. The workflow's details in the UI link back to the case in this console.
import { api } from './api.js';
import { h } from './dom.js';

/** A placeholder paragraph, filled with the link once the API has answered (empty when there is no UI). */
export function temporalLink(ctx, reg) {
  const p = h('p', { class: 'muted temporal-link' });
  const allowed = ctx.user.role === 'admin' || (ctx.sop.supervisorRoles || []).includes(ctx.user.role);
  if (!allowed) return p;
  api
    .staffGet(`/api/temporal-ui/cases/${encodeURIComponent(reg)}`)
    .then((res) => {
      if (!res || !res.url) return;
      p.append(
        h('a', { href: res.url, target: '_blank', rel: 'noopener', id: 'temporal-ui-link' }, 'Lihat alur kerja di Temporal Web UI'),
        ' (hanya baca; terbuka di tab baru)',
      );
    })
    .catch(() => {
      /* no link: the case page works without it */
    });
  return p;
}

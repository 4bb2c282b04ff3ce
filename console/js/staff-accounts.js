// Accounts in the staff console: the admin's staff page (add, edit name/role/phone, deactivate or
// activate, reset a password and show the temporary one once), and changing one's own password
// (also the forced change after a reset or at the first admin login). The server's password policy
// (domain/password-policy.ts) is the authority: its Indonesian reasons are shown at the field.
import { api, session } from './api.js';
import { h, clear, notice } from './dom.js';
import { field, showErrors, handleSubmit } from './forms.js';
import { roleLabel } from './sop.js';

const PASSWORD_HINT = 'Minimal 12 karakter, bukan kata sandi yang umum, dan tidak memuat nama pengguna atau nama. Mudah diingat tetapi sulit ditebak: gabungkan tiga atau empat kata yang tidak berhubungan, dengan angka.';
const PHONE_HINT = 'Nomor seluler untuk pesan eskalasi dan rekap (08…, +628… atau 628…). Kosongkan untuk menghapus.';

const items = (raw) => (Array.isArray(raw) ? raw : raw?.items || []);

function td(label, ...content) {
  return h('td', { 'data-label': label }, ...content);
}

// ---------------------------------------------------------------- Ganti kata sandi

/**
 * The change-password form. `forced`: after a reset or at the first admin login, the only screen
 * the account can reach until it has chosen a new password.
 */
export async function passwordView(root, ctx, { forced = false } = {}) {
  const current = h('input', { type: 'password', name: 'currentPassword', autocomplete: 'current-password' });
  const next = h('input', { type: 'password', name: 'newPassword', autocomplete: 'new-password', minlength: '12' });
  const again = h('input', { type: 'password', name: 'confirmPassword', autocomplete: 'new-password' });
  const button = h('button', { type: 'submit' }, 'Simpan kata sandi baru');
  const form = h(
    'form',
    { class: 'card', novalidate: true, id: 'password-form', 'aria-label': 'Ganti kata sandi' },
    h('h1', {}, forced ? 'Buat kata sandi baru' : 'Ganti kata sandi'),
    forced
      ? notice('warn', 'Kata sandi Anda sementara (diatur ulang oleh admin atau dibuat otomatis). Buat kata sandi baru sebelum memakai konsol.')
      : h('p', { class: 'muted' }, 'Setelah diganti, sesi di perangkat lain akan berakhir.'),
    field({ path: 'currentPassword', label: forced ? 'Kata sandi sementara' : 'Kata sandi saat ini', required: true, control: current }),
    field({ path: 'newPassword', label: 'Kata sandi baru', hint: PASSWORD_HINT, required: true, control: next }),
    field({ path: 'confirmPassword', label: 'Ulangi kata sandi baru', required: true, control: again }),
    h('div', { class: 'row' }, button),
  );
  handleSubmit(form, button, async () => {
    try {
      if (next.value !== again.value) {
        showErrors(form, { message: 'Kata sandi baru dan ulangannya tidak sama.', errors: [{ path: 'confirmPassword', message: 'Tidak sama dengan kata sandi baru.' }] });
        return;
      }
      const res = await api.staffPost('/api/auth/password', { currentPassword: current.value, newPassword: next.value });
      // Every earlier session of this account is revoked: the server set this one's new cookie.
      session.save({ ...session.user, mustChangePassword: false }, { csrfToken: res.csrfToken, expiresAt: res.expiresAt });
      form.reset();
      if (forced) {
        ctx.go('');
        await ctx.refresh();
        return;
      }
      form.prepend(notice('ok', 'Kata sandi berhasil diganti. Sesi di perangkat lain sudah diakhiri.'));
    } catch (err) {
      showErrors(form, err);
    } finally {
      button.disabled = false;
    }
  });
  root.append(h('div', { class: 'narrow-box' }, form));
  current.focus();
}

// ---------------------------------------------------------------- Petugas (admin)

export async function staffAdminView(root, ctx) {
  const { sop } = ctx;
  const roles = Object.keys(sop.roleLabels);
  const out = h('div', { id: 'staff-list' });
  const panel = h('div', { id: 'staff-panel', 'aria-live': 'polite' });
  const roleSelect = (value) =>
    h('select', { name: 'role' }, h('option', { value: '' }, '— pilih peran —'), roles.map((r) => h('option', { value: r, selected: r === value }, roleLabel(sop, r))));

  const load = async () => {
    const list = items(await api.staffGet('/api/staff'));
    clear(out,
      h(
        'table',
        { class: 'stack' },
        h('thead', {}, h('tr', {}, ['Nama pengguna', 'Nama', 'Peran', 'Nomor HP', 'Status', 'Tindakan'].map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          {},
          list.map((s) =>
            h(
              'tr',
              { dataset: { username: s.username } },
              td('Nama pengguna', h('span', { class: 'mono' }, s.username)),
              td('Nama', s.name),
              td('Peran', roleLabel(sop, s.role)),
              td('Nomor HP', s.phone ? h('span', { class: 'mono' }, s.phone) : h('span', { class: 'muted' }, '—')),
              td(
                'Status',
                s.active === false ? h('span', { class: 'badge bad' }, 'Nonaktif') : h('span', { class: 'badge ok' }, 'Aktif'),
                s.mustChangePassword ? [' ', h('span', { class: 'badge warn' }, 'Wajib ganti kata sandi')] : null,
              ),
              td(
                'Tindakan',
                h(
                  'div',
                  { class: 'row' },
                  h('button', { type: 'button', class: 'secondary', onclick: () => editForm(s) }, 'Ubah'),
                  h('button', { type: 'button', class: s.active === false ? 'secondary' : 'danger', onclick: () => void setActive(s, s.active === false) }, s.active === false ? 'Aktifkan' : 'Nonaktifkan'),
                  h('button', { type: 'button', class: 'secondary', onclick: () => void resetPassword(s) }, 'Atur ulang kata sandi'),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  };

  const show = (...content) => {
    clear(panel, ...content);
    panel.scrollIntoView({ block: 'nearest' });
  };

  function editForm(s) {
    const name = h('input', { type: 'text', name: 'name', value: s.name, autocomplete: 'off' });
    const role = roleSelect(s.role);
    const phone = h('input', { type: 'tel', name: 'phone', value: s.phone || '', autocomplete: 'off', inputmode: 'tel' });
    const button = h('button', { type: 'submit' }, 'Simpan');
    const cancel = h('button', { type: 'button', class: 'secondary', onclick: () => clear(panel) }, 'Batal');
    const form = h(
      'form',
      { class: 'card', novalidate: true, id: 'staff-edit-form', 'aria-label': `Ubah petugas ${s.username}` },
      h('h2', {}, 'Ubah petugas ', h('span', { class: 'mono' }, s.username)),
      field({ path: 'name', label: 'Nama lengkap', required: true, control: name }),
      field({ path: 'role', label: 'Peran', hint: 'Mengubah peran mengakhiri semua sesi petugas ini; ia harus masuk kembali.', required: true, control: role }),
      field({ path: 'phone', label: 'Nomor HP', hint: PHONE_HINT, control: phone }),
      h('div', { class: 'row' }, button, cancel),
    );
    handleSubmit(form, button, async () => {
      try {
        const body = {};
        if (name.value.trim() !== s.name) body.name = name.value.trim();
        if (role.value !== s.role) body.role = role.value;
        if (phone.value.trim() !== (s.phone || '')) body.phone = phone.value.trim() === '' ? null : phone.value.trim();
        if (Object.keys(body).length === 0) {
          show(notice('ok', 'Tidak ada yang berubah.'));
          return;
        }
        await api.staffPatch(`/api/staff/${encodeURIComponent(s.username)}`, body);
        await load();
        show(notice('ok', `Data petugas ${s.username} disimpan.`));
      } catch (err) {
        showErrors(form, err);
      } finally {
        button.disabled = false;
      }
    });
    show(form);
    name.focus();
  }

  async function setActive(s, active) {
    const question = active
      ? `Aktifkan kembali akun ${s.username}?`
      : `Nonaktifkan akun ${s.username} (${s.name})? Semua sesinya berakhir seketika dan ia tidak dapat masuk lagi.`;
    if (!window.confirm(question)) return;
    try {
      await api.staffPatch(`/api/staff/${encodeURIComponent(s.username)}`, { active });
      await load();
      show(notice('ok', active ? `Akun ${s.username} aktif kembali.` : `Akun ${s.username} dinonaktifkan.`));
    } catch (err) {
      show(notice('bad', err.message));
    }
  }

  async function resetPassword(s) {
    if (!window.confirm(`Atur ulang kata sandi ${s.username} (${s.name})? Kata sandi lamanya tidak berlaku lagi dan semua sesinya berakhir.`)) return;
    try {
      const res = await api.staffPost(`/api/staff/${encodeURIComponent(s.username)}/password-reset`, undefined);
      await load();
      const secret = h('p', { class: 'big mono', id: 'temporary-password' }, res.temporaryPassword);
      show(
        h(
          'div',
          { class: 'card', id: 'reset-result' },
          h('h2', {}, 'Kata sandi sementara untuk ', h('span', { class: 'mono' }, s.username)),
          secret,
          notice('warn', 'Hanya ditampilkan sekali. Sampaikan langsung kepada petugas (jangan lewat grup). Saat masuk, ia wajib membuat kata sandi baru.'),
          h('div', { class: 'row' }, h('button', { type: 'button', class: 'secondary', onclick: () => clear(panel) }, 'Sudah disampaikan, tutup')),
        ),
      );
    } catch (err) {
      show(notice('bad', err.message));
    }
  }

  // Add a staff member.
  const username = h('input', { type: 'text', name: 'username', autocomplete: 'off', autocapitalize: 'none' });
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'off' });
  const role = roleSelect('');
  const phone = h('input', { type: 'tel', name: 'phone', autocomplete: 'off', inputmode: 'tel' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password' });
  const button = h('button', { type: 'submit' }, 'Tambah petugas');
  const form = h(
    'form',
    { class: 'card', novalidate: true, id: 'staff-form' },
    h('h2', {}, 'Tambah petugas'),
    field({ path: 'username', label: 'Nama pengguna', required: true, control: username }),
    field({ path: 'name', label: 'Nama lengkap', required: true, control: name }),
    field({ path: 'role', label: 'Peran', required: true, control: role }),
    field({ path: 'phone', label: 'Nomor HP', hint: PHONE_HINT, control: phone }),
    field({ path: 'password', label: 'Kata sandi awal', hint: `${PASSWORD_HINT} Sampaikan langsung kepada petugas; minta ia menggantinya.`, required: true, control: password }),
    h('div', { class: 'row' }, button),
  );
  handleSubmit(form, button, async () => {
    try {
      const body = { username: username.value.trim(), name: name.value.trim(), role: role.value, password: password.value };
      if (phone.value.trim() !== '') body.phone = phone.value.trim();
      await api.staffPost('/api/staff', body);
      form.reset();
      form.prepend(notice('ok', 'Petugas ditambahkan.'));
      await load();
    } catch (err) {
      showErrors(form, err);
    } finally {
      button.disabled = false;
    }
  });
  root.append(h('h1', {}, 'Petugas'), out, panel, form);
  await load();
}

/** Request and answer schemas of the staff administration routes (PATCH, password reset). */
import { z } from 'zod';
import { ROLES } from '../../domain/sop.js';
import { OPTIONAL_MOBILE_PATTERN } from '../schemas.js';

export const staffItemSchema = z
  .object({
    username: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    phone: z.string().nullable(),
    nip: z.string().nullable(),
    active: z.boolean(),
    mustChangePassword: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'StaffMember' });

export const staffListSchema = z.object({ items: z.array(staffItemSchema) }).meta({ id: 'StaffList' });

export const staffUpdateSchema = z
  .object({
    name: z
      .string({ error: 'Nama harus berupa teks' })
      .trim()
      .min(2, { error: 'Nama minimal 2 karakter' })
      .max(100, { error: 'Nama maksimal 100 karakter' })
      .optional()
      .meta({ title: 'Nama' }),
    role: z.enum(ROLES, { error: `Peran harus salah satu dari ${ROLES.join(', ')}` }).optional().meta({ title: 'Peran' }),
    phone: z
      .string({ error: 'Nomor HP harus berupa teks' })
      .nullable()
      .optional()
      .meta({ title: 'Nomor HP (untuk eskalasi dan rekap)', description: '08…, +628… atau 628…; kosong atau null menghapus', pattern: OPTIONAL_MOBILE_PATTERN }),
    nip: z
      .string({ error: 'NIP harus berupa teks' })
      .regex(/^\d{18}$/, { error: 'NIP terdiri atas 18 angka' })
      .nullable()
      .optional()
      .meta({ title: 'NIP', description: 'Nomor Induk Pegawai (18 angka), dicantumkan pada surat persetujuan bertanda tangan elektronik; null menghapus' }),
    active: z.boolean({ error: 'Aktif harus true atau false' }).optional().meta({ title: 'Aktif' }),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { error: 'Isi paling sedikit satu: name, role, phone, nip atau active' })
  .meta({ id: 'StaffUpdateRequest' });

export const passwordResetResponseSchema = z
  .object({
    username: z.string(),
    temporaryPassword: z.string().describe('Shown once; the account must choose a new password at its next login'),
    mustChangePassword: z.literal(true),
  })
  .meta({ id: 'PasswordResetResponse' });

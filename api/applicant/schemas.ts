/** Bodies of the applicant's token routes, the address correction and the operator's contact correction. */
import { z } from 'zod';
import { applicantCancellationSchema, nikSchema, reasonText, resubmissionSchema, submissionSchema, trackingResponseSchema } from '../schemas.js';
import { MOBILE_PATTERN } from '../schemas.js';

export const deliverySchema = submissionSchema.shape.delivery;

export const addressChangeSchema = z
  .object({ nik: nikSchema, delivery: deliverySchema })
  .strict()
  .meta({ id: 'AddressChangeRequest', title: 'Perbaikan alamat pengantaran oleh pemohon' });

export const addressChangeResponseSchema = z
  .object({ registrationNumber: z.string(), changed: z.boolean(), district: z.string() })
  .meta({ id: 'AddressChangeResult' });

export const contactCorrectionSchema = z
  .object({
    delivery: deliverySchema.optional(),
    contactPhone: z.string({ error: 'Nomor HP harus berupa teks' }).optional().meta({ title: 'Nomor HP (WhatsApp) baru', pattern: MOBILE_PATTERN }),
    reason: reasonText,
  })
  .strict()
  .meta({ id: 'ContactCorrectionRequest', title: 'Koreksi alamat atau nomor HP oleh petugas' });

/** Token variants: the same bodies as the registration-number routes (the NIK is still required). */
export const tokenCancellationSchema = applicantCancellationSchema;
export const tokenResubmissionSchema = resubmissionSchema;
export const tokenTrackingResponseSchema = trackingResponseSchema;

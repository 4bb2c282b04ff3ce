/** Response schema of the courier's route (OpenAPI; generated from zod like every other resource). */
import { z } from 'zod';
import { DOCUMENT_TYPES, WAITING_FOR_KEYS } from '../../domain/sop.js';

const iso = z.string().describe('ISO 8601');

export const routeStopSchema = z
  .object({
    registrationNumber: z.string(),
    documentType: z.enum(DOCUMENT_TYPES),
    district: z.string().describe('Kecamatan (not personal)'),
    waitingFor: z.enum(WAITING_FOR_KEYS).nullable(),
    stepDueAt: iso.nullable(),
    overdue: z.boolean(),
    deliveryAttempts: z.number().int().describe('Failed attempts so far'),
    availableFrom: iso.nullable().describe('After a failed attempt: when the next attempt is due to start (next office day)'),
    dueToday: z.boolean().describe('Belongs on today\'s route (false: a retry that starts on a later day)'),
    pickedUp: z
      .object({ username: z.string(), name: z.string().nullable(), at: iso, byMe: z.boolean() })
      .nullable()
      .describe('Who has the card now (picked up at the office, no failed attempt since)'),
    recipient: z
      .object({
        name: z.string().optional(),
        phone: z.string().optional(),
        address: z.string().optional(),
        rt: z.string().optional(),
        rw: z.string().optional(),
        village: z.string().optional(),
        note: z.string().nullable().optional(),
      })
      .nullable()
      .describe('Only the fields the access policy (SPEC §9) gives the caller; null: none'),
    links: z
      .object({ tel: z.string().nullable(), whatsapp: z.string().nullable(), maps: z.string().nullable() })
      .describe('tel:, https://wa.me/ and Google Maps links built from what the caller may see'),
  })
  .meta({ id: 'RouteStop' });

export const routeResponseSchema = z
  .object({
    date: z.string().describe('Today in Jakarta (YYYY-MM-DD)'),
    total: z.number().int(),
    groups: z.array(
      z.object({
        district: z.string(),
        villages: z.array(z.object({ village: z.string().nullable().describe('null: not shown to the caller'), items: z.array(routeStopSchema) })),
      }),
    ),
    later: z.array(routeStopSchema).describe('Retries that start on a later office day'),
    doneToday: z
      .array(z.object({ registrationNumber: z.string(), type: z.enum(['DELIVERED', 'DELIVERY_FAILED']), at: iso, district: z.string(), documentType: z.enum(DOCUMENT_TYPES) }))
      .describe("The caller's own handovers and failed attempts today"),
  })
  .meta({ id: 'CourierRoute' });
